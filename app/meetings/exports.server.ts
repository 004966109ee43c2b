import { type RawBuilder, sql } from "kysely";
import { z } from "zod";
import { workspaceIdOf } from "../../db/tenancy";
import { type CsvCell, penceAsPounds, toCsv } from "../admin/csv";
import type { Viewer } from "../auth/viewer.server";
import { MEETING_FORMAT_LABELS, MEETING_STATUS_LABELS } from "../boards/labels";
import { attendeeCostSql, meetingAttendeeCosts } from "../costs/costs.server";
import { londonDate } from "../format";
import { type MeetingFilters, type MeetingSort, meetingOrder, scopedMeetings } from "./meetings-list.server";

/*
 * CSV exports of meetings and attendance. Costs come from costs.server.ts: attendeeCostSql
 * (the cost model in SQL) for many meetings in one query, meetingAttendeeCosts for one
 * meeting. Callers check who may export (the attendance exports: can.seeSalaries only).
 */

/** "14:30" in London. */
function londonTime(date: Date): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(date);
}

/**
 * Costed attendance rows (attended, or a deputy costed at their own grade) with every
 * input to the cost, for the attendance rows matching `condition` (on `a`, the attendance,
 * and `cm`, its meeting). The same joins and rates as meetingAttendeeCosts.
 */
