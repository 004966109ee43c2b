import { type RawBuilder, sql } from "kysely";
import { type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { can, ensure, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { agencyScorecard } from "./agency-burden.server";
import {
  needsSunsetReview,
  perUnit,
  type RollupTotals,
  type TotalsRow,
  totalsColumns,
  totalsOf,
} from "./board-rollups.server";
import type { DashboardFilters, DashboardScope } from "./dashboard-filters";
import { boardOverlaps } from "./overlap.server";
import { londonEndExclusive, londonStart } from "./period-sql.server";
import type { Period } from "./periods";
import { refreshStaleRollups } from "./rollups.server";
import type { Verdict } from "./verdicts";

/*
 * The leaders' dashboard: headline figures for a period and a scope (the whole workspace,
 * one board type, or one agency), cost by board, by agency and by quarter, and the
 * meetings and boards to review first. Every figure is a grouped query over the
 * materialised rollups; the queries run side by side.
 *
 * In an agency's scope a meeting counts when the agency was invited to it, and its cost,
 * hours and cost per outcome are the agency's people's share (meeting_agency_rollups).
 */

export interface DashboardBoardRow extends RollupTotals {
  boardId: number;
  boardName: string;
  costPerOutcomePence: number | null;
  sunset: boolean;
}

export interface Dashboard {
  period: Period;
  scope: DashboardScope;
  totals: RollupTotals;
  cancelled: number;
  costPerOutcomePence: number | null;
  costPerDecisionPence: number | null;
  byBoard: DashboardBoardRow[];
  byAgency: {
    agencyId: number;
    agencyName: string;
    meetings: number;
    personMinutes: number;
    costPence: number;
  }[];
  byQuarter: {
    quarter: string;
    held: number;
    costPence: number;
    outcomes: number;
    costPerOutcomePence: number | null;
  }[];
  meetingsToReview: {
    meetingId: number;
    boardId: number;
    boardName: string;
    startsAt: Date;
    verdict: Verdict;
    reasons: string[];
    costPence: number;
    outcomes: number;
  }[];
  /** Boards flagged for a review of their terms of reference, costliest first. */
  boardsToReview: DashboardBoardRow[];
}

/**
 * The scoped rollups as a sub-query with meeting_rollups' columns (cost_pence and
 * person_minutes being the agency's share in an agency's scope).
 */
function scopedRollups(ws: number, period: Period, scope: DashboardScope): RawBuilder<unknown> {
  const inPeriod = sql`r.workspace_id = ${ws} and r.held_on between ${period.from}::date and ${period.to}::date`;
  switch (scope.kind) {
    case "workspace":
      return sql`(select r.* from meeting_rollups r where ${inPeriod})`;
    case "board_type":
      return sql`(select r.* from meeting_rollups r
        join boards b on b.workspace_id = r.workspace_id and b.id = r.board_id
        where ${inPeriod} and b.type = ${scope.boardType})`;
    case "agency":
      return sql`(select r.workspace_id, r.meeting_id, r.board_id, r.held_on, r.verdict, r.reasons, r.invited, r.attended,
          r.decisions, r.outcomes, ar.cost_pence, ar.person_minutes
        from meeting_rollups r
        join meeting_agency_rollups ar on ar.workspace_id = r.workspace_id and ar.meeting_id = r.meeting_id
          and ar.agency_id = ${scope.agencyId}
        where ${inPeriod})`;
  }
}

function cancelledFilter(ws: number, scope: DashboardScope): RawBuilder<unknown> {
  switch (scope.kind) {
    case "workspace":
      return sql`true`;
    case "board_type":
      return sql`m.board_id in (select b.id from boards b where b.workspace_id = ${ws} and b.type = ${scope.boardType})`;
    case "agency":
      // The agency was invited: one of its people is on the register.
      return sql`exists (select 1 from attendance a join people p on p.workspace_id = a.workspace_id and p.id = a.person_id
        where a.workspace_id = ${ws} and a.meeting_id = m.id and p.agency_id = ${scope.agencyId})`;
  }
}

const REVIEW_LIMIT = 10;

export async function dashboard(db: WorkspaceDb, period: Period, scope: DashboardScope): Promise<Dashboard> {
  await refreshStaleRollups(db);
  const ws = workspaceIdOf(db);
  const scoped = scopedRollups(ws, period, scope);

  // The totals, each board's and each quarter's in one pass over the period's rollups
  // (grouping sets): three scans of a year's rows were most of the dashboard's time.
  const grouped = sql<
    TotalsRow & {
      whole_board: number;
      whole_quarter: number;
      board_id: number | null;
      board_name: string | null;
      quarter: string | null;
    }
  >`
    select g.*, b.name as board_name
    from (
      select grouping(r.board_id) as whole_board, grouping(date_trunc('quarter', r.held_on)) as whole_quarter,
        r.board_id, to_char(date_trunc('quarter', r.held_on), 'YYYY-MM-DD') as quarter, ${totalsColumns}
      from ${scoped} r
      group by grouping sets ((), (r.board_id), (date_trunc('quarter', r.held_on)))
    ) g
    left join boards b on b.workspace_id = ${ws} and b.id = g.board_id
    -- Boards by cost then name; quarters in date order.
    order by (case when g.whole_board = 0 then g.cost_pence end) desc nulls last, b.name, g.quarter`.execute(
    db,
  );

  const cancelled = sql<{ cancelled: number }>`
    select count(*)::int as cancelled from meetings m
    where m.workspace_id = ${ws} and m.status = 'cancelled'
      and m.starts_at >= ${londonStart(period.from)} and m.starts_at < ${londonEndExclusive(period.to)}
      and ${cancelledFilter(ws, scope)}`.execute(db);

  // Cost by agency: each agency's people's share of the meetings in scope.
  const agencies = sql<{
    agency_id: number;
    agency_name: string;
    meetings: number;
    person_minutes: number;
    cost_pence: number;
  }>`
    select g.*, ag.name as agency_name
    from (
      select ar.agency_id, (count(*) filter (where ar.attended > 0))::int as meetings,
        sum(ar.person_minutes)::bigint as person_minutes, sum(ar.cost_pence)::bigint as cost_pence
      from meeting_agency_rollups ar
      where ar.workspace_id = ${ws} and ar.held_on between ${period.from}::date and ${period.to}::date
        ${
          scope.kind === "agency"
            ? sql`and ar.agency_id = ${scope.agencyId}`
            : scope.kind === "board_type"
              ? sql`and ar.board_id in (select b.id from boards b where b.workspace_id = ${ws} and b.type = ${scope.boardType})`
              : sql``
        }
      group by ar.agency_id
    ) g
    join agencies ag on ag.workspace_id = ${ws} and ag.id = g.agency_id
    order by g.cost_pence desc, ag.name`.execute(db);

  // Consider stopping before review; within each, the costliest first.
  const meetings = sql<{
    meeting_id: number;
    board_id: number;
    board_name: string;
    starts_at: Date;
    verdict: Verdict;
    reasons: string[];
    cost_pence: number;
    outcomes: number;
  }>`
    select r.meeting_id, r.board_id, b.name as board_name, m.starts_at, r.verdict, r.reasons,
      r.cost_pence, r.outcomes
    from ${scoped} r
    join meetings m on m.workspace_id = ${ws} and m.id = r.meeting_id
    join boards b on b.workspace_id = ${ws} and b.id = r.board_id
    where r.verdict <> 'worth_holding'
    order by (r.verdict = 'consider_stopping') desc, r.cost_pence desc, r.meeting_id
    limit ${REVIEW_LIMIT}`.execute(db);

  const [g, c, a, m] = await Promise.all([grouped, cancelled, agencies, meetings]);
  const totals = totalsOf(g.rows.find((r) => r.whole_board === 1 && r.whole_quarter === 1));
  const byBoard = g.rows
    .filter((r) => r.whole_board === 0)
    .map(
      (r): DashboardBoardRow => ({
        ...totalsOf(r),
        boardId: Number(r.board_id),
        boardName: r.board_name ?? "",
        costPerOutcomePence: perUnit(Number(r.cost_pence), r.outcomes),
        sunset: needsSunsetReview(totalsOf(r)),
      }),
    );
  return {
    period,
    scope,
    totals,
    cancelled: c.rows[0]?.cancelled ?? 0,
    costPerOutcomePence: perUnit(totals.costPence, totals.outcomes),
    costPerDecisionPence: perUnit(totals.costPence, totals.decisions),
    byBoard,
    byAgency: a.rows.map((r) => ({
      agencyId: r.agency_id,
      agencyName: r.agency_name,
      meetings: r.meetings,
      personMinutes: Number(r.person_minutes),
      costPence: Number(r.cost_pence),
    })),
    byQuarter: g.rows
      .filter((r) => r.whole_quarter === 0)
      .map((r) => ({
        quarter: r.quarter ?? "",
        held: r.held,
        costPence: Number(r.cost_pence),
        outcomes: r.outcomes,
        costPerOutcomePence: perUnit(Number(r.cost_pence), r.outcomes),
      })),
    meetingsToReview: m.rows.map((r) => ({
      meetingId: r.meeting_id,
      boardId: r.board_id,
      boardName: r.board_name,
      startsAt: r.starts_at,
      verdict: r.verdict,
      reasons: r.reasons,
      costPence: Number(r.cost_pence),
      outcomes: r.outcomes,
    })),
    // byBoard is already ordered by cost in SQL; the flagged ones keep that order.
    boardsToReview: byBoard.filter((row) => row.sunset),
  };
}

/**
 * The leaders' dashboard for a viewer who may read dashboards (others: 404): the figures,
 * the agency scorecard and the overlapping boards, side by side.
 */
export async function getDashboard(viewer: Viewer, filters: DashboardFilters) {
  ensure(can.readDashboards(viewer));
  const agencies = await viewer.db.selectFrom("agencies").select(["id", "name"]).orderBy("name").execute();
  const scope = filters.scope;
  if (scope.kind === "agency" && !agencies.some((a) => a.id === scope.agencyId)) notFound();
  await refreshStaleRollups(viewer.db);
  const [figures, scorecard, overlap] = await Promise.all([
    dashboard(viewer.db, filters.period, filters.scope),
    agencyScorecard(viewer.db, filters.period),
    boardOverlaps(viewer.db),
  ]);
  return { figures, scorecard, overlaps: overlap.pairs, agencies };
}
