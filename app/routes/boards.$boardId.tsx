import { Link } from "react-router";
import { notFound } from "../auth/authorise.server";
import { requireViewer } from "../auth/viewer.server";
import { type BoardMeeting, type BoardMember, getBoardPage } from "../boards/boards.server";
import {
  BOARD_FREQUENCY_LABELS,
  BOARD_LEVEL_LABELS,
  BOARD_TYPE_LABELS,
  MEETING_FORMAT_LABELS,
  MEETING_STATUS_COLOURS,
  MEETING_STATUS_LABELS,
  MEMBERSHIP_ROLE_LABELS,
} from "../boards/labels";
import { DataTable, type DataTableColumn } from "../components/data-table";
import { SummaryList } from "../components/summary-list";
import { Tag } from "../components/tag";
import { boardSunset } from "../costs/board-rollups.server";
import { VERDICT_LABELS } from "../costs/verdicts";
import { formatDate, formatDateTime, formatDuration, pluralise } from "../format";
import { MINUTES_STATUS_LABELS } from "../minutes/schemas";
import type { Route } from "./+types/boards.$boardId";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `${data.board.name} – Boardledger` : "Boardledger" },
];

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  if (!/^\d{1,15}$/.test(params.boardId)) notFound();
  const page = await getBoardPage(viewer, Number(params.boardId));
  // After getBoardPage, which answers 404 to anyone who may not read the board.
  const sunset = await boardSunset(viewer.db, page.board.id);
  return { ...page, sunset, workspaceSlug: viewer.workspace.slug };
}

const memberColumns: DataTableColumn<BoardMember>[] = [
  {
    id: "name",
    header: "Name",
    rowHeader: true,
    cell: (member) => (
      <>
        {member.name}
        {member.jobTitle && (
          <>
            <br />
            <span className="govuk-body-s app-secondary-text">{member.jobTitle}</span>
          </>
        )}
      </>
    ),
  },
  { id: "agency", header: "Agency", cell: (member) => member.agencyName },
  { id: "role", header: "Role", cell: (member) => MEMBERSHIP_ROLE_LABELS[member.role] },
  { id: "from", header: "Member since", cell: (member) => formatDate(member.fromDate) },
  {
    id: "to",
    header: "Until",
    cell: (member) => (member.toDate ? formatDate(member.toDate) : "No end date"),
  },
];

const status = (meeting: BoardMeeting) => (
  <Tag colour={MEETING_STATUS_COLOURS[meeting.status]}>{MEETING_STATUS_LABELS[meeting.status]}</Tag>
);

const where = (meeting: BoardMeeting) =>
  meeting.location
    ? `${MEETING_FORMAT_LABELS[meeting.format]}: ${meeting.location}`
    : MEETING_FORMAT_LABELS[meeting.format];

const upcomingColumns: DataTableColumn<BoardMeeting>[] = [
  {
    id: "starts",
    header: "Date and time",
    rowHeader: true,
    cell: (meeting) => (
      <Link className="govuk-link" to={`/meetings/${meeting.id}`}>
        {formatDateTime(meeting.startsAt)}
      </Link>
    ),
  },
  { id: "length", header: "Length", cell: (meeting) => formatDuration(meeting.durationMinutes) },
  { id: "where", header: "Where", cell: where },
  { id: "status", header: "Status", cell: status },
];

const recentColumns: DataTableColumn<BoardMeeting>[] = [
  {
    id: "starts",
    header: "Date and time",
    rowHeader: true,
    cell: (meeting) => (
      <Link className="govuk-link" to={`/meetings/${meeting.id}`}>
        {formatDateTime(meeting.startsAt)}
      </Link>
    ),
  },
  { id: "where", header: "Where", cell: where },
  { id: "status", header: "Status", cell: status },
  {
    id: "attendance",
    header: "Attended",
    numeric: true,
    cell: (meeting) => (meeting.invited > 0 ? `${meeting.attended} of ${meeting.invited}` : "Not recorded"),
  },
  {
    id: "minutes",
    header: "Minutes",
    cell: (meeting) =>
      meeting.status === "cancelled" ? (
        "None"
      ) : (
        <Link className="govuk-link" to={`/meetings/${meeting.id}/minutes`}>
          {meeting.minutesStatus ? MINUTES_STATUS_LABELS[meeting.minutesStatus] : "Not written"}
          <span className="govuk-visually-hidden"> (minutes of {formatDateTime(meeting.startsAt)})</span>
        </Link>
      ),
  },
];

