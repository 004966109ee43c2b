import { createHash } from "node:crypto";
import type { AttendanceMode, AttendanceStatus, MeetingStatus, MembershipRole } from "../../db/schema";
import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { recordAudit } from "../audit/audit.server";
import { can, ensure, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { meetingCost } from "../costs/costs.server";
import { londonDate } from "../format";
import { type Quorum, quorum } from "./quorum";
import { CANCELLED_REGISTER_MESSAGE, type RegisterInput } from "./schemas";

/*
 * The attendance register of one meeting: read it (with quorum and the meeting's cost from
 * the cost model), save it whole or not at all, and add a person who is not a member.
 * Only those who run the meeting's board may do any of it; everyone else gets 404.
 *
 * The form carries a version: a hash of the register as it was when the page was opened.
 * A save whose version no longer matches is refused, never written over someone's change.
 */

export interface RegisterMeeting {
  id: number;
  boardId: number;
  boardName: string;
  startsAt: Date;
  durationMinutes: number;
  status: MeetingStatus;
  quorumNeeded: number;
}

export interface RegisterRow {
  id: number;
  personId: number;
  name: string;
  agencyName: string;
  /** The agency they represent on the board, if a member on the meeting's date. */
  memberAgencyId: number | null;
  memberRole: MembershipRole | null;
  status: AttendanceStatus;
  deputyPersonId: number | null;
  minutesPresent: number | null;
  mode: AttendanceMode;
  travelMinutes: number;
  miles: number;
  otherExpensesPence: number;
}

export interface PersonOption {
  id: number;
  name: string;
  agencyName: string;
  /** Archived: offered only because they are already a deputy here; not to be added. */
  archived: boolean;
}

export interface RegisterContext {
  meeting: RegisterMeeting;
  rows: RegisterRow[];
  people: PersonOption[];
  version: string;
}

function endsAt(meeting: { startsAt: Date; durationMinutes: number }): Date {
  return new Date(meeting.startsAt.getTime() + meeting.durationMinutes * 60_000);
}

/** A past scheduled meeting: saving its register marks it as held. */
export function becomesHeldOnSave(meeting: RegisterMeeting, now = new Date()): boolean {
  return meeting.status === "scheduled" && endsAt(meeting) <= now;
}

async function findMeeting(
  db: WorkspaceDb,
  meetingId: number,
  lock = false,
): Promise<RegisterMeeting | null> {
  let query = db
    .selectFrom("meetings as m")
    .innerJoin("boards as b", "b.id", "m.board_id")
    .select([
      "m.id",
      "m.board_id",
      "b.name as board_name",
      "m.starts_at",
      "m.duration_minutes",
      "m.status",
      "b.quorum",
    ])
    .where("m.id", "=", meetingId);
  if (lock) query = query.forUpdate("m");
  const row = await query.executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    boardId: row.board_id,
    boardName: row.board_name,
    startsAt: new Date(row.starts_at),
    durationMinutes: row.duration_minutes,
    status: row.status,
    quorumNeeded: row.quorum,
  };
}

async function registerRows(db: WorkspaceDb, meeting: RegisterMeeting): Promise<RegisterRow[]> {
  const day = londonDate(meeting.startsAt);
  const rows = await db
    .selectFrom("attendance as a")
    .innerJoin("people as p", "p.id", "a.person_id")
    .innerJoin("agencies as ag", "ag.id", "p.agency_id")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("memberships as ms")
          .select(["ms.agency_id", "ms.role"])
          .whereRef("ms.person_id", "=", "a.person_id")
          .where("ms.board_id", "=", meeting.boardId)
          .where("ms.from_date", "<=", day)
          .where((w) => w.or([w("ms.to_date", "is", null), w("ms.to_date", ">=", day)]))
          .orderBy("ms.from_date", "desc")
          .limit(1)
          .as("membership"),
      (join) => join.onTrue(),
    )
    .select([
      "a.id",
      "a.person_id",
      "p.full_name",
      "ag.name as agency_name",
      "membership.agency_id as member_agency_id",
      "membership.role as member_role",
      "a.status",
      "a.deputy_person_id",
      "a.minutes_present",
      "a.mode",
      "a.travel_minutes",
      "a.miles",
      "a.other_expenses_pence",
    ])
    .where("a.meeting_id", "=", meeting.id)
    .orderBy("p.full_name")
    .orderBy("a.id")
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    personId: Number(r.person_id),
    name: r.full_name,
    agencyName: r.agency_name,
    memberAgencyId: r.member_agency_id === null ? null : Number(r.member_agency_id),
    memberRole: r.member_role,
    status: r.status,
    deputyPersonId: r.deputy_person_id === null ? null : Number(r.deputy_person_id),
    minutesPresent: r.minutes_present,
    mode: r.mode,
    travelMinutes: Number(r.travel_minutes),
    miles: Number(r.miles),
    otherExpensesPence: Number(r.other_expenses_pence),
  }));
}

