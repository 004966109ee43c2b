import { data, Form, Link } from "react-router";
import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { BOARD_TYPE_LABELS } from "~/boards/labels";
import { BOARD_TYPES } from "~/boards/schemas";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { ErrorSummary, type FieldLike, TextField } from "~/components/forms";
import { BarChart } from "~/costs/components/bar-chart";
import { QuarterlyCostPerOutcome } from "~/costs/components/quarterly-cost";
import { getDashboard } from "~/costs/dashboard.server";
import {
  dashboardQuery,
  parseDashboardFilters,
  scopeMeetingFilters,
  scopeValue,
} from "~/costs/dashboard-filters";
import { formatHours, formatPenceOrNone, formatShare } from "~/costs/insight-labels";
import { lastTwelveMonths, meetingsHref } from "~/costs/periods";
import { VERDICT_LABELS, VERDICTS } from "~/costs/verdicts";
import { formatDate, formatDateTime, formatPence, pluralise } from "~/format";
import type { Route } from "./+types/dashboard";

/*
 * /dashboard: the leaders' dashboard (admins and leaders; 404 for everyone else). Headline
 * figures for a period and scope, charts each with its table, the meetings and boards to
 * review first, the agency scorecard and the boards to consider merging. Every figure links
 * to the meetings behind it; every table downloads as CSV (/dashboard.csv).
 */

