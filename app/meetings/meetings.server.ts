import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import type {
  AgendaPurpose,
  Classification,
  MeetingFormat,
  MeetingStatus,
  StandingKind,
} from "../../db/schema";
import { inTransaction, type WorkspaceDb } from "../../db/tenancy";
import type { AuditActor } from "../audit/audit.server";
import { recordAudit } from "../audit/audit.server";
import { can, ensure, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { meetingCost } from "../costs/costs.server";
import { type MeetingVerdictView, meetingVerdict } from "../costs/rollups.server";
import { londonDate } from "../format";
import { enqueueMeetingInvitation } from "../mail/handlers/meeting-invitation.server";
import { type MeetingInput, penceToPoundsInput, type ScheduleInput } from "./schemas";
import {
  londonInstant,
  nthOfMonth,
  occurrenceDates,
  parseCalendarDate,
  SERIES_TIME_ZONE,
  type SeriesRule,
  weekdayOf,
} from "./series";

/*
 * Meetings: scheduling one meeting or a series, the meeting page, rescheduling and
 * cancelling. Every query goes through `viewer.db`; who may do what is checked here, so a
 * route cannot forget it. Writes happen in one transaction with their audit events.
 */

export type FieldErrors = Record<string, string[]>;
export type WriteResult<T> =
  | { ok: true; value: T }
  | { ok: false; fieldErrors?: FieldErrors; formError?: string };

/** The standing items every new meeting's agenda starts with (positions 0–2). */
export const STANDING_ITEMS: readonly {
  title: string;
  standing_kind: StandingKind;
  purpose: AgendaPurpose;
  minutes_allowed: number;
}[] = [
  {
    title: "Minutes of the last meeting",
    standing_kind: "previous_minutes",
    purpose: "decision",
    minutes_allowed: 5,
  },
  { title: "Matters arising", standing_kind: "matters_arising", purpose: "discussion", minutes_allowed: 10 },
  {
    title: "Action log review",
    standing_kind: "action_log_review",
    purpose: "discussion",
    minutes_allowed: 10,
  },
];

const PAST_START = "The meeting must start in the future";

function validId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}

// ── Scheduling ───────────────────────────────────────────────────────────────────────────

export interface SchedulingBoard {
  id: number;
  name: string;
  defaultDurationMinutes: number;
}

/** The board a viewer may schedule meetings for (its secretary, or an admin); else 404. */
export async function getSchedulingBoard(viewer: Viewer, boardId: number): Promise<SchedulingBoard> {
  ensure(validId(boardId) && can.runBoard(viewer, boardId));
  const board = await viewer.db
    .selectFrom("boards")
    .select(["id", "name", "default_duration_minutes"])
    .where("id", "=", boardId)
    .where("archived_at", "is", null)
    .executeTakeFirst();
  if (!board) notFound();
  return { id: Number(board.id), name: board.name, defaultDurationMinutes: board.default_duration_minutes };
}

/** The repeat rule a form describes, starting on its date (undefined: a single meeting). */
export function seriesRuleFor(input: ScheduleInput): SeriesRule | undefined {
  if (input.repeat === "none") return undefined;
  const start = parseCalendarDate(input.date);
  const weekday = weekdayOf(start);
  return {
    repeat:
      input.repeat === "weekly"
        ? { kind: "weekly", weekday, intervalWeeks: input.interval }
        : { kind: "monthly_nth_weekday", nth: nthOfMonth(start), weekday, intervalMonths: input.interval },
    startDate: input.date,
    time: input.start_time,
    end: input.count !== null ? { count: input.count } : { until: input.until ?? input.date },
  };
}