/** A hash of everything the form edits, row by row: changes when anyone saves a change. */
export function registerVersion(rows: readonly RegisterRow[]): string {
  const content = [...rows]
    .sort((a, b) => a.id - b.id)
    .map((r) => [
      r.id,
      r.personId,
      r.status,
      r.deputyPersonId,
      r.minutesPresent,
      r.mode,
      r.travelMinutes,
      r.miles,
      r.otherExpensesPence,
    ]);
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

/** Everyone who may be chosen: current people, and anyone already a deputy on this register. */
async function peopleOptions(db: WorkspaceDb, meetingId: number): Promise<PersonOption[]> {
  const rows = await db
    .selectFrom("people as p")
    .innerJoin("agencies as ag", "ag.id", "p.agency_id")
    .select(["p.id", "p.full_name", "ag.name as agency_name", "p.archived_at"])
    .where((w) =>
      w.or([
        w("p.archived_at", "is", null),
        w(
          "p.id",
          "in",
          w
            .selectFrom("attendance as d")
            .select("d.deputy_person_id")
            .where("d.meeting_id", "=", meetingId)
            .where("d.deputy_person_id", "is not", null),
        ),
      ]),
    )
    .orderBy("p.full_name")
    .orderBy("p.id")
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.full_name,
    agencyName: r.agency_name,
    archived: r.archived_at !== null,
  }));
}

/** The register as the form needs it; 404 unless the viewer runs the meeting's board. */
export async function registerContext(viewer: Viewer, meetingId: number): Promise<RegisterContext> {
  const meeting = await findMeeting(viewer.db, meetingId);
  if (!meeting) notFound();
  ensure(can.runBoard(viewer, meeting.boardId));
  const [rows, people] = await Promise.all([
    registerRows(viewer.db, meeting),
    peopleOptions(viewer.db, meetingId),
  ]);
  return { meeting, rows, people, version: registerVersion(rows) };
}

export interface RegisterPage extends RegisterContext {
  quorum: Quorum;
  costPence: number;
  heldOnSave: boolean;
}

export async function getRegister(viewer: Viewer, meetingId: number): Promise<RegisterPage> {
  const context = await registerContext(viewer, meetingId);
  const cost = await meetingCost(viewer.db, meetingId);
  return {
    ...context,
    quorum: quorum(context.rows, context.meeting.quorumNeeded),
    costPence: cost?.totalPence ?? 0,
    heldOnSave: becomesHeldOnSave(context.meeting),
  };
}

export type SaveOutcome =
  | { ok: true; changed: number; markedHeld: boolean }
  | { ok: false; reason: "stale" | "cancelled" };

interface Actor {
  ip?: string | null;
}

