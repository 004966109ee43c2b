import { Link } from "react-router";
import { notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { BOARD_TYPE_LABELS } from "~/boards/labels";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { SummaryList } from "~/components/summary-list";
import { getBoardCosts } from "~/costs/board-rollups.server";
import { QuarterlyCostPerOutcome } from "~/costs/components/quarterly-cost";
import {
  formatHours,
  formatPenceOrNone,
  formatShare,
  SCENARIO_EXPLANATIONS,
  SCENARIO_LABELS,
} from "~/costs/insight-labels";
import { financialYearLabel, meetingsHref } from "~/costs/periods";
import { VERDICT_LABELS, VERDICTS } from "~/costs/verdicts";
import { formatDate, formatPence, pluralise } from "~/format";
import type { Route } from "./+types/boards.$boardId_.costs";

/*
 * /boards/:boardId/costs: what a board has cost and produced over the last twelve months,
 * by year and quarter, attendance by agency, the sunset prompt, the scenarios and the
 * boards it overlaps with. Board totals only (no salaries), so every reader of the board.
 */

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `Costs: ${data.board.name} – Boardledger` : "Boardledger" },
];

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  if (!/^\d{1,15}$/.test(params.boardId)) notFound();
  return getBoardCosts(viewer, Number(params.boardId));
}

type Data = Route.ComponentProps["loaderData"];
type Year = Data["rollup"]["byYear"][number];
type AgencyRow = Data["rollup"]["byAgency"][number];
type ScenarioRow = Data["scenarios"]["scenarios"][number];
type OverlapRow = Data["overlaps"][number];

const money = formatPenceOrNone;

