import { requireViewer } from "~/auth/viewer.server";
import { calendarResponse, meetingCalendarFile } from "~/calendar/feeds.server";
import type { Route } from "./+types/meetings.$meetingId.calendar[.]ics";

/**
 * GET /meetings/:meetingId/calendar.ics: one meeting as a calendar file, for those who may
 * read its board (the invitation emails link here, for mail that cannot carry attachments).
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const { filename, text } = await meetingCalendarFile(viewer, Number(params.meetingId));
  return calendarResponse(text, filename, { public: false });
}
