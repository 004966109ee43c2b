import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { actionsPage } from "~/api/resources.server";

// GET /api/v1/actions (app/api/endpoints.ts).
const route = apiRoute(endpoints.listActions, ({ viewer, query }) => actionsPage(viewer, query));

// Plain exports: the React Router build cannot strip destructured ones from the client bundle.
export const loader = route.loader;
export const action = route.action;
