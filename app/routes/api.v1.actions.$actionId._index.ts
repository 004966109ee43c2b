import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { actionDetail } from "~/api/resources.server";

// GET /api/v1/actions/{actionId} (app/api/endpoints.ts).
export const { loader, action } = apiRoute(endpoints.getAction, ({ viewer, params }) =>
  actionDetail(viewer, params.actionId),
);
