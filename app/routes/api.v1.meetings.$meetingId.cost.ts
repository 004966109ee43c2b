import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { meetingCost } from "~/api/resources.server";

// GET /api/v1/meetings/{meetingId}/cost (app/api/endpoints.ts).
export const { loader, action } = apiRoute(endpoints.getMeetingCost, ({ viewer, params }) =>
  meetingCost(viewer, params.meetingId),
);
