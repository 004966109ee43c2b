import { Link, redirect } from "react-router";
import { can } from "../auth/authorise.server";
import { requireViewer } from "../auth/viewer.server";
import { BOARD_TABLE, type BoardListItem, listBoards } from "../boards/boards.server";
import { BOARD_FREQUENCY_LABELS, BOARD_LEVEL_LABELS, BOARD_TYPE_LABELS } from "../boards/labels";
import { DataTable, type DataTableColumn } from "../components/data-table";
import { pageCount, pageQuery, parseTableState } from "../components/table-state";
import { formatDate } from "../format";
import type { Route } from "./+types/boards._index";

export const meta: Route.MetaFunction = () => [{ title: "Boards – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const state = parseTableState(url.searchParams, BOARD_TABLE);
  const list = await listBoards(viewer, state);
  const lastPage = pageCount(list.total, list.pageSize);
  if (state.page > lastPage) throw redirect(`${url.pathname}${pageQuery(url.search, lastPage)}`);
  return { list, sort: { sort: state.sort, dir: state.dir }, canAdd: can.administer(viewer) };
}

const columns: DataTableColumn<BoardListItem>[] = [
  {
    id: "name",
    header: "Name",
    sortable: true,
    rowHeader: true,
    cell: (board) => (
      <Link to={`/boards/${board.id}`} className="govuk-link">
        {board.name}
      </Link>
    ),
  },
  {
    id: "type",
    header: "Type",
    sortable: true,
    cell: (board) => (
      <>
        {BOARD_TYPE_LABELS[board.type]}
        <br />
        <span className="govuk-body-s app-secondary-text">
          {BOARD_LEVEL_LABELS[board.level]}, meets {BOARD_FREQUENCY_LABELS[board.frequency].toLowerCase()}
        </span>
      </>
    ),
  },
  {
    id: "members",
    header: "Members",
    sortable: true,
    firstDirection: "desc",
    numeric: true,
    cell: (board) => board.memberCount.toLocaleString("en-GB"),
  },
  {
    id: "next-meeting",
    header: "Next meeting",
    sortable: true,
    nowrap: true,
    cell: (board) => (board.nextMeetingAt ? formatDate(board.nextMeetingAt) : "None scheduled"),
  },
  {
    id: "last-meeting",
    header: "Last meeting",
    sortable: true,
    nowrap: true,
    firstDirection: "desc",
    cell: (board) => (board.lastMeetingAt ? formatDate(board.lastMeetingAt) : "None yet"),
  },
  {
    id: "meetings-held",
    header: "Held in last 12 months",
    sortable: true,
    firstDirection: "desc",
    numeric: true,
    cell: (board) => board.meetingsHeldLastYear.toLocaleString("en-GB"),
  },
];

export default function Boards({ loaderData }: Route.ComponentProps) {
  const { list, sort, canAdd } = loaderData;
  return (
    <>
      <h1 className="govuk-heading-l">Boards</h1>
      {canAdd && (
        <Link className="govuk-button" to="/boards/new">
          Add a board
        </Link>
      )}
      <DataTable
        caption="Boards you can see"
        captionSize="hidden"
        columns={columns}
        rows={list.rows}
        rowKey={(board) => board.id}
        sort={sort}
        emptyMessage="You are not a member of any boards yet."
        paging={{ page: list.page, pageSize: list.pageSize, total: list.total, itemsName: "boards" }}
      />
    </>
  );
}
