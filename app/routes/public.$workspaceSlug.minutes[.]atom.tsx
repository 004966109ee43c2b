import { feedResponse, minutesFeed } from "~/minutes/feeds.server";
import { feedDocuments, recentlyPublished } from "~/minutes/public.server";
import { publicBoards, publicWorkspace } from "~/public/public.server";
import type { Route } from "./+types/public.$workspaceSlug.minutes[.]atom";

/* /public/:workspaceSlug/minutes.atom: the published minutes of every public board of the workspace. */

export async function loader({ request, params }: Route.LoaderArgs) {
  const workspace = await publicWorkspace(params.workspaceSlug);
  return feedResponse(request, workspace, `workspace-${workspace.id}:minutes`, async () => {
    const entries = await recentlyPublished(workspace);
    const boards = await publicBoards(workspace);
    const firstBoard = boards.reduce<Date | null>(
      (earliest, b) => (earliest === null || b.createdAt < earliest ? b.createdAt : earliest),
      null,
    );
    return minutesFeed({
      request,
      workspace,
      id: `workspace-${workspace.id}:minutes`,
      title: `${workspace.name}: published minutes`,
      subtitle: `Minutes of the public boards of ${workspace.name}, as they are published.`,
      htmlPath: `/public/${workspace.slug}`,
      selfPath: `/public/${workspace.slug}/minutes.atom`,
      emptyUpdated: firstBoard ?? new Date(0),
      entries,
      documents: await feedDocuments(workspace, entries),
    });
  });
}