/** Invites every current member of the board, on each meeting's date, to those meetings. */
async function inviteMembers(
  trx: WorkspaceDb,
  workspaceId: number,
  boardId: number,
  meetings: { id: number; date: string }[],
): Promise<void> {
  const memberships = await trx
    .selectFrom("memberships")
    .select(["person_id", "from_date", "to_date"])
    .where("board_id", "=", boardId)
    .execute();
  const rows = meetings.flatMap((meeting) => {
    const people = new Set(
      memberships
        .filter(
          (m) =>
            String(m.from_date) <= meeting.date && (m.to_date === null || String(m.to_date) >= meeting.date),
        )
        .map((m) => Number(m.person_id)),
    );
    return [...people].map((personId) => ({
      workspace_id: workspaceId,
      meeting_id: meeting.id,
      person_id: personId,
      status: "invited" as const,
    }));
  });
  if (rows.length > 0) await trx.insertInto("attendance").values(rows).execute();
}

/**
 * Schedules one meeting, or a series, with each meeting's standing agenda items and
 * invitations to the board's members, in one transaction. A start in the past is refused.
 */
export async function scheduleMeetings(
  viewer: Viewer,
  actor: AuditActor,
  boardId: number,
  input: ScheduleInput,
  now: Date = new Date(),
): Promise<WriteResult<{ meetingIds: number[]; seriesId: number | null }>> {
  const board = await getSchedulingBoard(viewer, boardId);
  const rule = seriesRuleFor(input);
  const dates = rule ? occurrenceDates(rule) : [input.date];
  const starts = dates.map((date) => ({ date, startsAt: londonInstant(date, input.start_time) }));
  const first = starts[0];
  if (!first) return { ok: false, fieldErrors: { count: ["No meetings fall between these dates"] } };
  if (first.startsAt.getTime() <= now.getTime()) return { ok: false, fieldErrors: { date: [PAST_START] } };
  const workspaceId = viewer.workspace.id;

  const value = await inTransaction(viewer.db, async (trx) => {
    let seriesId: number | null = null;
    if (rule) {
      const series = await trx
        .insertInto("meeting_series")
        .values({ workspace_id: workspaceId, board_id: board.id, rule: JSON.stringify(rule) })
        .returning("id")
        .executeTakeFirstOrThrow();
      seriesId = Number(series.id);
    }
    const inserted = await trx
      .insertInto("meetings")
      .values(
        starts.map(({ startsAt }) => ({
          workspace_id: workspaceId,
          board_id: board.id,
          series_id: seriesId,
          starts_at: startsAt,
          duration_minutes: input.duration_minutes,
          format: input.format,
          location: input.location,
          venue_cost_pence: input.venue_cost,
          catering_cost_pence: input.catering_cost,
        })),
      )
      .returning(["id", "starts_at"])
      .execute();
    const meetings = inserted
      .map((row) => ({ id: Number(row.id), date: londonDate(new Date(row.starts_at)) }))
      .sort((a, b) => a.date.localeCompare(b.date));

    await trx
      .insertInto("agenda_items")
      .values(
        meetings.flatMap((meeting) =>
          STANDING_ITEMS.map((item, position) => ({
            ...item,
            workspace_id: workspaceId,
            meeting_id: meeting.id,
            position,
          })),
        ),
      )
      .execute();
    await inviteMembers(trx, workspaceId, board.id, meetings);
    for (const meeting of meetings) await enqueueMeetingInvitation(trx, { id: meeting.id, sequence: 0 });

    for (const meeting of meetings) {
      await recordAudit(trx, actor, {
        event: "meeting.scheduled",
        entityType: "meeting",
        entityId: meeting.id,
        changes: {
          board_id: board.id,
          series_id: seriesId,
          date: meeting.date,
          start_time: input.start_time,
          duration_minutes: input.duration_minutes,
          format: input.format,
          venue_cost_pence: input.venue_cost,
          catering_cost_pence: input.catering_cost,
        },
      });
    }
    return { meetingIds: meetings.map((m) => m.id), seriesId };
  });
  return { ok: true, value };
}

// ── One meeting ──────────────────────────────────────────────────────────────────────────

