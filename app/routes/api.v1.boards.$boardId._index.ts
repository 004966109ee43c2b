import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { boardDetail } from "~/api/resources.server";

// GET /api/v1/boards/{boardId} (app/api/endpoints.ts).
export const { loader, action } = apiRoute(endpoints.getBoard, ({ viewer, params }) =>
  boardDetail(viewer, params.boardId),
);
