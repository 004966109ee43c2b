import { data, Form, Link, redirect } from "react-router";
import { requireViewer } from "~/auth/viewer.server";
import {
  BOARD_TYPE_LABELS,
  MEETING_FORMAT_LABELS,
  MEETING_STATUS_COLOURS,
  MEETING_STATUS_LABELS,
} from "~/boards/labels";
import { BOARD_TYPES } from "~/boards/schemas";
import { SelectField } from "~/components/choice-fields";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { ErrorSummary, type FieldLike, TextField } from "~/components/forms";
import { pageCount, pageQuery, parseTableState } from "~/components/table-state";
import { Tag } from "~/components/tag";
import { VERDICT_LABELS, VERDICT_TAG_COLOURS, VERDICTS } from "~/costs/verdicts";
import { formatDate, formatDuration, formatTime } from "~/format";
import {
  listMeetings,
  type MeetingList,
  type MeetingListItem,
  type MeetingWhen,
  meetingAgencyOptions,
  meetingBoardOptions,
  meetingTable,
  parseMeetingFilters,
} from "~/meetings/meetings-list.server";
import { MEETING_FILTERS } from "~/meetings/schemas";
import type { Route } from "./+types/meetings._index";

/*
 * /meetings: the upcoming or past meetings of every board the viewer reads, filtered by
 * board, date range, status and verdict (a GET form), sorted and paged by the server; the URL keeps
 * it all, so a view can be bookmarked and shared.
 */

export const meta: Route.MetaFunction = () => [{ title: "Meetings – Boardledger" }];

const FILTERS = MEETING_FILTERS;
const STATUSES = ["scheduled", "held", "cancelled"] as const;

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const params = url.searchParams;
  const values = Object.fromEntries(FILTERS.map((name) => [name, params.get(name)?.trim() ?? ""])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const when: MeetingWhen = values.when === "past" ? "past" : "upcoming";
  const [boards, agencies] = await Promise.all([meetingBoardOptions(viewer), meetingAgencyOptions(viewer)]);
  const parsed = parseMeetingFilters(params);
  const state = parseTableState(params, meetingTable(when));
  const sort = { sort: state.sort, dir: state.dir };

  // The filter's part of the query (not sort or page), for the tabs and the export.
  const kept = new URLSearchParams();
  for (const name of FILTERS) if (name !== "when" && values[name]) kept.set(name, values[name]);
  const tabHref = (tab: MeetingWhen) => {
    const q = new URLSearchParams(kept);
    if (tab === "past") q.set("when", "past");
    const s = q.toString();
    return s ? `/meetings?${s}` : "/meetings";
  };
  const tabs = { upcoming: tabHref("upcoming"), past: tabHref("past") };

  if (!parsed.ok) {
    const list: MeetingList = { rows: [], total: 0, page: 1, pageSize: state.pageSize };
    return data(
      { when, values, boards, agencies, errors: parsed.errors, list, sort, tabs, exportHref: null },
      { status: 400 },
    );
  }
  const list = await listMeetings(viewer, parsed.filters, state);
  const lastPage = pageCount(list.total, list.pageSize);
  if (state.page > lastPage) throw redirect(`${url.pathname}${pageQuery(url.search, lastPage)}`);
  const exportParams = new URLSearchParams(kept);
  exportParams.set("when", when);
  exportParams.set("sort", state.sort);
  exportParams.set("dir", state.dir);
  return {
    when,
    values,
    boards,
    agencies,
    errors: {} as Record<string, string[]>,
    list,
    sort,
    tabs,
    exportHref: `/meetings.csv?${exportParams.toString()}`,
  };
}

