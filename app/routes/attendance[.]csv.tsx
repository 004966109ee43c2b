import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { attendanceRangeCsv, attendanceRangeSchema, csvResponse } from "~/meetings/exports.server";
import type { Route } from "./+types/attendance[.]csv";

/**
 * GET /attendance.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: all costed attendance at meetings in
 * that range of London dates, with each row's costing inputs and cost. Those who may see
 * salaries only; others 404.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.seeSalaries(viewer));
  const params = new URL(request.url).searchParams;
  const parsed = attendanceRangeSchema.safeParse({
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => i.message);
    return new Response(`The date range is not valid: ${problems.join("; ")}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const csv = await attendanceRangeCsv(viewer, parsed.data);
  return csvResponse(csv, `attendance-${viewer.workspace.slug}-${parsed.data.from}-to-${parsed.data.to}.csv`);
}