export interface MeetingSummary {
  id: number;
  boardId: number;
  boardName: string;
  seriesId: number | null;
  startsAt: Date;
  durationMinutes: number;
  format: MeetingFormat;
  location: string;
  venuePence: number;
  cateringPence: number;
  status: MeetingStatus;
  cancelledReason: string | null;
  sequence: number;
}

async function findMeeting(db: WorkspaceDb, meetingId: number): Promise<MeetingSummary | undefined> {
  const row = await db
    .selectFrom("meetings as m")
    .innerJoin("boards as b", "b.id", "m.board_id")
    .select([
      "m.id",
      "m.board_id",
      "b.name as board_name",
      "m.series_id",
      "m.starts_at",
      "m.duration_minutes",
      "m.format",
      "m.location",
      "m.venue_cost_pence",
      "m.catering_cost_pence",
      "m.status",
      "m.cancelled_reason",
      "m.sequence",
    ])
    .where("m.id", "=", meetingId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: Number(row.id),
    boardId: Number(row.board_id),
    boardName: row.board_name,
    seriesId: row.series_id === null ? null : Number(row.series_id),
    startsAt: new Date(row.starts_at),
    durationMinutes: row.duration_minutes,
    format: row.format,
    location: row.location,
    venuePence: Number(row.venue_cost_pence),
    cateringPence: Number(row.catering_cost_pence),
    status: row.status,
    cancelledReason: row.cancelled_reason,
    sequence: row.sequence,
  };
}

/** A meeting the viewer may read (a reader of its board); else 404. */
export async function getReadableMeeting(viewer: Viewer, meetingId: number): Promise<MeetingSummary> {
  ensure(validId(meetingId));
  const meeting = await findMeeting(viewer.db, meetingId);
  if (!meeting || !can.readBoard(viewer, meeting.boardId)) notFound();
  return meeting;
}

/** A meeting the viewer may change (its board's secretary, or an admin); else 404. */
export async function getRunnableMeeting(viewer: Viewer, meetingId: number): Promise<MeetingSummary> {
  ensure(validId(meetingId));
  const meeting = await findMeeting(viewer.db, meetingId);
  if (!meeting || !can.runBoard(viewer, meeting.boardId)) notFound();
  return meeting;
}

export interface AgendaRow {
  id: number;
  position: number;
  title: string;
  purpose: AgendaPurpose;
  presenter: string | null;
  minutesAllowed: number;
  classification: Classification;
}

export interface RegisterSummary {
  attended: string[];
  apologies: string[];
  absent: string[];
  deputies: { member: string; deputy: string }[];
  /** Invited, not yet marked. */
  notRecorded: number;
  invited: number;
}

export type MeetingCostView =
  | {
      kind: "breakdown";
      attendees: {
        attendanceId: number;
        name: string;
        agency: string;
        grade: string | null;
        deputy: boolean;
        remote: boolean;
        minutesPresent: number;
        travelMinutes: number;
        miles: number;
        costPence: number;
      }[];
      attendeesPence: number;
      venuePence: number;
      cateringPence: number;
      totalPence: number;
    }
  | { kind: "total"; totalPence: number };

export interface MeetingPage {
  meeting: MeetingSummary;
  agenda: AgendaRow[];
  agendaMinutes: number;
  register: RegisterSummary;
  cost: MeetingCostView;
  /** Held meetings: worth holding, review or consider stopping, with the reasons and feedback. */
  verdict: MeetingVerdictView | null;
  canRun: boolean;
}

