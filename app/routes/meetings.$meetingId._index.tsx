import { Link } from "react-router";
import { ActionLogReviewTables } from "~/actions/components/action-log-review";
import { actionLogReview } from "~/actions/review.server";
import { notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { MEETING_FORMAT_LABELS, MEETING_STATUS_COLOURS, MEETING_STATUS_LABELS } from "~/boards/labels";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { SummaryList } from "~/components/summary-list";
import { Tag } from "~/components/tag";
import { VERDICT_LABELS, VERDICT_TAG_COLOURS } from "~/costs/verdicts";
import { formatDateTime, formatDuration, formatPence, pluralise } from "~/format";
import { type AgendaRow, getMeetingPage, type MeetingCostView } from "~/meetings/meetings.server";
import { AGENDA_PURPOSE_LABELS, CLASSIFICATION_LABELS } from "~/meetings/schemas";
import { minutesStatusOf } from "~/minutes/reading.server";
import { MINUTES_STATUS_COLOURS, MINUTES_STATUS_LABELS } from "~/minutes/schemas";
import type { Route } from "./+types/meetings.$meetingId._index";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `${data.meeting.boardName} meeting – Boardledger` : "Boardledger" },
];

const DONE_MESSAGES: Record<string, string> = {
  scheduled: "Meeting scheduled. Board members have been invited.",
  series: "Meetings scheduled. This is the first of the series; board members have been invited to each.",
  updated: "Meeting updated.",
  cancelled: "Meeting cancelled.",
};

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  if (!/^\d{1,15}$/.test(params.meetingId)) notFound();
  const page = await getMeetingPage(viewer, Number(params.meetingId));
  const minutes = await minutesStatusOf(viewer, page.meeting.id);
  const review = page.meeting.status === "cancelled" ? null : await actionLogReview(viewer, page.meeting.id);
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return { ...page, minutes, review, done: DONE_MESSAGES[done] ?? null };
}

const agendaColumns: DataTableColumn<AgendaRow>[] = [
  { id: "number", header: "No.", numeric: true, cell: (item) => item.position + 1 },
  { id: "title", header: "Item", rowHeader: true, cell: (item) => item.title },
  { id: "purpose", header: "Purpose", cell: (item) => AGENDA_PURPOSE_LABELS[item.purpose] },
  { id: "presenter", header: "Presenter", cell: (item) => item.presenter ?? "Not set" },
  { id: "minutes", header: "Minutes", numeric: true, cell: (item) => item.minutesAllowed },
  {
    id: "classification",
    header: "Classification",
    cell: (item) => (
      <Tag colour={item.classification === "official_sensitive" ? "red" : "grey"}>
        {CLASSIFICATION_LABELS[item.classification]}
      </Tag>
    ),
  },
];

type Attendee = Extract<MeetingCostView, { kind: "breakdown" }>["attendees"][number];

const costColumns: DataTableColumn<Attendee>[] = [
  {
    id: "name",
    header: "Name",
    rowHeader: true,
    cell: (a) => (
      <>
        {a.name}
        {a.deputy ? " (deputy)" : ""}
        {a.remote ? " (remote)" : ""}
      </>
    ),
  },
  { id: "agency", header: "Agency", cell: (a) => a.agency },
  { id: "grade", header: "Grade", cell: (a) => a.grade ?? "No grade" },
  { id: "minutes", header: "Minutes", numeric: true, cell: (a) => a.minutesPresent },
  { id: "travel", header: "Travel minutes", numeric: true, cell: (a) => a.travelMinutes },
  { id: "miles", header: "Miles", numeric: true, cell: (a) => a.miles.toLocaleString("en-GB") },
  { id: "cost", header: "Cost", numeric: true, cell: (a) => formatPence(a.costPence) },
];

function names(list: string[]): string {
  return list.length > 0 ? list.join(", ") : "None";
}