export default function BoardPage({ loaderData }: Route.ComponentProps) {
  const { board, members, upcomingMeetings, recentMeetings, canRun, workspaceSlug, sunset } = loaderData;
  return (
    <>
      <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to="/boards">
              Boards
            </Link>
          </li>
        </ol>
      </nav>

      <span className="govuk-caption-l">{BOARD_TYPE_LABELS[board.type]}</span>
      <h1 className="govuk-heading-l">
        {board.name}
        {board.archivedAt && (
          <>
            {" "}
            <Tag colour="grey">Archived</Tag>
          </>
        )}
      </h1>

      {canRun && (
        <p className="govuk-body">
          <Link className="govuk-link" to={`/boards/${board.id}/edit`}>
            Edit board
          </Link>
          {" · "}
          <Link className="govuk-link" to={`/boards/${board.id}/members`}>
            Manage members
          </Link>
        </p>
      )}

      {sunset.flagged && (
        <div className="govuk-warning-text" data-testid="sunset">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            Review this board's terms of reference: {sunset.totals.review + sunset.totals.considerStopping} of
            its {sunset.totals.held} meetings in the last 12 months were "{VERDICT_LABELS.review}" or "
            {VERDICT_LABELS.consider_stopping}".
          </strong>
        </div>
      )}
      <p className="govuk-body">
        <Link className="govuk-link" to={`/boards/${board.id}/costs`}>
          What this board costs and produces
        </Link>
      </p>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-m">About this board</h2>
          <SummaryList
            rows={[
              { key: "Type", value: BOARD_TYPE_LABELS[board.type] },
              { key: "Level", value: BOARD_LEVEL_LABELS[board.level] },
              { key: "Usually meets", value: BOARD_FREQUENCY_LABELS[board.frequency] },
              {
                key: "Quorum",
                value:
                  board.quorum > 0
                    ? `${pluralise(board.quorum, "member agency", "member agencies")} present`
                    : "No quorum set",
              },
              { key: "Meeting length", value: formatDuration(board.defaultDurationMinutes) },
              {
                key: "Preparation time",
                value: `${formatDuration(board.preparationMinutes)} for each attendee`,
              },
              {
                key: "Published minutes",
                value: board.visibility === "public" ? "Published for the public" : "Not published",
              },
            ]}
          />

          <h2 className="govuk-heading-m">Terms of reference</h2>
          {board.termsOfReference.trim() ? (
            <div className="govuk-body app-prose">{board.termsOfReference.trim()}</div>
          ) : (
            <p className="govuk-body">No terms of reference have been recorded.</p>
          )}
        </div>
      </div>

      <p className="govuk-body">
        <Link className="govuk-link" to={`/actions?board=${board.id}`}>
          The board's action log
        </Link>
        {" · "}
        <Link className="govuk-link" to={`/boards/${board.id}/plans`}>
          Plans
        </Link>
        {" · "}
        <Link className="govuk-link" to={`/forward-plan?board=${board.id}`}>
          Decisions coming up
        </Link>
        {" · "}
        <Link className="govuk-link" to={`/boards/${board.id}/interests`}>
          Members' register of interests
        </Link>
        {board.visibility === "public" && (
          <>
            {" · "}
            <a className="govuk-link" href={`/public/${workspaceSlug}/boards/${board.slug}`}>
              Public page and published minutes
            </a>
          </>
        )}
      </p>

      <h2 className="govuk-heading-m">Members</h2>
      <DataTable
        caption={`Current members of ${board.name}`}
        captionSize="hidden"
        columns={memberColumns}
        rows={members}
        rowKey={(member) => member.membershipId}
        emptyMessage="This board has no current members."
      />

      <h2 className="govuk-heading-m">Upcoming meetings</h2>
      {canRun && !board.archivedAt && (
        <Link className="govuk-button" to={`/boards/${board.id}/meetings/new`}>
          Schedule a meeting
        </Link>
      )}
      <DataTable
        caption="Upcoming meetings"
        captionSize="hidden"
        columns={upcomingColumns}
        rows={upcomingMeetings}
        rowKey={(meeting) => meeting.id}
        emptyMessage="No meetings are scheduled."
      />

      <h2 className="govuk-heading-m">Recent meetings</h2>
      <DataTable
        caption="Recent meetings"
        captionSize="hidden"
        columns={recentColumns}
        rows={recentMeetings}
        rowKey={(meeting) => meeting.id}
        emptyMessage="This board has not met yet."
      />
    </>
  );
}
