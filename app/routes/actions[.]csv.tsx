import { parseWithZod } from "@conform-to/zod/v4";
import { ACTION_TABLE, actionFiltersFrom, csvForActions } from "~/actions/actions.server";
import { actionFilterSchema } from "~/actions/schemas";
import { actorFor } from "~/admin/shared.server";
import { recordAudit } from "~/audit/audit.server";
import { requireViewer } from "~/auth/viewer.server";
import { parseTableState } from "~/components/table-state";
import { londonDate } from "~/format";
import type { Route } from "./+types/actions[.]csv";

/**
 * GET /actions.csv: the action log with the same filters and sort as /actions, every
 * matching row (not one page), as CSV (UTF-8 with a byte-order mark, so Excel reads names
 * right). OFFICIAL-SENSITIVE rows the viewer may not read are restricted exactly as on the page.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const params = new URL(request.url).searchParams;
  const submission = parseWithZod(params, { schema: actionFilterSchema });
  if (submission.status !== "success") {
    const problems = Object.values(submission.error ?? {}).flat();
    return new Response(`The filter is not valid: ${problems.join("; ")}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const filters = actionFiltersFrom(submission.value);
  const { sort, dir } = parseTableState(params, ACTION_TABLE);

  // Actions leaving the system are worth a line in the audit trail (the filters, never the search text).
  await recordAudit(viewer.db, actorFor(viewer, request), {
    event: "actions.exported",
    entityType: "workspace",
    entityId: viewer.workspace.id,
    changes: { ...filters, q: filters.q === undefined ? undefined : "(text search)" },
  });

  const lines = csvForActions(viewer, filters, { sort: { sort, dir } });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("\uFEFF"));
    },
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="actions-${viewer.workspace.slug}-${londonDate()}.csv"`,
      // OFFICIAL-SENSITIVE text may be in it: never kept by a shared cache or the browser's.
      "Cache-Control": "private, no-store",
    },
  });
}