/** The meeting page: summary, agenda, register and cost (per attendee only for those who see salaries). */
export async function getMeetingPage(viewer: Viewer, meetingId: number): Promise<MeetingPage> {
  const meeting = await getReadableMeeting(viewer, meetingId);
  const agendaRows = await viewer.db
    .selectFrom("agenda_items as ai")
    .leftJoin("people as p", "p.id", "ai.presenter_person_id")
    .select([
      "ai.id",
      "ai.position",
      "ai.title",
      "ai.purpose",
      "p.full_name as presenter",
      "ai.minutes_allowed",
      "ai.classification",
    ])
    .where("ai.meeting_id", "=", meeting.id)
    .orderBy("ai.position")
    .orderBy("ai.id")
    .execute();
  const agenda: AgendaRow[] = agendaRows.map((row) => ({
    id: Number(row.id),
    position: row.position,
    title: row.title,
    purpose: row.purpose,
    presenter: row.presenter,
    minutesAllowed: row.minutes_allowed,
    classification: row.classification,
  }));

  const attendance = await viewer.db
    .selectFrom("attendance as a")
    .innerJoin("people as p", "p.id", "a.person_id")
    .leftJoin("people as d", "d.id", "a.deputy_person_id")
    .select(["a.status", "p.full_name as name", "d.full_name as deputy_name"])
    .where("a.meeting_id", "=", meeting.id)
    .orderBy("p.full_name")
    .orderBy("a.id")
    .execute();
  const named = (status: string) => attendance.filter((a) => a.status === status).map((a) => a.name);
  const register: RegisterSummary = {
    attended: named("attended"),
    apologies: named("apologies"),
    absent: named("absent"),
    deputies: attendance
      .filter((a) => a.status === "deputy")
      .map((a) => ({ member: a.name, deputy: a.deputy_name ?? "" })),
    notRecorded: attendance.filter((a) => a.status === "invited").length,
    invited: attendance.length,
  };

  const cost = await meetingCostView(viewer, meeting.id);
  const verdict = await meetingVerdict(viewer.db, meeting.id);

  return {
    meeting,
    agenda,
    agendaMinutes: agenda.reduce((sum, item) => sum + item.minutesAllowed, 0),
    register,
    cost,
    verdict,
    canRun: can.runBoard(viewer, meeting.boardId),
  };
}

/**
 * A meeting's cost as this viewer may see it: each attendee's cost for those who see
 * salaries (`can.seeSalaries`), the total for everyone else. The caller has checked that
 * the viewer reads the meeting's board.
 */
export async function meetingCostView(viewer: Viewer, meetingId: number): Promise<MeetingCostView> {
  const costs = await meetingCost(viewer.db, meetingId);
  const totalPence = Number(costs?.totalPence ?? 0);
  return costs && can.seeSalaries(viewer)
    ? {
        kind: "breakdown",
        attendees: costs.attendees.map((a) => ({
          attendanceId: Number(a.attendance_id),
          name: a.costed_name,
          agency: a.agency_name,
          grade: a.grade_name,
          deputy: a.status === "deputy",
          remote: a.mode === "remote",
          minutesPresent: Number(a.minutes_present),
          travelMinutes: Number(a.travel_minutes),
          miles: Number(a.miles),
          costPence: Number(a.cost_pence),
        })),
        attendeesPence: Number(costs.attendeesPence),
        venuePence: Number(costs.venuePence),
        cateringPence: Number(costs.cateringPence),
        totalPence,
      }
    : { kind: "total", totalPence };
}

// ── Rescheduling and cancelling ──────────────────────────────────────────────────────────

const CANCELLED = "This meeting has been cancelled and can no longer be changed";

