/*
 * Any address no other route matches: 404, rendered by the root ErrorBoundary ("Page not
 * found"). Not an authorisation refusal, so not audited (unlike notFound()).
 */

function pageNotFound(): never {
  throw new Response("Not found", { status: 404, statusText: "Not Found" });
}

export function loader(): never {
  pageNotFound();
}

export function action(): never {
  pageNotFound();
}

export default function NotFound() {
  return null;
}
