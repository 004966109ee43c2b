import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { boardRollupJson } from "~/api/rollup-resources.server";

// GET /api/v1/boards/{boardId}/rollup (app/api/endpoints.ts).
const route = apiRoute(endpoints.getBoardRollup, ({ viewer, params }) =>
  boardRollupJson(viewer, params.boardId),
);

// Plain exports: the React Router build cannot strip destructured ones from the client bundle.
export const loader = route.loader;
export const action = route.action;
