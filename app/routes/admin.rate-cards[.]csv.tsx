import { rateCardExport } from "~/admin/agencies.server";
import { penceAsPounds, toCsv } from "~/admin/csv";
import { actorFor } from "~/admin/shared.server";
import { recordAudit } from "~/audit/audit.server";
import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { londonDate } from "~/format";
import type { Route } from "./+types/admin.rate-cards[.]csv";

/** GET /admin/rate-cards.csv: every salary of every grade, for admins and leaders. */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.seeSalaries(viewer));
  const rows = await rateCardExport(viewer.db);
  // Salaries leaving the system are worth a line in the audit trail.
  await recordAudit(viewer.db, actorFor(viewer, request), {
    event: "rate_cards.exported",
    entityType: "workspace",
    entityId: viewer.workspace.id,
    changes: { rows: rows.length },
  });
  const csv = toCsv(
    ["Agency", "Grade", "Effective from", "Annual salary (£)", "Hourly cost (£)"],
    rows.map((r) => [
      r.agency,
      r.grade,
      r.effective_from,
      penceAsPounds(r.annual_salary_pence),
      penceAsPounds(r.hourly_cost_pence),
    ]),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rate-cards-${viewer.workspace.slug}-${londonDate()}.csv"`,
      // Salaries: never kept by a shared cache or the browser's.
      "Cache-Control": "private, no-store",
    },
  });
}