export default function BoardCostsPage({ loaderData }: Route.ComponentProps) {
  const { board, rollup, scenarios, overlaps, agencyCosts } = loaderData;
  const { totals, period } = rollup;
  const held = meetingsHref(period, { board: board.id });
  const verdictCounts = {
    worth_holding: totals.worthHolding,
    review: totals.review,
    consider_stopping: totals.considerStopping,
  };

  const yearColumns: DataTableColumn<Year>[] = [
    { id: "year", header: "Financial year", rowHeader: true, cell: (y) => financialYearLabel(y.year) },
    { id: "held", header: "Meetings held", numeric: true, cell: (y) => y.held },
    { id: "cost", header: "Cost", numeric: true, cell: (y) => formatPence(y.costPence) },
    { id: "outcomes", header: "Outcomes", numeric: true, cell: (y) => y.outcomes },
  ];
  const agencyColumns: DataTableColumn<AgencyRow>[] = [
    { id: "agency", header: "Agency", rowHeader: true, cell: (a) => a.agencyName },
    { id: "invited", header: "Invited", numeric: true, cell: (a) => a.invited },
    { id: "attended", header: "Attended", numeric: true, cell: (a) => a.attended },
    { id: "rate", header: "Attendance rate", numeric: true, cell: (a) => formatShare(a.attendanceRate) },
    { id: "deputies", header: "Deputies", numeric: true, cell: (a) => a.deputies },
    { id: "apologies", header: "Apologies", numeric: true, cell: (a) => a.apologies },
    ...(agencyCosts
      ? [
          {
            id: "cost",
            header: "Cost of its people",
            numeric: true,
            cell: (a: AgencyRow) => (a.costPence === null ? "" : formatPence(a.costPence)),
          },
        ]
      : []),
  ];
  const scenarioColumns: DataTableColumn<ScenarioRow>[] = [
    {
      id: "what",
      header: "What if this board…",
      rowHeader: true,
      cell: (s) => (
        <>
          {SCENARIO_LABELS[s.kind]}
          <br />
          <span className="govuk-body-s app-secondary-text">{SCENARIO_EXPLANATIONS[s.kind]}</span>
        </>
      ),
    },
    { id: "annual", header: "Projected annual cost", numeric: true, cell: (s) => formatPence(s.annualPence) },
    {
      id: "saving",
      header: "Projected annual saving",
      numeric: true,
      cell: (s) => formatPence(s.savingPence),
    },
  ];
  const overlapColumns: DataTableColumn<OverlapRow>[] = [
    {
      id: "board",
      header: "Board",
      rowHeader: true,
      cell: (o) => {
        const other = o.boards[0].id === board.id ? o.boards[1] : o.boards[0];
        return (
          <Link className="govuk-link" to={`/boards/${other.id}/costs`}>
            {other.name}
          </Link>
        );
      },
    },
    {
      id: "shared",
      header: "People in common",
      numeric: true,
      cell: (o) => `${o.sharedPeople} of ${o.people}`,
    },
    { id: "jaccard", header: "Overlap", numeric: true, cell: (o) => formatShare(o.jaccard) },
    {
      id: "cost",
      header: "Its cost, last 12 months",
      numeric: true,
      cell: (o) => formatPence((o.boards[0].id === board.id ? o.boards[1] : o.boards[0]).annualPence),
    },
    {
      id: "saving",
      header: "Suggested saving if merged",
      numeric: true,
      cell: (o) => formatPence(o.savingPence),
    },
  ];

  return (
    <div className="app-dashboard">
      <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to="/boards">
              Boards
            </Link>
          </li>
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/boards/${board.id}`}>
              {board.name}
            </Link>
          </li>
        </ol>
      </nav>
      <span className="govuk-caption-l">{BOARD_TYPE_LABELS[board.type]}</span>
      <h1 className="govuk-heading-l">Costs: {board.name}</h1>
      <p className="govuk-body">
        From {formatDate(period.from)} to {formatDate(period.to)}, every meeting priced by who attended: their
        time, travel and preparation at their grade's rate, with venue and catering.
      </p>

      {rollup.sunset && (
        <div className="govuk-warning-text" data-testid="sunset">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            Review this board's terms of reference: {totals.review + totals.considerStopping} of its{" "}
            {totals.held} meetings in the last 12 months were "{VERDICT_LABELS.review}" or "
            {VERDICT_LABELS.consider_stopping}".
          </strong>
        </div>
      )}

      <h2 className="govuk-heading-m">Last 12 months</h2>
      <SummaryList
        rows={[
          {
            key: "Cost",
            value: (
              <Link className="govuk-link" to={held} data-figure="cost">
                {formatPence(totals.costPence)}
              </Link>
            ),
          },
          {
            key: "Meetings held",
            value: (
              <Link className="govuk-link" to={held}>
                {pluralise(totals.held, "meeting")}
              </Link>
            ),
          },
          {
            key: "Meetings cancelled",
            value: (
              <Link
                className="govuk-link"
                to={meetingsHref(period, { board: board.id, status: "cancelled" })}
              >
                {pluralise(rollup.cancelled, "meeting")}
              </Link>
            ),
          },
          { key: "Staff time", value: formatHours(totals.personMinutes) },
          { key: "Decisions", value: totals.decisions },
          { key: "Outcomes", value: `${totals.outcomes} (decisions, actions raised and actions completed)` },
          { key: "Cost per decision", value: money(rollup.costPerDecisionPence) },
          { key: "Cost per outcome", value: money(rollup.costPerOutcomePence) },
          {
            key: "Actions done on time",
            value:
              rollup.onTime.share === null
                ? "No actions were due"
                : `${formatShare(rollup.onTime.share)} (${rollup.onTime.doneOnTime} of ${rollup.onTime.due} due)`,
          },
          {
            key: "Verdicts",
            value: (
              <ul className="govuk-list">
                {VERDICTS.map((verdict) => (
                  <li key={verdict}>
                    {VERDICT_LABELS[verdict]}:{" "}
                    <Link className="govuk-link" to={meetingsHref(period, { board: board.id, verdict })}>
                      {pluralise(verdictCounts[verdict], "meeting")}
                    </Link>
                  </li>
                ))}
              </ul>
            ),
          },
          {
            key: "Projected annual cost",
            value:
              rollup.projection.projectedPence === null
                ? "Not enough meetings held to project"
                : `${formatPence(rollup.projection.projectedPence)} for ${pluralise(rollup.projection.scheduled, "scheduled meeting")} in the next 12 months`,
          },
        ]}
      />

      <h2 className="govuk-heading-m">Cost per outcome by quarter</h2>
      <QuarterlyCostPerOutcome
        id="board-quarters"
        title={`Cost per outcome by quarter, ${board.name}`}
        quarters={rollup.byQuarter}
        caption="By quarter"
        captionSize="s"
        emptyMessage="No meetings held in the last two years."
      />

      <DataTable
        caption="By financial year"
        columns={yearColumns}
        rows={rollup.byYear}
        rowKey={(y) => y.year}
        emptyMessage="No meetings held yet."
      />

      <DataTable
        caption="Attendance by agency, last 12 months"
        columns={agencyColumns}
        rows={rollup.byAgency}
        rowKey={(a) => a.agencyId}
        emptyMessage="No meetings held in the last 12 months."
      />

      <h2 className="govuk-heading-m">What if</h2>
      {scenarios.annualPence === null ? (
        <p className="govuk-body">No meetings held in the last 12 months to base a projection on.</p>
      ) : (
        <>
          <p className="govuk-body">
            At {pluralise(scenarios.meetingsPerYear, "meeting")} a year, averaging{" "}
            {money(scenarios.averageMeetingPence)} (from its {pluralise(scenarios.basedOn, "meeting")} of the
            last 12 months), this board costs about {formatPence(scenarios.annualPence)} a year.
          </p>
          <DataTable
            caption="Scenarios"
            captionSize="hidden"
            columns={scenarioColumns}
            rows={scenarios.scenarios}
            rowKey={(s) => s.kind}
            emptyMessage="No scenarios."
          />
        </>
      )}

      <DataTable
        caption="Boards with many of the same people"
        columns={overlapColumns}
        rows={overlaps}
        rowKey={(o) => `${o.boards[0].id}-${o.boards[1].id}`}
        emptyMessage="No other board shares half or more of its people."
      />
    </div>
  );
}
