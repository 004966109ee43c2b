import { sql } from "kysely";
import { type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { londonDate } from "../format";
import { attendeeCostSql, costedAttendanceSql } from "./costs.server";
import type { ScenarioKind } from "./insight-labels";
import { lastTwelveMonths } from "./periods";
import { refreshStaleRollups } from "./rollups.server";

/*
 * "What if this board…": the board's held meetings of the last twelve months re-priced by
 * the same cost model, then scaled to a year of meetings (those scheduled in the next
 * twelve months, or as many as were held in the last twelve when none are scheduled).
 *   - met quarterly: four meetings a year at the average cost of one;
 *   - sent one person per agency: at each meeting only each agency's most costly attendee
 *     (the senior person who would still come);
 *   - met virtually: no travel time, no mileage, no venue or catering.
 */

export interface Scenario {
  kind: ScenarioKind;
  annualPence: number;
  savingPence: number;
}

export interface BoardScenarios {
  /** Meetings a year the projection assumes. */
  meetingsPerYear: number;
  /** Held meetings of the last twelve months the averages come from. */
  basedOn: number;
  averageMeetingPence: number | null;
  annualPence: number | null;
  scenarios: Scenario[];
}

export async function boardScenarios(
  db: WorkspaceDb,
  boardId: number,
  today: string = londonDate(),
): Promise<BoardScenarios> {
  await refreshStaleRollups(db);
  const ws = workspaceIdOf(db);
  const period = lastTwelveMonths(today);
  const held = sql`select r.meeting_id from meeting_rollups r
    where r.workspace_id = ${ws} and r.board_id = ${boardId}
      and r.held_on between ${period.from}::date and ${period.to}::date`;
  const result = await sql<{
    based_on: number;
    scheduled: number;
    actual_pence: number | null;
    one_per_agency_pence: number | null;
    virtual_pence: number | null;
  }>`
    with actual as (
      -- Each attendee at their cost, and at what they would cost joining remotely (the same
      -- model with no travel time and no miles).
      select c.meeting_id, c.agency_id, c.cost_pence, ${attendeeCostSql({
        salaryPence: sql`c.annual_salary_pence`,
        onCostPct: sql`c.on_cost_pct`,
        overheadPct: sql`c.overhead_pct`,
        workingHours: sql`c.working_hours`,
        minutes: sql`(c.minutes_present + c.preparation_minutes)`,
        tenthsOfMiles: sql`0`,
        mileagePence: sql`c.mileage_pence`,
        otherPence: sql`c.other_expenses_pence`,
      })} as virtual_pence
      -- = any(array(…)): the held meetings' ids first, then their registers by index.
      from (${costedAttendanceSql(ws, sql`a.meeting_id = any(array(${held}))`)}) c
    ),
    by_agency as (
      select x.meeting_id, sum(x.cost_pence) as people_pence, max(x.cost_pence) as top_pence,
        sum(x.virtual_pence) as virtual_pence
      from actual x group by x.meeting_id, x.agency_id
    ),
    per_meeting as (
      select m.id,
        m.venue_cost_pence + m.catering_cost_pence as fixed_pence,
        coalesce(sum(g.people_pence), 0) as people_pence,
        coalesce(sum(g.top_pence), 0) as one_per_agency_pence,
        coalesce(sum(g.virtual_pence), 0) as virtual_pence
      from meetings m
      left join by_agency g on g.meeting_id = m.id
      where m.workspace_id = ${ws} and m.id = any(array(${held}))
      group by m.id, m.venue_cost_pence, m.catering_cost_pence
    )
    select count(*)::int as based_on,
      (select count(*)::int from meetings sm
        where sm.workspace_id = ${ws} and sm.board_id = ${boardId} and sm.status = 'scheduled'
          and sm.starts_at >= now() and sm.starts_at < now() + interval '12 months') as scheduled,
      avg(fixed_pence + people_pence) as actual_pence,
      avg(fixed_pence + one_per_agency_pence) as one_per_agency_pence,
      avg(virtual_pence) as virtual_pence
    from per_meeting`.execute(db);
  const row = result.rows[0]!;
  const meetingsPerYear = row.scheduled > 0 ? row.scheduled : row.based_on;
  if (row.based_on === 0 || row.actual_pence === null) {
    return { meetingsPerYear, basedOn: 0, averageMeetingPence: null, annualPence: null, scenarios: [] };
  }
  // Averages are exact fractions of pence; a year's figure is rounded once, to the penny.
  const annual = (perMeeting: number, meetings: number) => Math.round(Number(perMeeting) * meetings);
  const annualPence = annual(row.actual_pence, meetingsPerYear);
  const scenario = (kind: ScenarioKind, annualScenario: number): Scenario => ({
    kind,
    annualPence: annualScenario,
    savingPence: Math.max(0, annualPence - annualScenario),
  });
  return {
    meetingsPerYear,
    basedOn: row.based_on,
    averageMeetingPence: Math.round(Number(row.actual_pence)),
    annualPence,
    scenarios: [
      scenario("quarterly", annual(row.actual_pence, Math.min(4, meetingsPerYear))),
      scenario("one_per_agency", annual(row.one_per_agency_pence ?? 0, meetingsPerYear)),
      scenario("virtual", annual(row.virtual_pence ?? 0, meetingsPerYear)),
    ],
  };
}
