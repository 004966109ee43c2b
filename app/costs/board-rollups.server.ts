import { sql } from "kysely";
import { type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { can, ensure, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { londonDate } from "../format";
import { boardOverlaps } from "./overlap.server";
import { londonEndExclusive, londonStart } from "./period-sql.server";
import { lastTwelveMonths, type Period } from "./periods";
import { refreshStaleRollups } from "./rollups.server";
import { boardScenarios } from "./scenarios.server";

/*
 * A board's cost rollup, read from the materialised per-meeting figures (meeting_rollups,
 * meeting_agency_rollups): every total is one grouped query, never rows summed in
 * JavaScript. Periods are London calendar dates (held_on is the meeting's London date).
 */

/** A board is flagged for a review of its terms of reference when more than this share of its held meetings were "review" or "consider stopping"… */
export const SUNSET_SHARE = 0.5;
/** …and it held at least this many meetings in the period (fewer is not evidence). */
export const SUNSET_MIN_MEETINGS = 3;
/** How many of a board's latest held meetings set the expected cost of its scheduled ones. */
const RECENT_MEETINGS = 6;

export interface RollupTotals {
  held: number;
  costPence: number;
  personMinutes: number;
  invited: number;
  attended: number;
  decisions: number;
  outcomes: number;
  worthHolding: number;
  review: number;
  considerStopping: number;
}

/** The aggregate columns every rollup query selects from `meeting_rollups r`. */
export const totalsColumns = sql`
  count(*)::int as held,
  coalesce(sum(r.cost_pence), 0)::bigint as cost_pence,
  coalesce(sum(r.person_minutes), 0)::bigint as person_minutes,
  coalesce(sum(r.invited), 0)::int as invited,
  coalesce(sum(r.attended), 0)::int as attended,
  coalesce(sum(r.decisions), 0)::int as decisions,
  coalesce(sum(r.outcomes), 0)::int as outcomes,
  (count(*) filter (where r.verdict = 'worth_holding'))::int as worth_holding,
  (count(*) filter (where r.verdict = 'review'))::int as review,
  (count(*) filter (where r.verdict = 'consider_stopping'))::int as consider_stopping`;

export interface TotalsRow {
  held: number;
  cost_pence: number;
  person_minutes: number;
  invited: number;
  attended: number;
  decisions: number;
  outcomes: number;
  worth_holding: number;
  review: number;
  consider_stopping: number;
}

export function totalsOf(row: TotalsRow | undefined): RollupTotals {
  return {
    held: row?.held ?? 0,
    costPence: Number(row?.cost_pence ?? 0),
    personMinutes: Number(row?.person_minutes ?? 0),
    invited: row?.invited ?? 0,
    attended: row?.attended ?? 0,
    decisions: row?.decisions ?? 0,
    outcomes: row?.outcomes ?? 0,
    worthHolding: row?.worth_holding ?? 0,
    review: row?.review ?? 0,
    considerStopping: row?.consider_stopping ?? 0,
  };
}

/** Pence per unit, rounded to the penny (halves away from zero); null when there is none. */
export function perUnit(pence: number, units: number): number | null {
  return units > 0 ? Math.round(pence / units) : null;
}

/** More than half the held meetings were "review" or "consider stopping", over enough meetings to tell. */
export function needsSunsetReview(t: RollupTotals): boolean {
  return t.held >= SUNSET_MIN_MEETINGS && (t.review + t.considerStopping) / t.held > SUNSET_SHARE;
}

export interface BoardRollup {
  period: Period;
  totals: RollupTotals;
  cancelled: number;
  costPerDecisionPence: number | null;
  costPerOutcomePence: number | null;
  /** Share of the board's actions due in the period (not dropped) done by their due date; null when none were due. */
  onTime: { due: number; doneOnTime: number; share: number | null };
  projection: { scheduled: number; expectedMeetingPence: number | null; projectedPence: number | null };
  sunset: boolean;
  byYear: { year: number; held: number; costPence: number; outcomes: number }[];
  byQuarter: {
    quarter: string;
    held: number;
    costPence: number;
    outcomes: number;
    costPerOutcomePence: number | null;
  }[];
  byAgency: {
    agencyId: number;
    agencyName: string;
    invited: number;
    attended: number;
    apologies: number;
    deputies: number;
    costPence: number;
    attendanceRate: number | null;
  }[];
}

/** A board's rollup over the last twelve months to `today` (London), with its years and quarters. */
export async function boardRollup(
  db: WorkspaceDb,
  boardId: number,
  today: string = londonDate(),
): Promise<BoardRollup> {
  await refreshStaleRollups(db);
  const ws = workspaceIdOf(db);
  const period = lastTwelveMonths(today);

  const headline = sql<
    TotalsRow & {
      cancelled: number;
      due: number;
      done_on_time: number;
      scheduled: number;
      scheduled_fixed_pence: number;
      expected_people_pence: number | null;
    }
  >`
    select ${totalsColumns},
      (select count(*)::int from meetings m
        where m.workspace_id = ${ws} and m.board_id = ${boardId} and m.status = 'cancelled'
          and m.starts_at >= ${londonStart(period.from)} and m.starts_at < ${londonEndExclusive(period.to)}) as cancelled,
      (select count(*)::int from actions a
        where a.workspace_id = ${ws} and a.board_id = ${boardId} and a.status <> 'dropped'
          and a.due_date between ${period.from}::date and ${period.to}::date) as due,
      (select count(*)::int from actions a
        where a.workspace_id = ${ws} and a.board_id = ${boardId} and a.status = 'done'
          and a.due_date between ${period.from}::date and ${period.to}::date
          and (a.completed_at at time zone 'Europe/London')::date <= a.due_date) as done_on_time,
      (select count(*)::int from meetings sm
        where sm.workspace_id = ${ws} and sm.board_id = ${boardId} and sm.status = 'scheduled'
          and sm.starts_at >= now() and sm.starts_at < now() + interval '12 months') as scheduled,
      (select coalesce(sum(sm.venue_cost_pence + sm.catering_cost_pence), 0)::bigint from meetings sm
        where sm.workspace_id = ${ws} and sm.board_id = ${boardId} and sm.status = 'scheduled'
          and sm.starts_at >= now() and sm.starts_at < now() + interval '12 months') as scheduled_fixed_pence,
      (select round(avg(recent.people_pence))::bigint from (
        select rr.cost_pence - rm.venue_cost_pence - rm.catering_cost_pence as people_pence
        from meeting_rollups rr
        join meetings rm on rm.workspace_id = rr.workspace_id and rm.id = rr.meeting_id
        where rr.workspace_id = ${ws} and rr.board_id = ${boardId}
        order by rr.held_on desc limit ${RECENT_MEETINGS}) recent) as expected_people_pence
    from meeting_rollups r
    where r.workspace_id = ${ws} and r.board_id = ${boardId}
      and r.held_on between ${period.from}::date and ${period.to}::date`.execute(db);

  // Financial years (April to March) by their first calendar year.
  const years = sql<{ year: number; held: number; cost_pence: number; outcomes: number }>`
    select extract(year from r.held_on - interval '3 months')::int as year, count(*)::int as held,
      sum(r.cost_pence)::bigint as cost_pence, sum(r.outcomes)::int as outcomes
    from meeting_rollups r
    where r.workspace_id = ${ws} and r.board_id = ${boardId}
    group by 1 order by 1`.execute(db);

  // The last eight calendar quarters.
  const quarters = sql<{ quarter: string; held: number; cost_pence: number; outcomes: number }>`
    select to_char(date_trunc('quarter', r.held_on), 'YYYY-MM-DD') as quarter, count(*)::int as held,
      sum(r.cost_pence)::bigint as cost_pence, sum(r.outcomes)::int as outcomes
    from meeting_rollups r
    where r.workspace_id = ${ws} and r.board_id = ${boardId}
      and r.held_on >= date_trunc('quarter', ${today}::date) - interval '21 months'
      and r.held_on <= ${today}::date
    group by 1 order by 1`.execute(db);

  const agencies = sql<{
    agency_id: number;
    agency_name: string;
    invited: number;
    attended: number;
    apologies: number;
    deputies: number;
    cost_pence: number;
  }>`
    select ar.agency_id, ag.name as agency_name, sum(ar.invited)::int as invited,
      sum(ar.attended)::int as attended, sum(ar.apologies)::int as apologies,
      sum(ar.deputies)::int as deputies, sum(ar.cost_pence)::bigint as cost_pence
    from meeting_agency_rollups ar
    join agencies ag on ag.workspace_id = ar.workspace_id and ag.id = ar.agency_id
    where ar.workspace_id = ${ws} and ar.board_id = ${boardId}
      and ar.held_on between ${period.from}::date and ${period.to}::date
    group by ar.agency_id, ag.name
    order by ag.name`.execute(db);

  const [h, y, q, a] = await Promise.all([headline, years, quarters, agencies]);
  // An aggregate without GROUP BY always answers one row.
  const side = h.rows[0]!;
  const totals = totalsOf(side);
  const expected = side.expected_people_pence === null ? null : Number(side.expected_people_pence);
  const projectedPence =
    expected === null ? null : expected * side.scheduled + Number(side.scheduled_fixed_pence);
  return {
    period,
    totals,
    cancelled: side.cancelled,
    costPerDecisionPence: perUnit(totals.costPence, totals.decisions),
    costPerOutcomePence: perUnit(totals.costPence, totals.outcomes),
    onTime: {
      due: side.due,
      doneOnTime: side.done_on_time,
      share: side.due > 0 ? side.done_on_time / side.due : null,
    },
    projection: {
      scheduled: side.scheduled,
      expectedMeetingPence: expected,
      projectedPence,
    },
    sunset: needsSunsetReview(totals),
    byYear: y.rows.map((r) => ({
      year: r.year,
      held: r.held,
      costPence: Number(r.cost_pence),
      outcomes: r.outcomes,
    })),
    byQuarter: q.rows.map((r) => ({
      quarter: r.quarter,
      held: r.held,
      costPence: Number(r.cost_pence),
      outcomes: r.outcomes,
      costPerOutcomePence: perUnit(Number(r.cost_pence), r.outcomes),
    })),
    byAgency: a.rows.map((r) => ({
      agencyId: r.agency_id,
      agencyName: r.agency_name,
      invited: r.invited,
      attended: r.attended,
      apologies: r.apologies,
      deputies: r.deputies,
      costPence: Number(r.cost_pence),
      attendanceRate: r.invited > 0 ? r.attended / r.invited : null,
    })),
  };
}

/**
 * The board costs page (and the API's board rollup): the rollup, the scenarios and the
 * boards it overlaps with, for whoever reads the board (board totals only, no salaries).
 */
export async function getBoardCosts(viewer: Viewer, boardId: number, today: string = londonDate()) {
  ensure(can.readBoard(viewer, boardId));
  const board = await viewer.db
    .selectFrom("boards")
    .select(["id", "name", "type", "frequency"])
    .where("id", "=", boardId)
    .executeTakeFirst();
  if (!board) notFound();
  // Brings the rollups up to date once, before the readers below run side by side.
  await refreshStaleRollups(viewer.db);
  const [rollup, scenarios, overlap] = await Promise.all([
    boardRollup(viewer.db, boardId, today),
    boardScenarios(viewer.db, boardId, today),
    boardOverlaps(viewer.db, { today, boardId }),
  ]);
  // One agency's share of one board can be one person's cost, and so their salary: its
  // cost only for those who see salaries.
  const agencyCosts = can.seeSalaries(viewer);
  const byAgency = rollup.byAgency.map((a) => ({ ...a, costPence: agencyCosts ? a.costPence : null }));
  // The other board of a pair is named only to those who read it.
  const overlaps = overlap.pairs.filter((pair) => pair.boards.every((b) => can.readBoard(viewer, b.id)));
  return { board, rollup: { ...rollup, byAgency }, scenarios, overlaps, agencyCosts };
}

/**
 * The sunset prompt alone (for the board's own page): its last twelve months' verdict
 * counts, and whether they call for a review of its terms of reference.
 */
export async function boardSunset(db: WorkspaceDb, boardId: number, today: string = londonDate()) {
  await refreshStaleRollups(db);
  const ws = workspaceIdOf(db);
  const period = lastTwelveMonths(today);
  const result = await sql<TotalsRow>`
    select ${totalsColumns} from meeting_rollups r
    where r.workspace_id = ${ws} and r.board_id = ${boardId}
      and r.held_on between ${period.from}::date and ${period.to}::date`.execute(db);
  const totals = totalsOf(result.rows[0]);
  return { totals, flagged: needsSunsetReview(totals) };
}
