import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { boardMeetingsPage } from "~/api/resources.server";

// GET /api/v1/boards/{boardId}/meetings (app/api/endpoints.ts).
const route = apiRoute(endpoints.listBoardMeetings, ({ viewer, params, query }) =>
  boardMeetingsPage(viewer, params.boardId, query),
);

// Plain exports: the React Router build cannot strip destructured ones from the client bundle.
export const loader = route.loader;
export const action = route.action;
