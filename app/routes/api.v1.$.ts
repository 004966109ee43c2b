import { notFoundProblem } from "~/api/problem.server";

// Anything else under /api/v1: a 404 problem, not the site's HTML "page not found".
export function loader({ request }: { request: Request }) {
  return notFoundProblem(request);
}

export function action({ request }: { request: Request }) {
  return notFoundProblem(request);
}
