import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { boardPlanDetail } from "~/api/resources.server";

// GET /api/v1/boards/{boardId}/plan (app/api/endpoints.ts).
const route = apiRoute(endpoints.getBoardPlan, ({ viewer, params, query }) =>
  boardPlanDetail(viewer, params.boardId, query.period),
);

// Plain exports: the React Router build cannot strip destructured ones from the client bundle.
export const loader = route.loader;
export const action = route.action;
