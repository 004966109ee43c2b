import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { boardDetail } from "~/api/resources.server";

// GET /api/v1/boards/{boardId} (app/api/endpoints.ts).
const route = apiRoute(endpoints.getBoard, ({ viewer, params }) => boardDetail(viewer, params.boardId));

// Plain exports: the React Router build cannot strip destructured ones from the client bundle.
export const loader = route.loader;
export const action = route.action;
