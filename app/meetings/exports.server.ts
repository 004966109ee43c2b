import { sql } from "kysely";
import { z } from "zod";
import { workspaceIdOf } from "../../db/tenancy";
import { type CsvCell, penceAsPounds, toCsv } from "../admin/csv";
import type { Viewer } from "../auth/viewer.server";
import { MEETING_FORMAT_LABELS, MEETING_STATUS_LABELS } from "../boards/labels";
import { costedAttendanceSql, meetingAttendeeCosts } from "../costs/costs.server";
import { refreshStaleRollups } from "../costs/rollups.server";
import { VERDICT_LABELS } from "../costs/verdicts";
import { londonDate } from "../format";
import { type MeetingFilters, type MeetingSort, meetingOrder, scopedMeetings } from "./meetings-list.server";

/*
 * CSV exports of meetings and attendance. Costs come from costs.server.ts: costedAttendanceSql
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
  "Verdict",
  "Verdict reasons",
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
  await refreshStaleRollups(viewer.db);
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
        "r.verdict",
        "r.reasons",
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
        r.verdict ? VERDICT_LABELS[r.verdict] : "",
        (r.reasons ?? []).join("; "),
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
 * One meeting's costed attendance as CSV: meetingAttendeeCosts' rows and figures. The
 * caller has checked can.seeSalaries and that the meeting is readable.
 */
export async function meetingAttendanceCsv(viewer: Viewer, meeting: { id: number }): Promise<string> {
  const costs = await meetingAttendeeCosts(viewer.db, meeting.id);
  return toCsv(ATTENDANCE_HEADER, costs.map(attendanceCells));
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
