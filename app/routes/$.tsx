import { notFound } from "../auth/authorise.server";

/* Any address no other route matches: 404, rendered by the root ErrorBoundary ("Page not found"). */

export function loader(): never {
  notFound();
}

export function action(): never {
  notFound();
}

export default function NotFound() {
  return null;
}
