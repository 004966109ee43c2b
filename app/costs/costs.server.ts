import { type Expression, type RawBuilder, sql } from "kysely";
import { type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";

/*
 * The cost model in SQL, for pages and rollups that price many attendees at once. It is the
 * same integer formula as cost-model.ts (attendeeCostPence), so a figure computed in
 * PostgreSQL and one computed in TypeScript agree to the penny; a test checks both on
 * random inputs.
 *
 * Rates are those in force on the meeting's date (Europe/London): the grade's latest
 * grade_rates row effective on or before that day. Agency on-cost, overhead and mileage
 * fall back to the workspace defaults.
 */

export interface CostTerms {
  salaryPence: Expression<number | null>;
  onCostPct: Expression<number>;
  overheadPct: Expression<number>;
  workingHours: Expression<number>;
  minutes: Expression<number>;
  tenthsOfMiles: Expression<number>;
  mileagePence: Expression<number>;
  otherPence: Expression<number>;
}

/** round((salary × (1+on) × (1+over) × minutes ÷ (hours × 60)) + miles × rate + other), halves up, exactly. */
export function attendeeCostSql(t: CostTerms): RawBuilder<number> {
  const staffNumerator = sql`(coalesce(${t.salaryPence}, 0)::numeric * (10000 + round(${t.onCostPct} * 100)) * (10000 + round(${t.overheadPct} * 100)) * ${t.minutes})`;
  const staffDenominator = sql`(100000000::numeric * ${t.workingHours} * 60)`;
  const numerator = sql`(${staffNumerator} * 10 + ${t.tenthsOfMiles}::numeric * ${t.mileagePence} * ${staffDenominator} + ${t.otherPence}::numeric * ${staffDenominator} * 10)`;
  const denominator = sql`(${staffDenominator} * 10)`;
  return sql<number>`div(2 * ${numerator} + ${denominator}, 2 * ${denominator})::bigint`;
}

/**
 * Costed attendance rows (attended, or represented by a deputy who is then costed at their
 * own grade and agency), with every input to the cost and the cost itself, for the
 * attendance rows matching `condition` (on `a`, the attendance, `cm`, its meeting, and `cb`,
 * the board). The one place the cost model's joins and rates are written: the meeting page,
 * exports, the API and the rollups all price attendees through it.
 */
export function costedAttendanceSql(workspaceId: number, condition: RawBuilder<unknown>) {
  return sql`
    select costed.*, ${attendeeCostSql({
      salaryPence: sql`annual_salary_pence`,
      onCostPct: sql`on_cost_pct`,
      overheadPct: sql`overhead_pct`,
      workingHours: sql`working_hours`,
      minutes: sql`(minutes_present + travel_minutes + preparation_minutes)`,
      tenthsOfMiles: sql`round(miles * 10)`,
      mileagePence: sql`mileage_pence`,
      otherPence: sql`other_expenses_pence`,
    })} as cost_pence
    from (
      select
        a.workspace_id, a.id as attendance_id, a.meeting_id, cm.board_id, cm.starts_at,
        cb.name as board_name, a.person_id, invited.full_name as person_name,
        p.id as costed_person_id, p.full_name as costed_name, ag.id as agency_id,
        ag.name as agency_name, g.name as grade_name, a.status, a.mode,
        rate.annual_salary_pence,
        coalesce(ag.on_cost_pct, w.default_on_cost_pct) as on_cost_pct,
        coalesce(ag.overhead_pct, w.default_overhead_pct) as overhead_pct,
        w.annual_working_hours as working_hours,
        coalesce(a.minutes_present, cm.duration_minutes) as minutes_present,
        case when a.mode = 'remote' then 0 else a.travel_minutes end as travel_minutes,
        cb.preparation_minutes,
        case when a.mode = 'remote' then 0 else a.miles end as miles,
        coalesce(ag.mileage_pence, w.default_mileage_pence) as mileage_pence,
        a.other_expenses_pence
      from attendance a
      join meetings cm on cm.workspace_id = a.workspace_id and cm.id = a.meeting_id
      join boards cb on cb.workspace_id = cm.workspace_id and cb.id = cm.board_id
      join workspaces w on w.id = a.workspace_id
      join people invited on invited.workspace_id = a.workspace_id and invited.id = a.person_id
      join people p on p.workspace_id = a.workspace_id and p.id = coalesce(a.deputy_person_id, a.person_id)
      join agencies ag on ag.workspace_id = p.workspace_id and ag.id = p.agency_id
      left join grades g on g.workspace_id = p.workspace_id and g.id = p.grade_id
      -- The rate in force on the meeting's London date: each rate runs until the next one.
      -- A range join rather than a lookup per attendee, so pricing many meetings stays a hash join.
      left join (
        select gr.grade_id, gr.annual_salary_pence, gr.effective_from,
          lead(gr.effective_from) over (partition by gr.grade_id order by gr.effective_from) as effective_until
        from grade_rates gr where gr.workspace_id = ${workspaceId}
      ) rate on rate.grade_id = p.grade_id
        and rate.effective_from <= (cm.starts_at at time zone 'Europe/London')::date
        and (rate.effective_until is null or rate.effective_until > (cm.starts_at at time zone 'Europe/London')::date)
      where a.workspace_id = ${workspaceId} and a.status in ('attended', 'deputy') and ${condition}
    ) costed`;
}

export interface CostedAttendee {
  attendance_id: number;
  meeting_id: number;
  board_id: number;
  starts_at: Date;
  board_name: string;
  person_id: number;
  person_name: string;
  costed_person_id: number;
  costed_name: string;
  agency_id: number;
  agency_name: string;
  grade_name: string | null;
  status: "attended" | "deputy";
  mode: "in_person" | "remote";
  annual_salary_pence: number | null;
  on_cost_pct: number;
  overhead_pct: number;
  working_hours: number;
  minutes_present: number;
  travel_minutes: number;
  preparation_minutes: number;
  miles: number;
  mileage_pence: number;
  other_expenses_pence: number;
  cost_pence: number;
}

/** One row per costed attendee of a meeting, by name. */
export async function meetingAttendeeCosts(db: WorkspaceDb, meetingId: number) {
  const ws = workspaceIdOf(db);
  const rows = await sql<CostedAttendee>`
    select * from (${costedAttendanceSql(ws, sql`a.meeting_id = ${meetingId}`)}) c
    where c.workspace_id = ${ws}
    order by costed_name`.execute(db);
  return rows.rows;
}

export async function meetingCost(db: WorkspaceDb, meetingId: number) {
  const [attendees, meeting] = await Promise.all([
    meetingAttendeeCosts(db, meetingId),
    db
      .selectFrom("meetings")
      .select(["venue_cost_pence", "catering_cost_pence"])
      .where("id", "=", meetingId)
      .executeTakeFirst(),
  ]);
  if (!meeting) return null;
  const attendeesPence = attendees.reduce((sum, a) => sum + a.cost_pence, 0);
  return {
    attendees,
    attendeesPence,
    venuePence: meeting.venue_cost_pence,
    cateringPence: meeting.catering_cost_pence,
    totalPence: attendeesPence + meeting.venue_cost_pence + meeting.catering_cost_pence,
  };
}