const columns: DataTableColumn<MeetingListItem>[] = [
  {
    id: "date",
    header: "Date",
    sortable: true,
    rowHeader: true,
    nowrap: true,
    cell: (m) => (
      <Link to={`/meetings/${m.id}`} className="govuk-link">
        {formatDate(m.startsAt)}, {formatTime(m.startsAt)}
      </Link>
    ),
  },
  { id: "board", header: "Board", sortable: true, cell: (m) => m.boardName },
  { id: "duration", header: "Length", nowrap: true, cell: (m) => formatDuration(m.durationMinutes) },
  {
    id: "format",
    header: "Format",
    cell: (m) =>
      m.location ? `${MEETING_FORMAT_LABELS[m.format]}: ${m.location}` : MEETING_FORMAT_LABELS[m.format],
  },
  {
    id: "status",
    header: "Status",
    sortable: true,
    cell: (m) => <Tag colour={MEETING_STATUS_COLOURS[m.status]}>{MEETING_STATUS_LABELS[m.status]}</Tag>,
  },
  {
    id: "verdict",
    header: "Verdict",
    cell: (m) =>
      m.verdict ? (
        <Tag colour={VERDICT_TAG_COLOURS[m.verdict]}>{VERDICT_LABELS[m.verdict]}</Tag>
      ) : (
        <span className="govuk-hint govuk-!-margin-0">Not held yet</span>
      ),
  },
];

export default function Meetings({ loaderData }: Route.ComponentProps) {
  const { when, values, boards, agencies, errors, list, sort, tabs, exportHref } = loaderData;
  const field = (name: Exclude<(typeof FILTERS)[number], "when">): FieldLike => ({
    id: `filter-${name}`,
    name,
    errors: errors[name],
    initialValue: values[name],
  });
  const fields = [
    field("board"),
    field("from"),
    field("to"),
    field("status"),
    field("verdict"),
    field("type"),
    field("agency"),
  ];
  return (
    <>
      <h1 className="govuk-heading-l">Meetings</h1>
      <ErrorSummary form={{}} fields={fields} />
      <nav className="moj-sub-navigation" aria-label="Upcoming or past meetings">
        <ul className="moj-sub-navigation__list">
          {(["upcoming", "past"] as const).map((tab) => (
            <li key={tab} className="moj-sub-navigation__item">
              <Link
                className="moj-sub-navigation__link"
                to={tabs[tab]}
                aria-current={when === tab ? "page" : undefined}
              >
                {tab === "upcoming" ? "Upcoming" : "Past"}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Form method="get" className="app-filter" aria-label="Filter meetings">
        {when === "past" ? <input type="hidden" name="when" value="past" /> : null}
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-quarter">
            <SelectField
              field={fields[0]!}
              label="Board"
              placeholder="All boards"
              options={boards.map((b) => ({ value: String(b.id), label: b.name }))}
            />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <TextField field={fields[1]!} label="From" type="date" />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <TextField field={fields[2]!} label="To" type="date" />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <SelectField
              field={fields[3]!}
              label="Status"
              placeholder="Any status"
              options={STATUSES.map((s) => ({ value: s, label: MEETING_STATUS_LABELS[s] }))}
            />
          </div>
        </div>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-quarter">
            <SelectField
              field={fields[4]!}
              label="Verdict"
              placeholder="Any verdict"
              options={VERDICTS.map((v) => ({ value: v, label: VERDICT_LABELS[v] }))}
            />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <SelectField
              field={fields[5]!}
              label="Type of board"
              placeholder="Any type"
              options={BOARD_TYPES.map((t) => ({ value: t, label: BOARD_TYPE_LABELS[t] }))}
            />
          </div>
          <div className="govuk-grid-column-one-half">
            <SelectField
              field={fields[6]!}
              label="Agency taking part"
              placeholder="Any agency"
              options={agencies.map((a) => ({ value: String(a.id), label: a.name }))}
            />
          </div>
        </div>
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Apply filters
          </button>
          <Link to={when === "past" ? "/meetings?when=past" : "/meetings"} className="govuk-link">
            Clear filters
          </Link>
        </div>
      </Form>
      <DataTable
        caption={when === "upcoming" ? "Upcoming meetings" : "Past meetings"}
        captionSize="hidden"
        columns={columns}
        rows={list.rows}
        rowKey={(m) => m.id}
        sort={sort}
        emptyMessage={when === "upcoming" ? "No upcoming meetings match." : "No past meetings match."}
        paging={{ page: list.page, pageSize: list.pageSize, total: list.total, itemsName: "meetings" }}
      />
      {exportHref ? (
        <p className="govuk-body">
          <a href={exportHref} className="govuk-link" download>
            Download these meetings as CSV
          </a>
        </p>
      ) : null}
    </>
  );
}
