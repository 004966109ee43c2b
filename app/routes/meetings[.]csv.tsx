import { requireViewer } from "~/auth/viewer.server";
import { parseTableState } from "~/components/table-state";
import { londonDate } from "~/format";
import { csvResponse, meetingsCsv } from "~/meetings/exports.server";
import { meetingTable, parseMeetingFilters } from "~/meetings/meetings-list.server";
import type { Route } from "./+types/meetings[.]csv";

/**
 * GET /meetings.csv: the meetings of /meetings with the same filters and sort, every
 * matching row, with the number who attended and the meeting's total cost (no salaries).
 */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const params = new URL(request.url).searchParams;
  const parsed = parseMeetingFilters(params);
  if (!parsed.ok) {
    const problems = Object.values(parsed.errors).flat();
    return new Response(`The filter is not valid: ${problems.join("; ")}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const { sort, dir } = parseTableState(params, meetingTable(parsed.filters.when));
  const csv = await meetingsCsv(viewer, parsed.filters, { sort, dir });
  return csvResponse(csv, `meetings-${viewer.workspace.slug}-${parsed.filters.when}-${londonDate()}.csv`);
}
