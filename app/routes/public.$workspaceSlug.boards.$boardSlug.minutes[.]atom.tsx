import { feedResponse, minutesFeed } from "~/minutes/feeds.server";
import { feedDocuments, recentlyPublished } from "~/minutes/public.server";
import { publicBoard, publicWorkspace } from "~/public/public.server";
import type { Route } from "./+types/public.$workspaceSlug.boards.$boardSlug.minutes[.]atom";

/* /public/:workspaceSlug/boards/:boardSlug/minutes.atom: the board's published minutes as an Atom feed. */

export async function loader({ request, params }: Route.LoaderArgs) {
  const workspace = await publicWorkspace(params.workspaceSlug);
  const board = await publicBoard(workspace, params.boardSlug);
  return feedResponse(request, workspace, `workspace-${workspace.id}:board-${board.id}:minutes`, async () => {
    const entries = await recentlyPublished(workspace, { boardId: board.id });
    return minutesFeed({
      request,
      workspace,
      id: `workspace-${workspace.id}:board-${board.id}:minutes`,
      title: `${board.name}: published minutes`,
      subtitle: `Minutes of the ${board.name}, ${workspace.name}, as they are published.`,
      htmlPath: `/public/${workspace.slug}/boards/${board.slug}`,
      selfPath: `/public/${workspace.slug}/boards/${board.slug}/minutes.atom`,
      emptyUpdated: board.createdAt,
      entries,
      documents: await feedDocuments(workspace, entries),
    });
  });
}
