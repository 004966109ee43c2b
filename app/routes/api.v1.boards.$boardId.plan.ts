import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { boardPlanDetail } from "~/api/resources.server";

// GET /api/v1/boards/{boardId}/plan (app/api/endpoints.ts).
export const { loader, action } = apiRoute(endpoints.getBoardPlan, ({ viewer, params, query }) =>
  boardPlanDetail(viewer, params.boardId, query.period),
);