/** Reschedules a meeting or changes its format, location or costs; bumps its sequence. */
export async function updateMeeting(
  viewer: Viewer,
  actor: AuditActor,
  meetingId: number,
  input: MeetingInput,
  now: Date = new Date(),
): Promise<WriteResult<{ id: number }>> {
  const meeting = await getRunnableMeeting(viewer, meetingId);
  if (meeting.status === "cancelled") return { ok: false, formError: CANCELLED };
  const startsAt = londonInstant(input.date, input.start_time);
  const moved = startsAt.getTime() !== meeting.startsAt.getTime();
  if (meeting.status === "scheduled" && moved && startsAt.getTime() <= now.getTime()) {
    return { ok: false, fieldErrors: { date: [PAST_START] } };
  }
  return inTransaction(viewer.db, async (trx) => {
    const updated = await trx
      .updateTable("meetings")
      .set((eb) => ({
        starts_at: startsAt,
        duration_minutes: input.duration_minutes,
        format: input.format,
        location: input.location,
        venue_cost_pence: input.venue_cost,
        catering_cost_pence: input.catering_cost,
        sequence: eb("sequence", "+", 1),
        version: eb("version", "+", 1),
        updated_at: new Date(),
      }))
      .where("id", "=", meeting.id)
      .where("status", "<>", "cancelled")
      .returning(["id", "sequence"])
      .executeTakeFirst();
    if (!updated) return { ok: false, formError: CANCELLED } as const;
    // Invitees hear of a change to when, how or where a meeting still to come takes place.
    const changedForInvitees =
      moved ||
      input.duration_minutes !== meeting.durationMinutes ||
      input.format !== meeting.format ||
      input.location !== meeting.location;
    if (meeting.status === "scheduled" && changedForInvitees) {
      await enqueueMeetingInvitation(trx, { id: meeting.id, sequence: updated.sequence });
    }
    await recordAudit(trx, actor, {
      event: "meeting.updated",
      entityType: "meeting",
      entityId: meeting.id,
      changes: {
        from: {
          starts_at: meeting.startsAt.toISOString(),
          duration_minutes: meeting.durationMinutes,
          format: meeting.format,
          location: meeting.location,
          venue_cost_pence: meeting.venuePence,
          catering_cost_pence: meeting.cateringPence,
        },
        to: {
          starts_at: startsAt.toISOString(),
          duration_minutes: input.duration_minutes,
          format: input.format,
          location: input.location,
          venue_cost_pence: input.venue_cost,
          catering_cost_pence: input.catering_cost,
        },
      },
    });
    return { ok: true, value: { id: meeting.id } } as const;
  });
}

/** Cancels a scheduled meeting with a reason; bumps its sequence. */
export async function cancelMeeting(
  viewer: Viewer,
  actor: AuditActor,
  meetingId: number,
  reason: string,
): Promise<WriteResult<{ id: number }>> {
  const meeting = await getRunnableMeeting(viewer, meetingId);
  if (meeting.status !== "scheduled") {
    return {
      ok: false,
      formError:
        meeting.status === "cancelled"
          ? "This meeting has already been cancelled"
          : "A held meeting cannot be cancelled",
    };
  }
  return inTransaction(viewer.db, async (trx) => {
    const updated = await trx
      .updateTable("meetings")
      .set((eb) => ({
        status: "cancelled" as const,
        cancelled_reason: reason,
        sequence: eb("sequence", "+", 1),
        version: eb("version", "+", 1),
        updated_at: new Date(),
      }))
      .where("id", "=", meeting.id)
      .where("status", "=", "scheduled")
      .returning(["id", "sequence"])
      .executeTakeFirst();
    if (!updated) return { ok: false, formError: "This meeting has already been cancelled" } as const;
    await enqueueMeetingInvitation(trx, { id: meeting.id, sequence: updated.sequence });
    await recordAudit(trx, actor, {
      event: "meeting.cancelled",
      entityType: "meeting",
      entityId: meeting.id,
      changes: { reason },
    });
    return { ok: true, value: { id: meeting.id } } as const;
  });
}

/** A meeting's values as the edit form shows them (London date and time, pounds). */
export function meetingFormValues(meeting: MeetingSummary) {
  return {
    date: londonDate(meeting.startsAt),
    start_time: format(meeting.startsAt, "HH:mm", { in: tz(SERIES_TIME_ZONE) }),
    duration_minutes: String(meeting.durationMinutes),
    format: meeting.format,
    location: meeting.location,
    venue_cost: penceToPoundsInput(meeting.venuePence),
    catering_cost: penceToPoundsInput(meeting.cateringPence),
  };
}