export const meta: Route.MetaFunction = () => [{ title: "Dashboard – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.readDashboards(viewer));
  const params = new URL(request.url).searchParams;
  const values = {
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    scope: params.get("scope") ?? "workspace",
  };
  const parsed = parseDashboardFilters(params);
  if (!parsed.ok) {
    const fallback = { period: lastTwelveMonths(), scope: { kind: "workspace" as const } };
    return data(
      { values, errors: parsed.errors, query: "", ...(await getDashboard(viewer, fallback)) },
      { status: 400 },
    );
  }
  return {
    values,
    errors: {} as Record<string, string[]>,
    query: dashboardQuery(parsed.filters),
    ...(await getDashboard(viewer, parsed.filters)),
  };
}

type Data = Route.ComponentProps["loaderData"];
type BoardRow = Data["figures"]["byBoard"][number];
type AgencyRow = Data["figures"]["byAgency"][number];
type MeetingRow = Data["figures"]["meetingsToReview"][number];
type ScoreRow = Data["scorecard"][number];
type OverlapRow = Data["overlaps"][number];

const money = formatPenceOrNone;

function CsvLink({ table, query, label }: { table: string; query: string; label: string }) {
  const q = new URLSearchParams(query);
  q.set("table", table);
  return (
    <p className="govuk-body app-no-print">
      <a className="govuk-link" href={`/dashboard.csv?${q.toString()}`} download>
        Download {label} as CSV
      </a>
    </p>
  );
}

export default function DashboardPage({ loaderData }: Route.ComponentProps) {
  const { values, errors, query, figures, scorecard, overlaps, agencies } = loaderData;
  const { totals, period } = figures;
  // Every figure links to the meetings behind it: the scope's meetings in the period.
  const inScope = scopeMeetingFilters(figures.scope);
  const all = meetingsHref(period, inScope);
  const forBoard = (boardId: number) => meetingsHref(period, { ...inScope, board: boardId });
  const field = (name: "from" | "to" | "scope"): FieldLike => ({
    id: `dashboard-${name}`,
    name,
    errors: errors[name],
    initialValue: values[name],
  });
  const fields = [field("from"), field("to"), field("scope")];

  const boardColumns: DataTableColumn<BoardRow>[] = [
    {
      id: "board",
      header: "Board",
      rowHeader: true,
      cell: (b) => (
        <Link className="govuk-link" to={`/boards/${b.boardId}/costs`}>
          {b.boardName}
        </Link>
      ),
    },
    {
      id: "held",
      header: "Meetings held",
      numeric: true,
      cell: (b) => (
        <Link className="govuk-link" to={forBoard(b.boardId)}>
          {b.held}
          <span className="govuk-visually-hidden"> meetings of {b.boardName}</span>
        </Link>
      ),
    },
    { id: "cost", header: "Cost", numeric: true, cell: (b) => formatPence(b.costPence) },
    { id: "hours", header: "Staff time", numeric: true, cell: (b) => formatHours(b.personMinutes) },
    { id: "outcomes", header: "Outcomes", numeric: true, cell: (b) => b.outcomes },
    {
      id: "perOutcome",
      header: "Cost per outcome",
      numeric: true,
      cell: (b) => money(b.costPerOutcomePence),
    },
    {
      id: "verdicts",
      header: "Review or stop",
      numeric: true,
      cell: (b) => `${b.review + b.considerStopping} of ${b.held}`,
    },
  ];
  const agencyColumns: DataTableColumn<AgencyRow>[] = [
    {
      id: "agency",
      header: "Agency",
      rowHeader: true,
      cell: (a) => (
        <Link className="govuk-link" to={`/dashboard/agencies/${a.agencyId}?${query}`}>
          {a.agencyName}
        </Link>
      ),
    },
    { id: "meetings", header: "Meetings attended", numeric: true, cell: (a) => a.meetings },
    { id: "hours", header: "Staff time", numeric: true, cell: (a) => formatHours(a.personMinutes) },
    { id: "cost", header: "Cost", numeric: true, cell: (a) => formatPence(a.costPence) },
  ];
  const verdictRows = VERDICTS.map((verdict) => ({
    verdict,
    count:
      verdict === "worth_holding"
        ? totals.worthHolding
        : verdict === "review"
          ? totals.review
          : totals.considerStopping,
  }));
  const meetingColumns: DataTableColumn<MeetingRow>[] = [
    {
      id: "meeting",
      header: "Meeting",
      rowHeader: true,
      cell: (m) => (
        <Link className="govuk-link" to={`/meetings/${m.meetingId}`}>
          {m.boardName}, {formatDateTime(m.startsAt)}
        </Link>
      ),
    },
    { id: "verdict", header: "Verdict", cell: (m) => VERDICT_LABELS[m.verdict] },
    { id: "why", header: "Why", cell: (m) => m.reasons.join("; ") },
    { id: "cost", header: "Cost", numeric: true, cell: (m) => formatPence(m.costPence) },
  ];
  const sunsetColumns: DataTableColumn<BoardRow>[] = [
    boardColumns[0]!,
    {
      id: "evidence",
      header: "Evidence",
      cell: (b) =>
        `${b.review + b.considerStopping} of ${b.held} meetings were "${VERDICT_LABELS.review}" or "${VERDICT_LABELS.consider_stopping}"`,
    },
    { id: "cost", header: "Cost", numeric: true, cell: (b) => formatPence(b.costPence) },
  ];
  const scoreColumns: DataTableColumn<ScoreRow>[] = [
    { id: "agency", header: "Agency", rowHeader: true, cell: (s) => s.agencyName },
    { id: "rate", header: "Attendance rate", numeric: true, cell: (s) => formatShare(s.attendanceRate) },
    { id: "deputies", header: "Deputies sent", numeric: true, cell: (s) => s.deputies },
    { id: "apologies", header: "Apologies", numeric: true, cell: (s) => s.apologies },
    { id: "overdue", header: "Overdue actions owned", numeric: true, cell: (s) => s.overdueActions },
    { id: "share", header: "Share of total cost", numeric: true, cell: (s) => formatShare(s.costShare) },
  ];
  const overlapColumns: DataTableColumn<OverlapRow>[] = [
    {
      id: "boards",
      header: "Boards",
      rowHeader: true,
      cell: (o) => (
        <>
          <Link className="govuk-link" to={`/boards/${o.boards[0].id}/costs`}>
            {o.boards[0].name}
          </Link>{" "}
          and{" "}
          <Link className="govuk-link" to={`/boards/${o.boards[1].id}/costs`}>
            {o.boards[1].name}
          </Link>
        </>
      ),
    },
    {
      id: "shared",
      header: "People in common",
      numeric: true,
      cell: (o) => `${o.sharedPeople} of ${o.people}`,
    },
    { id: "jaccard", header: "Overlap", numeric: true, cell: (o) => formatShare(o.jaccard) },
    {
      id: "costs",
      header: "Their costs, last 12 months",
      numeric: true,
      cell: (o) => `${formatPence(o.boards[0].annualPence)} and ${formatPence(o.boards[1].annualPence)}`,
    },
    {
      id: "saving",
      header: "Suggested saving if merged",
      numeric: true,
      cell: (o) => formatPence(o.savingPence),
    },
  ];

  const headline = [
    { label: "Cost", value: formatPence(totals.costPence), href: all },
    { label: "Meetings held", value: totals.held.toLocaleString("en-GB"), href: all },
    {
      label: "Meetings cancelled",
      value: figures.cancelled.toLocaleString("en-GB"),
      href: meetingsHref(period, { ...inScope, status: "cancelled" }),
    },
    { label: "Staff time", value: formatHours(totals.personMinutes), href: all },
    { label: "Outcomes", value: totals.outcomes.toLocaleString("en-GB"), href: all },
    { label: "Cost per outcome", value: money(figures.costPerOutcomePence), href: all },
    { label: "Cost per decision", value: money(figures.costPerDecisionPence), href: all },
  ];

  return (
    <div className="app-dashboard">
      <h1 className="govuk-heading-l">Dashboard</h1>
      <ErrorSummary form={{}} fields={fields} />
      <Form method="get" className="app-filter app-no-print" aria-label="Period and scope">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-quarter">
            <TextField field={fields[0]!} label="From" type="date" />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <TextField field={fields[1]!} label="To" type="date" />
          </div>
          <div className="govuk-grid-column-one-half">
            <div className={`govuk-form-group${errors.scope ? " govuk-form-group--error" : ""}`}>
              <label className="govuk-label" htmlFor="dashboard-scope">
                Scope
              </label>
              {errors.scope ? (
                <p id="dashboard-scope-error" className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {errors.scope[0]}
                </p>
              ) : null}
              <select
                className="govuk-select"
                id="dashboard-scope"
                name="scope"
                defaultValue={values.scope}
                aria-describedby={errors.scope ? "dashboard-scope-error" : undefined}
              >
                <option value="workspace">The whole partnership</option>
                <optgroup label="A type of board">
                  {BOARD_TYPES.map((type) => (
                    <option key={type} value={scopeValue({ kind: "board_type", boardType: type })}>
                      {BOARD_TYPE_LABELS[type]}
                    </option>
                  ))}
                </optgroup>
                <optgroup label="An agency">
                  {agencies.map((a) => (
                    <option key={a.id} value={scopeValue({ kind: "agency", agencyId: a.id })}>
                      {a.name}
                    </option>
                  ))}
                </optgroup>
              </select>
            </div>
          </div>
        </div>
        <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
          Show figures
        </button>
      </Form>

      <p className="govuk-body">
        From {formatDate(period.from)} to {formatDate(period.to)}: {pluralise(totals.held, "meeting")} held.
      </p>
      <ul className="app-figures" aria-label="Headline figures">
        {headline.map((figure) => (
          <li key={figure.label} className="app-figures__item">
            <Link className="govuk-link app-figures__value" to={figure.href}>
              {figure.value}
              <span className="govuk-visually-hidden">: {figure.label.toLowerCase()}</span>
            </Link>
            <span className="govuk-body-s">{figure.label}</span>
          </li>
        ))}
      </ul>

      <h2 className="govuk-heading-m">Review first</h2>
      <DataTable
        caption="Meetings to review first"
        columns={meetingColumns}
        rows={figures.meetingsToReview}
        rowKey={(m) => m.meetingId}
        emptyMessage="Every meeting in this period was worth holding."
      />
      <CsvLink table="meetings" query={query} label="the meetings to review" />
      <DataTable
        caption="Boards to review: their terms of reference"
        columns={sunsetColumns}
        rows={figures.boardsToReview}
        rowKey={(b) => b.boardId}
        emptyMessage="No board's meetings were mostly for review or stopping."
      />
      <DataTable
        caption="Boards to consider merging"
        columns={overlapColumns}
        rows={overlaps}
        rowKey={(o) => `${o.boards[0].id}-${o.boards[1].id}`}
        emptyMessage="No two boards share half or more of their people."
      />
      <CsvLink table="overlap" query={query} label="the boards to consider merging" />

      <h2 className="govuk-heading-m">Cost by board</h2>
      <BarChart
        id="cost-by-board"
        title="Cost by board"
        bars={figures.byBoard.slice(0, 15).map((b) => ({
          key: b.boardId,
          label: b.boardName,
          value: b.costPence,
          display: formatPence(b.costPence),
        }))}
      />
      <DataTable
        caption="Cost by board"
        captionSize="hidden"
        columns={boardColumns}
        rows={figures.byBoard}
        rowKey={(b) => b.boardId}
        emptyMessage="No meetings held in this period."
      />
      <CsvLink table="boards" query={query} label="cost by board" />

      <h2 className="govuk-heading-m">Cost by agency</h2>
      <BarChart
        id="cost-by-agency"
        title="Cost by agency"
        bars={figures.byAgency.slice(0, 15).map((a) => ({
          key: a.agencyId,
          label: a.agencyName,
          value: a.costPence,
          display: formatPence(a.costPence),
        }))}
      />
      <DataTable
        caption="Cost by agency"
        captionSize="hidden"
        columns={agencyColumns}
        rows={figures.byAgency}
        rowKey={(a) => a.agencyId}
        emptyMessage="No meetings held in this period."
      />
      <CsvLink table="agencies" query={query} label="cost by agency" />

      <h2 className="govuk-heading-m">Cost per outcome over time</h2>
      <QuarterlyCostPerOutcome
        id="cost-per-outcome"
        title="Cost per outcome by quarter"
        quarters={figures.byQuarter}
        caption="Cost per outcome by quarter"
        captionSize="hidden"
        emptyMessage="No meetings held in this period."
      />
      <CsvLink table="quarters" query={query} label="cost per outcome by quarter" />

      <h2 className="govuk-heading-m">Verdicts</h2>
      <BarChart
        id="verdict-mix"
        title="Meetings by verdict"
        bars={verdictRows.map((v) => ({
          key: v.verdict,
          label: VERDICT_LABELS[v.verdict],
          value: v.count,
          display: pluralise(v.count, "meeting"),
        }))}
      />
      <DataTable
        caption="Meetings by verdict"
        captionSize="hidden"
        columns={[
          { id: "verdict", header: "Verdict", rowHeader: true, cell: (v) => VERDICT_LABELS[v.verdict] },
          {
            id: "count",
            header: "Meetings",
            numeric: true,
            cell: (v) => (
              <Link className="govuk-link" to={meetingsHref(period, { ...inScope, verdict: v.verdict })}>
                {v.count}
                <span className="govuk-visually-hidden"> meetings: {VERDICT_LABELS[v.verdict]}</span>
              </Link>
            ),
          },
          {
            id: "share",
            header: "Share",
            numeric: true,
            cell: (v) => formatShare(totals.held > 0 ? v.count / totals.held : null),
          },
        ]}
        rows={verdictRows}
        rowKey={(v) => v.verdict}
        emptyMessage="No meetings held in this period."
      />

      <h2 className="govuk-heading-m">Agency scorecard</h2>
      <DataTable
        caption="Agency scorecard"
        captionSize="hidden"
        columns={scoreColumns}
        rows={scorecard}
        rowKey={(s) => s.agencyId}
        emptyMessage="No agencies."
      />
      <CsvLink table="scorecard" query={query} label="the agency scorecard" />
    </div>
  );
}
