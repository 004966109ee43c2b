import { data } from "react-router";
import { idParam } from "~/agenda/agenda.server";
import { formatDate } from "~/format";
import { MinutesDocumentView } from "~/minutes/components/minutes-document";
import { publishedMinutesOf } from "~/minutes/public.server";
import { PublicBreadcrumbs } from "~/public/breadcrumbs";
import { publicBoard, publicPageHeaders, publicWorkspace } from "~/public/public.server";
import type { Route } from "./+types/public.$workspaceSlug.boards.$boardSlug.minutes.$meetingId";

/*
 * /public/:workspaceSlug/boards/:boardSlug/minutes/:meetingId: one meeting's published
 * minutes for anyone, at a stable address: the latest published version, with
 * OFFICIAL-SENSITIVE items shown as their title marked "Restricted", or left out, as the
 * board's setting says. Prints as a clean A4 document. Never published, or a private
 * board: 404.
 */

export const meta: Route.MetaFunction = ({ data }) => [
  {
    title: data
      ? `Minutes of ${formatDate(data.entry.meetingStartsAt)} – ${data.board.name}`
      : "Page not found – Boardledger",
  },
];

export async function loader({ request, params }: Route.LoaderArgs) {
  const workspace = await publicWorkspace(params.workspaceSlug);
  const board = await publicBoard(workspace, params.boardSlug);
  const { entry, document } = await publishedMinutesOf(workspace, board, idParam(params.meetingId));
  return data(
    {
      workspace: { slug: workspace.slug, name: workspace.name },
      board: { slug: board.slug, name: board.name },
      entry,
      document,
    },
    { headers: publicPageHeaders(request) },
  );
}

export function headers({ loaderHeaders }: Route.HeadersArgs) {
  return loaderHeaders;
}

export default function PublicMinutes({ loaderData }: Route.ComponentProps) {
  const { workspace, board, entry, document } = loaderData;
  const corrected = entry.publishedAt.getTime() !== entry.firstPublishedAt.getTime();
  return (
    <>
      <PublicBreadcrumbs workspace={workspace} board={board} />
      <span className="govuk-caption-l">{board.name}</span>
      <h1 className="govuk-heading-l">Minutes of the meeting on {formatDate(entry.meetingStartsAt)}</h1>
      <p className="govuk-body app-secondary-text">
        Published {formatDate(entry.firstPublishedAt)}
        {corrected ? `; corrected and republished ${formatDate(entry.publishedAt)}` : ""}.
      </p>
      <MinutesDocumentView document={document} />
    </>
  );
}