/** Saves the whole register in one transaction, or nothing. The input was validated by registerSchema. */
export async function saveRegister(
  viewer: Viewer,
  meetingId: number,
  input: RegisterInput,
  actor: Actor = {},
  now = new Date(),
): Promise<SaveOutcome> {
  return inTransaction(viewer.db, async (trx) => {
    const meeting = await findMeeting(trx, meetingId, true);
    if (!meeting) notFound();
    ensure(can.runBoard(viewer, meeting.boardId));
    if (meeting.status === "cancelled") return { ok: false, reason: "cancelled" };
    const current = await registerRows(trx, meeting);
    const submittedIds = input.rows.map((r) => r.id).sort((a, b) => a - b);
    const currentIds = current.map((r) => r.id).sort((a, b) => a - b);
    if (
      registerVersion(current) !== input.version ||
      submittedIds.length !== currentIds.length ||
      submittedIds.some((id, i) => id !== currentIds[i])
    ) {
      return { ok: false, reason: "stale" };
    }
    const byId = new Map(current.map((r) => [r.id, r]));
    let changed = 0;
    for (const row of input.rows) {
      const before = byId.get(row.id);
      if (!before) return { ok: false, reason: "stale" };
      const next = {
        status: row.status,
        deputy_person_id: row.status === "deputy" ? (row.deputy ?? null) : null,
        minutes_present: row.minutesPresent ?? null,
        mode: row.mode,
        travel_minutes: row.travelMinutes ?? 0,
        miles: row.miles ?? 0,
        other_expenses_pence: row.expenses ?? 0,
      };
      const same =
        before.status === next.status &&
        before.deputyPersonId === next.deputy_person_id &&
        before.minutesPresent === next.minutes_present &&
        before.mode === next.mode &&
        before.travelMinutes === next.travel_minutes &&
        before.miles === next.miles &&
        before.otherExpensesPence === next.other_expenses_pence;
      if (same) continue;
      changed += 1;
      await trx
        .updateTable("attendance")
        .set({ ...next, updated_at: now })
        .where("id", "=", row.id)
        .where("meeting_id", "=", meetingId)
        .execute();
    }
    const marked = input.rows.some((r) => r.status !== "invited");
    const markedHeld = marked && becomesHeldOnSave(meeting, now);
    if (markedHeld) {
      await trx
        .updateTable("meetings")
        .set((eb) => ({ status: "held", version: eb("version", "+", 1), updated_at: now }))
        .where("id", "=", meetingId)
        .execute();
    }
    const statuses: Record<string, number> = {};
    for (const row of input.rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
    await recordAudit(
      trx,
      { userId: viewer.user.id, label: viewer.user.email, ip: actor.ip ?? null },
      {
        event: "attendance.register_saved",
        entityType: "meeting",
        entityId: meetingId,
        changes: { rows: input.rows.length, rowsChanged: changed, statuses, markedHeld },
      },
    );
    return { ok: true, changed, markedHeld };
  });
}

export type AddOutcome = { ok: true; name: string } | { ok: false; message: string };

/** Adds someone who is not on the register (a non-member attendee) as invited. */
export async function addAttendee(
  viewer: Viewer,
  meetingId: number,
  personId: number,
  actor: Actor = {},
): Promise<AddOutcome> {
  return inTransaction(viewer.db, async (trx) => {
    const meeting = await findMeeting(trx, meetingId, true);
    if (!meeting) notFound();
    ensure(can.runBoard(viewer, meeting.boardId));
    if (meeting.status === "cancelled") return { ok: false, message: CANCELLED_REGISTER_MESSAGE };
    const person = await trx
      .selectFrom("people")
      .select(["id", "full_name", "usual_travel_minutes"])
      .where("id", "=", personId)
      .where("archived_at", "is", null)
      .executeTakeFirst();
    if (!person) return { ok: false, message: "Choose a person from the list" };
    const existing = await trx
      .selectFrom("attendance")
      .select("id")
      .where("meeting_id", "=", meetingId)
      .where("person_id", "=", personId)
      .executeTakeFirst();
    if (existing) return { ok: false, message: `${person.full_name} is already on the register` };
    const row = await trx
      .insertInto("attendance")
      .values({
        workspace_id: workspaceIdOf(trx),
        meeting_id: meetingId,
        person_id: personId,
        status: "invited",
        travel_minutes: Math.min(Number(person.usual_travel_minutes), 600),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(
      trx,
      { userId: viewer.user.id, label: viewer.user.email, ip: actor.ip ?? null },
      {
        event: "attendance.person_added",
        entityType: "meeting",
        entityId: meetingId,
        changes: { attendanceId: Number(row.id), personId },
      },
    );
    return { ok: true, name: person.full_name };
  });
}
