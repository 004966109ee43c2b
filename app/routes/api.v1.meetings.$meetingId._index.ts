import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { meetingDetail } from "~/api/resources.server";

// GET /api/v1/meetings/{meetingId} (app/api/endpoints.ts).
export const { loader, action } = apiRoute(endpoints.getMeeting, ({ viewer, params }) =>
  meetingDetail(viewer, params.meetingId),
);
