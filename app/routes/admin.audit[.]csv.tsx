import { parseWithZod } from "@conform-to/zod/v4";
import { auditCsv } from "~/audit/audit-trail.server";
import { auditFilterSchema } from "~/audit/schemas";
import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { londonDate } from "~/format";
import type { Route } from "./+types/admin.audit[.]csv";

/** The filtered audit trail as CSV (UTF-8 with a byte-order mark, so Excel reads names right). */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const submission = parseWithZod(new URL(request.url).searchParams, { schema: auditFilterSchema });
  if (submission.status !== "success") {
    const problems = Object.values(submission.error ?? {}).flat();
    return new Response(`The filter is not valid: ${problems.join("; ")}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const lines = auditCsv(viewer.db, submission.value);
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
  const day = londonDate();
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${viewer.workspace.slug}-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
