import { idParam } from "~/agenda/agenda.server";
import { attachmentDisposition, paperForViewer } from "~/agenda/papers.server";
import { ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import type { Route } from "./+types/papers.$paperId";

/*
 * Downloads a paper (a resource route): for readers of its board, and for an
 * OFFICIAL-SENSITIVE item's papers only those who may read sensitive text; everyone else 404.
 * Always an attachment, never sniffed, never cached.
 */

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const paper = await paperForViewer(viewer, idParam(params.paperId));
  ensure(paper !== undefined);
  const content = new Uint8Array(paper.content);
  return new Response(content, {
    status: 200,
    headers: {
      "Content-Type": paper.content_type,
      "Content-Length": String(content.byteLength),
      "Content-Disposition": attachmentDisposition(paper.filename),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
