import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { boardMeetingsPage } from "~/api/resources.server";

// GET /api/v1/boards/{boardId}/meetings (app/api/endpoints.ts).
export const { loader, action } = apiRoute(endpoints.listBoardMeetings, ({ viewer, params, query }) =>
  boardMeetingsPage(viewer, params.boardId, query),
);
