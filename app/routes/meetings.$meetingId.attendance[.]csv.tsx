import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { londonDate } from "~/format";
import { csvResponse, meetingAttendanceCsv } from "~/meetings/exports.server";
import { getReadableMeeting } from "~/meetings/meetings.server";
import type { Route } from "./+types/meetings.$meetingId.attendance[.]csv";

/**
 * GET /meetings/:id/attendance.csv: a meeting's costed attendance with each row's costing
 * inputs (salaries included) and cost. Those who may see salaries only; others 404.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.seeSalaries(viewer));
  const meeting = await getReadableMeeting(viewer, Number(params.meetingId));
  const csv = await meetingAttendanceCsv(viewer, meeting);
  return csvResponse(csv, `attendance-meeting-${meeting.id}-${londonDate(meeting.startsAt)}.csv`);
}
