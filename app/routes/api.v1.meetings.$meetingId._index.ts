import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { meetingDetail } from "~/api/resources.server";

// GET /api/v1/meetings/{meetingId} (app/api/endpoints.ts).
const route = apiRoute(endpoints.getMeeting, ({ viewer, params }) => meetingDetail(viewer, params.meetingId));

// Plain exports: the React Router build cannot strip destructured ones from the client bundle.
export const loader = route.loader;
export const action = route.action;
