import { data, Link } from "react-router";
import { BOARD_TYPE_LABELS } from "~/boards/labels";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { type PublicBoard, publicBoards, publicPageHeaders, publicWorkspace } from "~/public/public.server";
import type { Route } from "./+types/public.$workspaceSlug._index";

/*
 * /public/:workspaceSlug: the partnership's public boards, for anyone, signed in or not.
 * A workspace with no public board answers 404.
 */

export const meta: Route.MetaFunction = ({ data }) =>
  data
    ? [
        { title: `${data.workspace.name}: public boards – Boardledger` },
        {
          tagName: "link",
          rel: "alternate",
          type: "application/atom+xml",
          title: `${data.workspace.name}: published minutes`,
          href: `/public/${data.workspace.slug}/minutes.atom`,
        },
      ]
    : [{ title: "Page not found – Boardledger" }];

export async function loader({ request, params }: Route.LoaderArgs) {
  const workspace = await publicWorkspace(params.workspaceSlug);
  const boards = await publicBoards(workspace);
  return data(
    { workspace: { slug: workspace.slug, name: workspace.name }, boards },
    { headers: publicPageHeaders(request) },
  );
}

export function headers({ loaderHeaders }: Route.HeadersArgs) {
  return loaderHeaders;
}

export default function PublicWorkspace({ loaderData }: Route.ComponentProps) {
  const { workspace, boards } = loaderData;
  const columns: DataTableColumn<PublicBoard>[] = [
    {
      id: "name",
      header: "Board",
      rowHeader: true,
      cell: (board) => (
        <>
          <Link className="govuk-link" to={`/public/${workspace.slug}/boards/${board.slug}`}>
            {board.name}
          </Link>
          {board.archivedAt ? " (no longer meets)" : ""}
        </>
      ),
    },
    { id: "type", header: "Type", cell: (board) => BOARD_TYPE_LABELS[board.type] },
  ];
  return (
    <>
      <span className="govuk-caption-l">{workspace.name}</span>
      <h1 className="govuk-heading-l">Boards and their published minutes</h1>
      <p className="govuk-body">
        The minutes of these boards are published here once the board has approved them. Parts taken as
        OFFICIAL-SENSITIVE are not published.
      </p>
      <DataTable
        caption="Public boards"
        captionSize="hidden"
        columns={columns}
        rows={boards}
        rowKey={(board) => board.id}
        emptyMessage="No boards publish their minutes."
      />
      <p className="govuk-body">
        <a className="govuk-link" href={`/public/${workspace.slug}/minutes.atom`}>
          Subscribe to every board's published minutes (Atom feed)
        </a>
      </p>
    </>
  );
}
