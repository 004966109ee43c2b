import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { boardsPage } from "~/api/resources.server";

// GET /api/v1/boards (app/api/endpoints.ts).
const route = apiRoute(endpoints.listBoards, ({ viewer, query }) => boardsPage(viewer, query));

// Plain exports: the React Router build cannot strip destructured ones from the client bundle.
export const loader = route.loader;
export const action = route.action;
