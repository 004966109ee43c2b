import { data, Link } from "react-router";
import { BOARD_TYPE_LABELS, MEETING_FORMAT_LABELS } from "~/boards/labels";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { parseTableState } from "~/components/table-state";
import { Tag } from "~/components/tag";
import { formatDate, formatDateTime } from "~/format";
import {
  boardPublishedMinutes,
  PUBLISHED_TABLE,
  type PublishedEntry,
  upcomingMeetings,
} from "~/minutes/public.server";
import { PublicBreadcrumbs } from "~/public/breadcrumbs";
import { publicBoard, publicPageHeaders, publicWorkspace } from "~/public/public.server";
import type { Route } from "./+types/public.$workspaceSlug.boards.$boardSlug._index";

/*
 * /public/:workspaceSlug/boards/:boardSlug: a public board's page for anyone: what it is,
 * its published minutes, its next meetings, and the feeds to follow it (Atom for minutes,
 * iCalendar for meetings). A private board answers 404.
 */

export const meta: Route.MetaFunction = ({ data }) =>
  data
    ? [
        { title: `${data.board.name} – ${data.workspace.name}` },
        {
          tagName: "link",
          rel: "alternate",
          type: "application/atom+xml",
          title: `${data.board.name}: published minutes`,
          href: `/public/${data.workspace.slug}/boards/${data.board.slug}/minutes.atom`,
        },
      ]
    : [{ title: "Page not found – Boardledger" }];

export async function loader({ request, params }: Route.LoaderArgs) {
  const workspace = await publicWorkspace(params.workspaceSlug);
  const board = await publicBoard(workspace, params.boardSlug);
  const state = parseTableState(new URL(request.url).searchParams, PUBLISHED_TABLE);
  const published = await boardPublishedMinutes(workspace, board, state);
  const upcoming = await upcomingMeetings(workspace, board);
  return data(
    { workspace: { slug: workspace.slug, name: workspace.name }, board, state, ...published, upcoming },
    { headers: publicPageHeaders(request) },
  );
}

export function headers({ loaderHeaders }: Route.HeadersArgs) {
  return loaderHeaders;
}

export default function PublicBoardPage({ loaderData }: Route.ComponentProps) {
  const { workspace, board, entries, total, state, upcoming } = loaderData;
  const base = `/public/${workspace.slug}/boards/${board.slug}`;
  const minutesColumns: DataTableColumn<PublishedEntry>[] = [
    {
      id: "meeting",
      header: "Meeting",
      rowHeader: true,
      sortable: true,
      firstDirection: "desc",
      nowrap: true,
      cell: (entry) => (
        <Link className="govuk-link" to={`${base}/minutes/${entry.meetingId}`}>
          {formatDate(entry.meetingStartsAt)}
        </Link>
      ),
    },
    {
      id: "published",
      header: "Published",
      nowrap: true,
      cell: (entry) =>
        entry.publishedAt.getTime() !== entry.firstPublishedAt.getTime()
          ? `${formatDate(entry.firstPublishedAt)} (corrected ${formatDate(entry.publishedAt)})`
          : formatDate(entry.publishedAt),
    },
  ];
  type Upcoming = (typeof upcoming)[number];
  const meetingColumns: DataTableColumn<Upcoming>[] = [
    {
      id: "when",
      header: "Date and time",
      rowHeader: true,
      nowrap: true,
      cell: (m) => formatDateTime(m.startsAt),
    },
    {
      id: "where",
      header: "Where",
      cell: (m) =>
        m.location ? `${MEETING_FORMAT_LABELS[m.format]}: ${m.location}` : MEETING_FORMAT_LABELS[m.format],
    },
    {
      id: "status",
      header: "Status",
      cell: (m) =>
        m.status === "cancelled" ? <Tag colour="red">Cancelled</Tag> : <Tag colour="blue">Scheduled</Tag>,
    },
  ];
  return (
    <>
      <PublicBreadcrumbs workspace={workspace} />
      <span className="govuk-caption-l">{BOARD_TYPE_LABELS[board.type]}</span>
      <h1 className="govuk-heading-l">{board.name}</h1>
      {board.termsOfReference.trim() && (
        <div className="govuk-body app-prose">{board.termsOfReference.trim()}</div>
      )}

      <h2 className="govuk-heading-m">Follow this board</h2>
      <ul className="govuk-list">
        <li>
          <a className="govuk-link" href={`${base}/minutes.atom`}>
            Published minutes as an Atom feed
          </a>{" "}
          (for a feed reader)
        </li>
        <li>
          <a className="govuk-link" href={`${base}/meetings.ics`}>
            Meetings as an iCalendar feed
          </a>{" "}
          (to subscribe in Outlook or Google Calendar)
        </li>
      </ul>

      <h2 className="govuk-heading-m">Published minutes</h2>
      <p className="govuk-body">
        Minutes appear here once the board has approved them. Items taken as OFFICIAL-SENSITIVE are not
        published.
      </p>
      <DataTable
        caption={`Published minutes of ${board.name}`}
        captionSize="hidden"
        columns={minutesColumns}
        rows={entries}
        rowKey={(entry) => entry.minutesId}
        sort={state}
        emptyMessage="No minutes have been published yet."
        paging={{ page: state.page, pageSize: state.pageSize, total, itemsName: "minutes" }}
      />

      <h2 className="govuk-heading-m">Upcoming meetings</h2>
      <DataTable
        caption={`Upcoming meetings of ${board.name}`}
        captionSize="hidden"
        columns={meetingColumns}
        rows={upcoming}
        rowKey={(m) => m.id}
        emptyMessage="No meetings are scheduled."
      />
    </>
  );
}