function costedAttendanceSql(workspaceId: number, condition: RawBuilder<unknown>) {
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
        a.workspace_id, a.id as attendance_id, a.meeting_id, cm.starts_at, cb.name as board_name,
        invited.full_name as person_name, p.full_name as costed_name,
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
      left join lateral (
        select gr.annual_salary_pence from grade_rates gr
        where gr.workspace_id = p.workspace_id and gr.grade_id = p.grade_id
          and gr.effective_from <= (cm.starts_at at time zone 'Europe/London')::date
        order by gr.effective_from desc limit 1
      ) rate on true
      where a.workspace_id = ${workspaceId} and a.status in ('attended', 'deputy') and ${condition}
    ) costed`;
}

// ── Meetings ──────────────────────────────────────────────────────────────────────────

const MEETING_HEADER = [
  "Board",
  "Date",
  "Time (Europe/London)",
  "Duration (minutes)",
  "Format",
  "Location",
  "Status",
  "Attended",
  "Total cost (£)",
] as const;

/** Every meeting matching the filters (not one page), with its attendance and total cost, as CSV. */
export async function meetingsCsv(
  viewer: Viewer,
  filters: MeetingFilters,
  order: { sort: MeetingSort; dir: "asc" | "desc" },
  now: Date = new Date(),
): Promise<string> {
  const query = scopedMeetings(viewer, filters, now);
  if (!query) return toCsv(MEETING_HEADER, []);
  const ws = workspaceIdOf(viewer.db);
  const attendees = (column: string) =>
    sql`(select ${sql.raw(column)} from (${costedAttendanceSql(ws, sql`a.meeting_id = m.id`)}) c)`;
  const rows = await meetingOrder(order.sort, order.dir)
    .reduce(
      (q, [column, direction]) => q.orderBy(column, direction),
      query.select([
        "b.name as board_name",
        "m.starts_at",
        "m.duration_minutes",
        "m.format",
        "m.location",
        "m.status",
        sql<number>`${attendees("count(*)::int")}`.as("attended"),
        sql<number>`(${attendees("coalesce(sum(cost_pence), 0)::bigint")} + m.venue_cost_pence + m.catering_cost_pence)::bigint`.as(
          "total_pence",
        ),
      ]),
    )
    .execute();
  return toCsv(
    MEETING_HEADER,
    rows.map((r) => {
      const startsAt = new Date(r.starts_at);
      return [
        r.board_name,
        londonDate(startsAt),
        londonTime(startsAt),
        r.duration_minutes,
        MEETING_FORMAT_LABELS[r.format],
        r.location,
        MEETING_STATUS_LABELS[r.status],
        Number(r.attended),
        penceAsPounds(Number(r.total_pence)),
      ];
    }),
  );
}

// ── Attendance ────────────────────────────────────────────────────────────────────────

const ATTENDANCE_HEADER = [
  "Board",
  "Meeting date",
  "Meeting time (Europe/London)",
  "Invited person",
  "Costed person",
  "Agency",
  "Grade",
  "Status",
  "Mode",
  "Annual salary (£)",
  "On-cost %",
  "Overhead %",
  "Annual working hours",
  "Minutes present",
  "Travel minutes",
  "Preparation minutes",
  "Miles",
  "Mileage rate (pence a mile)",
  "Other expenses (£)",
  "Cost (£)",
] as const;

interface CostedRow {
  board_name: string;
  starts_at: Date | string;
  person_name: string;
  costed_name: string;
  agency_name: string;
  grade_name: string | null;
  status: string;
  mode: string;
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

function attendanceCells(r: CostedRow): CsvCell[] {
  const startsAt = new Date(r.starts_at);
  return [
    r.board_name,
    londonDate(startsAt),
    londonTime(startsAt),
    r.person_name,
    r.costed_name,
    r.agency_name,
    r.grade_name,
    r.status === "deputy" ? "Deputy" : "Attended",
    r.mode === "remote" ? "Remote" : "In person",
    r.annual_salary_pence === null ? null : penceAsPounds(Number(r.annual_salary_pence)),
    Number(r.on_cost_pct),
    Number(r.overhead_pct),
    Number(r.working_hours),
    Number(r.minutes_present),
    Number(r.travel_minutes),
    Number(r.preparation_minutes),
    Number(r.miles),
    Number(r.mileage_pence),
    penceAsPounds(Number(r.other_expenses_pence)),
    penceAsPounds(Number(r.cost_pence)),
  ];
}

/**
 * One meeting's costed attendance as CSV: meetingAttendeeCosts' rows and figures, with the
 * meeting and the invited person added. The caller has checked can.seeSalaries and that
 * the meeting is readable.
 */
export async function meetingAttendanceCsv(
  viewer: Viewer,
  meeting: { id: number; boardName: string; startsAt: Date },
): Promise<string> {
  const [costs, invited] = await Promise.all([
    meetingAttendeeCosts(viewer.db, meeting.id),
    viewer.db
      .selectFrom("attendance as a")
      .innerJoin("people as p", "p.id", "a.person_id")
      .select(["a.id", "p.full_name"])
      .where("a.meeting_id", "=", meeting.id)
      .execute(),
  ]);
  const names = new Map(invited.map((i) => [Number(i.id), i.full_name]));
  return toCsv(
    ATTENDANCE_HEADER,
    costs.map((c) =>
      attendanceCells({
        ...c,
        board_name: meeting.boardName,
        starts_at: meeting.startsAt,
        person_name: names.get(Number(c.attendance_id)) ?? c.costed_name,
      }),
    ),
  );
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// Year 0000 parses here but is out of PostgreSQL's range for a date.
const realDate = (v: string) =>
  ISO_DATE.test(v) && !v.startsWith("0000") && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const rangeDate = (name: string) =>
  z
    .string({ error: `Enter the ${name} date` })
    .trim()
    .min(1, `Enter the ${name} date`)
    .refine(realDate, `Enter the ${name} date as a real date in the format 2027-03-31`);

export const attendanceRangeSchema = z
  .object({ from: rangeDate("start"), to: rangeDate("end") })
  .refine((r) => r.from <= r.to, {
    message: "The end date must be the same as or after the start date",
    path: ["to"],
  });

export type AttendanceRange = z.output<typeof attendanceRangeSchema>;

/**
 * All costed attendance at meetings on London dates from `from` to `to` (inclusive), with
 * each row's costing inputs and cost, in one SQL query. The caller has checked can.seeSalaries.
 */
export async function attendanceRangeCsv(viewer: Viewer, range: AttendanceRange): Promise<string> {
  const ws = workspaceIdOf(viewer.db);
  const londonDay = sql`(cm.starts_at at time zone 'Europe/London')::date`;
  const result = await sql<CostedRow>`
    select * from (${costedAttendanceSql(
      ws,
      sql`${londonDay} >= ${range.from}::date and ${londonDay} <= ${range.to}::date`,
    )}) rows
    where rows.workspace_id = ${ws}
    order by starts_at, meeting_id, costed_name, attendance_id`.execute(viewer.db);
  return toCsv(ATTENDANCE_HEADER, result.rows.map(attendanceCells));
}

/** A CSV download that no cache keeps. */
export function csvResponse(csv: string, filename: string): Response {
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