export default function MeetingPage({ loaderData }: Route.ComponentProps) {
  const { meeting, agenda, agendaMinutes, register, cost, verdict, canRun, done, minutes, review } =
    loaderData;
  // Beside the cost: what those who attended thought of it (held meetings only).
  const feedbackRows = verdict
    ? [
        {
          key: "Attendee feedback",
          value:
            verdict.feedbackAverage === null
              ? "No responses yet"
              : `${verdict.feedbackAverage.toFixed(1)} out of 5 (${pluralise(verdict.feedbackCount, "response")})`,
        },
      ]
    : [];
  const startsAt = new Date(meeting.startsAt);
  const overrun = agendaMinutes - meeting.durationMinutes;
  return (
    <>
      <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to="/boards">
              Boards
            </Link>
          </li>
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/boards/${meeting.boardId}`}>
              {meeting.boardName}
            </Link>
          </li>
        </ol>
      </nav>

      {done && (
        <div className="govuk-notification-banner govuk-notification-banner--success" role="alert">
          <div className="govuk-notification-banner__header">
            <h2 className="govuk-notification-banner__title">Success</h2>
          </div>
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">{done}</p>
          </div>
        </div>
      )}

      <span className="govuk-caption-l">{meeting.boardName}</span>
      <h1 className="govuk-heading-l">
        Meeting on {formatDateTime(startsAt)}{" "}
        <Tag colour={MEETING_STATUS_COLOURS[meeting.status]}>{MEETING_STATUS_LABELS[meeting.status]}</Tag>
      </h1>

      {canRun && meeting.status !== "cancelled" && (
        <div className="govuk-button-group">
          <Link className="govuk-button" to={`/meetings/${meeting.id}/agenda`}>
            Build agenda
          </Link>
          <Link className="govuk-button govuk-button--secondary" to={`/meetings/${meeting.id}/register`}>
            Take the register
          </Link>
          <Link className="govuk-link" to={`/meetings/${meeting.id}/declarations`}>
            Declarations of interest
          </Link>
          <Link className="govuk-link" to={`/meetings/${meeting.id}/edit`}>
            Edit meeting
          </Link>
          {meeting.status === "scheduled" && (
            <Link className="govuk-link" to={`/meetings/${meeting.id}/cancel`}>
              Cancel meeting
            </Link>
          )}
        </div>
      )}

      <SummaryList
        rows={[
          {
            key: "Board",
            value: (
              <Link className="govuk-link" to={`/boards/${meeting.boardId}`}>
                {meeting.boardName}
              </Link>
            ),
          },
          { key: "Date and time", value: formatDateTime(startsAt) },
          { key: "Length", value: formatDuration(meeting.durationMinutes) },
          { key: "Format", value: MEETING_FORMAT_LABELS[meeting.format] },
          { key: "Location", value: meeting.location },
          {
            key: "Status",
            value: (
              <Tag colour={MEETING_STATUS_COLOURS[meeting.status]}>
                {MEETING_STATUS_LABELS[meeting.status]}
              </Tag>
            ),
          },
          ...(meeting.status === "cancelled"
            ? [{ key: "Reason for cancelling", value: meeting.cancelledReason ?? "" }]
            : []),
        ]}
      />
      <p className="govuk-body">
        {/* A file download, not a page: a plain link. */}
        <a className="govuk-link" href={`/meetings/${meeting.id}/calendar.ics`} download>
          Add this meeting to your calendar (.ics)
        </a>
      </p>

      <h2 className="govuk-heading-m">Agenda</h2>
      <DataTable
        caption="Agenda"
        captionSize="hidden"
        columns={agendaColumns}
        rows={agenda}
        rowKey={(item) => item.id}
        emptyMessage="The agenda has no items yet."
      />
      <p className="govuk-body">
        {formatDuration(agendaMinutes)} of items against a meeting of{" "}
        {formatDuration(meeting.durationMinutes)}
        {overrun > 0 ? `: ${formatDuration(overrun)} over` : `: ${formatDuration(-overrun)} to spare`}.
      </p>

      {review ? (
        <section aria-labelledby="action-log-review">
          <h2 className="govuk-heading-m" id="action-log-review">
            Action log review
          </h2>
          <ActionLogReviewTables review={review} />
        </section>
      ) : null}

      <h2 className="govuk-heading-m">Minutes</h2>
      {meeting.status === "cancelled" ? (
        <p className="govuk-body">A cancelled meeting has no minutes.</p>
      ) : (
        <p className="govuk-body">
          {minutes ? (
            <>
              <Tag colour={MINUTES_STATUS_COLOURS[minutes.status]}>
                {MINUTES_STATUS_LABELS[minutes.status]}
              </Tag>{" "}
              <Link className="govuk-link" to={`/meetings/${meeting.id}/minutes`}>
                Read the minutes
              </Link>
            </>
          ) : canRun && new Date(meeting.startsAt) <= new Date() ? (
            <Link className="govuk-link" to={`/meetings/${meeting.id}/minutes`}>
              Write the minutes
            </Link>
          ) : (
            "The minutes have not been written yet."
          )}
        </p>
      )}

      <h2 className="govuk-heading-m">Register</h2>
      {register.invited === 0 ? (
        <p className="govuk-body">Nobody has been invited.</p>
      ) : (
        <SummaryList
          rows={[
            { key: "Invited", value: pluralise(register.invited, "person", "people") },
            { key: `Attended (${register.attended.length})`, value: names(register.attended) },
            { key: `Apologies (${register.apologies.length})`, value: names(register.apologies) },
            { key: `Absent (${register.absent.length})`, value: names(register.absent) },
            {
              key: `Deputies (${register.deputies.length})`,
              value: names(register.deputies.map((d) => `${d.deputy} for ${d.member}`)),
            },
            ...(register.notRecorded > 0
              ? [{ key: "Not yet recorded", value: pluralise(register.notRecorded, "person", "people") }]
              : []),
          ]}
        />
      )}

      <h2 className="govuk-heading-m">Cost</h2>
      {cost.kind === "breakdown" ? (
        <>
          <DataTable
            caption="Cost of each attendee"
            captionSize="s"
            columns={costColumns}
            rows={cost.attendees}
            rowKey={(a) => a.attendanceId}
            emptyMessage="Nobody has been recorded as attending."
          />
          <SummaryList
            rows={[
              { key: "Attendees", value: formatPence(cost.attendeesPence) },
              { key: "Venue", value: formatPence(cost.venuePence) },
              { key: "Catering", value: formatPence(cost.cateringPence) },
              { key: "Total", value: <strong>{formatPence(cost.totalPence)}</strong> },
              ...feedbackRows,
            ]}
          />
        </>
      ) : (
        <SummaryList
          rows={[
            { key: "Total cost", value: <strong>{formatPence(cost.totalPence)}</strong> },
            ...feedbackRows,
          ]}
        />
      )}

      {verdict && (
        <>
          <h2 className="govuk-heading-m">Is this meeting worth holding?</h2>
          <p className="govuk-body">
            <Tag colour={VERDICT_TAG_COLOURS[verdict.verdict]}>{VERDICT_LABELS[verdict.verdict]}</Tag>
          </p>
          <ul className="govuk-list govuk-list--bullet" aria-label="Reasons">
            {verdict.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
