import { openApiDocument } from "~/api/openapi";
import { methodNotAllowed } from "~/api/problem.server";

// GET /api/v1/openapi.json: the API's description, public (it holds no data), written once per process.
let document: string | undefined;

export function loader() {
  document ??= JSON.stringify(openApiDocument(), null, 2);
  return new Response(document, {
    headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" },
  });
}

export function action({ request }: { request: Request }) {
  return methodNotAllowed(request, ["GET", "HEAD"]);
}
