import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { actionDetail } from "~/api/resources.server";

// GET /api/v1/actions/{actionId} (app/api/endpoints.ts).
const route = apiRoute(endpoints.getAction, ({ viewer, params }) => actionDetail(viewer, params.actionId));

// Plain exports: the React Router build cannot strip destructured ones from the client bundle.
export const loader = route.loader;
export const action = route.action;
