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
 * One row per costed attendee of a meeting (attended, or represented by a deputy who is
 * then costed at their own grade), with every input to the cost and the cost itself.
 */
export async function meetingAttendeeCosts(db: WorkspaceDb, meetingId: number) {
  const rows = await sql<{
    attendance_id: number;
    person_id: number;
    costed_person_id: number;
    costed_name: string;
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
  }>`
    with costed as (
      select
        a.id as attendance_id, a.person_id, p.id as costed_person_id, p.full_name as costed_name,
        ag.name as agency_name, g.name as grade_name, a.status, a.mode,
        rate.annual_salary_pence,
        coalesce(ag.on_cost_pct, w.default_on_cost_pct) as on_cost_pct,
        coalesce(ag.overhead_pct, w.default_overhead_pct) as overhead_pct,
        w.annual_working_hours as working_hours,
        coalesce(a.minutes_present, m.duration_minutes) as minutes_present,
        case when a.mode = 'remote' then 0 else a.travel_minutes end as travel_minutes,
        b.preparation_minutes,
        case when a.mode = 'remote' then 0 else a.miles end as miles,
        coalesce(ag.mileage_pence, w.default_mileage_pence) as mileage_pence,
        a.other_expenses_pence
      from attendance a
      join meetings m on m.workspace_id = a.workspace_id and m.id = a.meeting_id
      join boards b on b.workspace_id = m.workspace_id and b.id = m.board_id
      join workspaces w on w.id = a.workspace_id
      join people p on p.workspace_id = a.workspace_id and p.id = coalesce(a.deputy_person_id, a.person_id)
      join agencies ag on ag.workspace_id = p.workspace_id and ag.id = p.agency_id
      left join grades g on g.workspace_id = p.workspace_id and g.id = p.grade_id
      left join lateral (
        select gr.annual_salary_pence from grade_rates gr
        where gr.workspace_id = p.workspace_id and gr.grade_id = p.grade_id
          and gr.effective_from <= (m.starts_at at time zone 'Europe/London')::date
        order by gr.effective_from desc limit 1
      ) rate on true
      where a.workspace_id = ${workspaceIdOf(db)} and a.meeting_id = ${meetingId}
        and a.status in ('attended', 'deputy')
    )
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
    from costed
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
