import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { boardsPage } from "~/api/resources.server";

// GET /api/v1/boards (app/api/endpoints.ts).
export const { loader, action } = apiRoute(endpoints.listBoards, ({ viewer, query }) =>
  boardsPage(viewer, query),
);
