import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { DASHBOARD_TABLES, type DashboardTable, dashboardCsv } from "~/costs/dashboard-csv.server";
import { parseDashboardFilters } from "~/costs/dashboard-filters";
import { londonDate } from "~/format";
import { csvResponse } from "~/meetings/exports.server";
import type { Route } from "./+types/dashboard[.]csv";

/**
 * GET /dashboard.csv?table=boards|agencies|quarters|meetings|scorecard|overlap, with the
 * dashboard's own filters: one of its tables, the same figures as the page.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.readDashboards(viewer));
  const params = new URL(request.url).searchParams;
  const table = params.get("table") ?? "";
  const parsed = parseDashboardFilters(params);
  const problems = parsed.ok ? [] : Object.values(parsed.errors).flat();
  if (!(DASHBOARD_TABLES as readonly string[]).includes(table))
    problems.push(`Choose a table: ${DASHBOARD_TABLES.join(", ")}`);
  if (!parsed.ok || problems.length > 0) {
    return new Response(`The request is not valid: ${problems.join("; ")}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const csv = await dashboardCsv(viewer, parsed.filters, table as DashboardTable);
  return csvResponse(csv, `dashboard-${table}-${viewer.workspace.slug}-${londonDate()}.csv`);
}
