import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { actionsPage } from "~/api/resources.server";

// GET /api/v1/actions (app/api/endpoints.ts).
export const { loader, action } = apiRoute(endpoints.listActions, ({ viewer, query }) =>
  actionsPage(viewer, query),
);
