import { type CsvCell, penceAsPounds, toCsv } from "../admin/csv";
import type { Viewer } from "../auth/viewer.server";
import { isoTimestamp } from "../format";
import { getDashboard } from "./dashboard.server";
import type { DashboardFilters } from "./dashboard-filters";
import { quarterLabel } from "./periods";
import { VERDICT_LABELS } from "./verdicts";

/*
 * The dashboard's tables as CSV, from the same getDashboard call as the page, so a
 * download and the screen cannot disagree. Money as pounds with two decimals (a
 * spreadsheet number); hours to one decimal place; shares as fractions to four places.
 */

export const DASHBOARD_TABLES = [
  "boards",
  "agencies",
  "quarters",
  "meetings",
  "scorecard",
  "overlap",
] as const;
export type DashboardTable = (typeof DASHBOARD_TABLES)[number];

const pounds = (pence: number | null): CsvCell => (pence === null ? null : penceAsPounds(pence));
const hours = (minutes: number): CsvCell => (minutes / 60).toFixed(1);
const share = (value: number | null): CsvCell => (value === null ? null : value.toFixed(4));

export async function dashboardCsv(
  viewer: Viewer,
  filters: DashboardFilters,
  table: DashboardTable,
): Promise<string> {
  const { figures, scorecard, overlaps } = await getDashboard(viewer, filters);
  switch (table) {
    case "boards":
      return toCsv(
        [
          "Board",
          "Meetings held",
          "Cost (£)",
          "Staff hours",
          "Decisions",
          "Outcomes",
          "Cost per outcome (£)",
          "Worth holding",
          "Review",
          "Consider stopping",
        ],
        figures.byBoard.map((b) => [
          b.boardName,
          b.held,
          pounds(b.costPence),
          hours(b.personMinutes),
          b.decisions,
          b.outcomes,
          pounds(b.costPerOutcomePence),
          b.worthHolding,
          b.review,
          b.considerStopping,
        ]),
      );
    case "agencies":
      return toCsv(
        ["Agency", "Meetings attended", "Staff hours", "Cost (£)"],
        figures.byAgency.map((a) => [a.agencyName, a.meetings, hours(a.personMinutes), pounds(a.costPence)]),
      );
    case "quarters":
      return toCsv(
        ["Quarter", "Meetings held", "Cost (£)", "Outcomes", "Cost per outcome (£)"],
        figures.byQuarter.map((q) => [
          quarterLabel(q.quarter),
          q.held,
          pounds(q.costPence),
          q.outcomes,
          pounds(q.costPerOutcomePence),
        ]),
      );
    case "meetings":
      return toCsv(
        ["Meeting id", "Board", "Starts at", "Verdict", "Reasons", "Cost (£)", "Outcomes"],
        figures.meetingsToReview.map((m) => [
          m.meetingId,
          m.boardName,
          isoTimestamp(m.startsAt),
          VERDICT_LABELS[m.verdict],
          m.reasons.join("; "),
          pounds(m.costPence),
          m.outcomes,
        ]),
      );
    case "scorecard":
      return toCsv(
        [
          "Agency",
          "Invited",
          "Attended",
          "Attendance rate",
          "Deputies",
          "Apologies",
          "Absent",
          "Overdue actions owned",
          "Cost (£)",
          "Share of total cost",
        ],
        scorecard.map((s) => [
          s.agencyName,
          s.invited,
          s.attended,
          share(s.attendanceRate),
          s.deputies,
          s.apologies,
          s.absent,
          s.overdueActions,
          pounds(s.costPence),
          share(s.costShare),
        ]),
      );
    case "overlap":
      return toCsv(
        [
          "Board",
          "Other board",
          "People in common",
          "People in either",
          "Overlap",
          "Board cost, 12 months (£)",
          "Other board cost, 12 months (£)",
          "Suggested saving if merged (£)",
        ],
        overlaps.map((o) => [
          o.boards[0].name,
          o.boards[1].name,
          o.sharedPeople,
          o.people,
          share(o.jaccard),
          pounds(o.boards[0].annualPence),
          pounds(o.boards[1].annualPence),
          pounds(o.savingPence),
        ]),
      );
  }
}
