import { sql } from "kysely";
import type { AgendaPurpose, Classification } from "../../db/schema";
import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import type { AuditActor } from "../audit/audit.server";
import { recordAudit } from "../audit/audit.server";
import { can, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { formatDuration, londonDate } from "../format";
import { type AgendaItemInput, CANCELLED_MESSAGE } from "./schemas";

/*
 * The agenda of a meeting: items in order (positions 0, 1, 2… with no gaps), each with its
 * purpose, presenter, minutes allowed, classification and papers. Every change runs in one
 * transaction that first locks the meeting row, so two secretaries reordering at once cannot
 * leave gaps or duplicates, and a cancelled meeting's agenda cannot be changed. Titles of
 * OFFICIAL-SENSITIVE items are kept out of the audit trail.
 */

/** A route's id parameter, or 404. */
export function idParam(value: string | FormDataEntryValue | null | undefined): number {
  if (typeof value !== "string" || !/^[1-9]\d{0,14}$/.test(value)) notFound();
  return Number(value);
}

export interface AgendaMeeting {
  id: number;
  board_id: number;
  board_name: string;
  starts_at: Date;
  duration_minutes: number;
  status: "scheduled" | "held" | "cancelled";
}

/** The meeting, if the viewer may run its board (the agenda builder); otherwise undefined. */
export async function meetingForAgenda(
  viewer: Viewer,
  meetingId: number,
): Promise<AgendaMeeting | undefined> {
  const meeting = await viewer.db
    .selectFrom("meetings")
    .innerJoin("boards", "boards.id", "meetings.board_id")
    .select([
      "meetings.id",
      "meetings.board_id",
      "boards.name as board_name",
      "meetings.starts_at",
      "meetings.duration_minutes",
      "meetings.status",
    ])
    .where("meetings.id", "=", meetingId)
    .executeTakeFirst();
  if (!meeting || !can.runBoard(viewer, meeting.board_id)) return undefined;
  return { ...meeting, starts_at: new Date(meeting.starts_at) };
}

/** The running total: "1 hour 50 minutes of 2 hours", and by how much the items overrun the meeting. */
export function timeAllowed(items: readonly { minutes_allowed: number }[], durationMinutes: number) {
  const total = items.reduce((sum, item) => sum + item.minutes_allowed, 0);
  return {
    total,
    text: `${formatDuration(total)} of ${formatDuration(durationMinutes)}`,
    over: total > durationMinutes ? formatDuration(total - durationMinutes) : null,
  };
}

export interface AgendaPaper {
  id: number;
  filename: string;
  size_bytes: number;
}

export interface AgendaItemView {
  id: number;
  position: number;
  title: string;
  purpose: AgendaPurpose;
  presenter_person_id: number | null;
  presenter_name: string | null;
  minutes_allowed: number;
  classification: Classification;
  standing_kind: string | null;
  papers: AgendaPaper[];
}

export async function listAgenda(db: WorkspaceDb, meetingId: number): Promise<AgendaItemView[]> {
  const items = await db
    .selectFrom("agenda_items")
    .leftJoin("people", "people.id", "agenda_items.presenter_person_id")
    .select([
      "agenda_items.id",
      "agenda_items.position",
      "agenda_items.title",
      "agenda_items.purpose",
      "agenda_items.presenter_person_id",
      "people.full_name as presenter_name",
      "agenda_items.minutes_allowed",
      "agenda_items.classification",
      "agenda_items.standing_kind",
    ])
    .where("agenda_items.meeting_id", "=", meetingId)
    .orderBy("agenda_items.position")
    .orderBy("agenda_items.id")
    .execute();
  const papers =
    items.length === 0
      ? []
      : await db
          .selectFrom("papers")
          .select(["id", "agenda_item_id", "filename", "size_bytes"])
          .where(
            "agenda_item_id",
            "in",
            items.map((i) => i.id),
          )
          .orderBy("id")
          .execute();
  return items.map((item) => ({
    ...item,
    minutes_allowed: Number(item.minutes_allowed),
    papers: papers
      .filter((p) => p.agenda_item_id === item.id)
      .map((p) => ({ id: p.id, filename: p.filename, size_bytes: Number(p.size_bytes) })),
  }));
}

/** One item of the meeting, with its papers. */
export async function agendaItem(
  db: WorkspaceDb,
  meetingId: number,
  itemId: number,
): Promise<AgendaItemView | undefined> {
  return (await listAgenda(db, meetingId)).find((item) => item.id === itemId);
}

/** The people who may present: the board's members on the meeting's date (and the current presenter). */
export async function presenterOptions(
  db: WorkspaceDb,
  meeting: AgendaMeeting,
  include: readonly (number | null)[] = [],
): Promise<{ value: string; label: string }[]> {
  const day = londonDate(meeting.starts_at);
  const people = await db
    .selectFrom("people")
    .select(["people.id", "people.full_name"])
    .where((eb) =>
      eb.or([
        eb(
          "people.id",
          "in",
          eb
            .selectFrom("memberships")
            .select("memberships.person_id")
            .where("memberships.board_id", "=", meeting.board_id)
            .where("memberships.from_date", "<=", day)
            .where((w) => w.or([w("memberships.to_date", "is", null), w("memberships.to_date", ">=", day)])),
        ),
        ...(include.some((id) => id !== null)
          ? [
              eb(
                "people.id",
                "in",
                include.filter((id): id is number => id !== null),
              ),
            ]
          : []),
      ]),
    )
    .orderBy("people.full_name")
    .execute();
  return people.map((p) => ({ value: String(p.id), label: p.full_name }));
}

export type AgendaOutcome<T = object> =
  | ({ ok: true } & T)
  | {
      ok: false;
      notFound?: false;
      formError?: string;
      fieldErrors?: Partial<Record<keyof AgendaItemInput, string[]>>;
    }
  | { ok: false; notFound: true };

/** Locks the meeting for the rest of the transaction; its status, or undefined if it is not there. */
async function lockMeeting(trx: WorkspaceDb, meetingId: number) {
  return trx
    .selectFrom("meetings")
    .select(["id", "status"])
    .where("id", "=", meetingId)
    .forUpdate()
    .executeTakeFirst();
}

async function presenterExists(trx: WorkspaceDb, personId: number | undefined): Promise<boolean> {
  if (personId === undefined) return true;
  const person = await trx.selectFrom("people").select("id").where("id", "=", personId).executeTakeFirst();
  return person !== undefined;
}

/** What the audit trail may keep of an item: not the title of an OFFICIAL-SENSITIVE one. */
function auditable(values: AgendaItemInput): Record<string, unknown> {
  return {
    title: values.classification === "official_sensitive" ? "[OFFICIAL-SENSITIVE]" : values.title,
    purpose: values.purpose,
    presenter_person_id: values.presenter_person_id ?? null,
    minutes_allowed: values.minutes_allowed,
    classification: values.classification,
  };
}

const PRESENTER_UNKNOWN = { presenter_person_id: ["Choose a presenter from the list"] };

export async function addAgendaItem(
  db: WorkspaceDb,
  actor: AuditActor,
  meetingId: number,
  values: AgendaItemInput,
): Promise<AgendaOutcome<{ id: number }>> {
  return inTransaction(db, async (trx) => {
    const meeting = await lockMeeting(trx, meetingId);
    if (!meeting) return { ok: false, notFound: true };
    if (meeting.status === "cancelled") return { ok: false, formError: CANCELLED_MESSAGE };
    if (!(await presenterExists(trx, values.presenter_person_id))) {
      return { ok: false, fieldErrors: PRESENTER_UNKNOWN };
    }
    const last = await trx
      .selectFrom("agenda_items")
      .select(sql<number>`count(*)::int`.as("count"))
      .where("meeting_id", "=", meetingId)
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto("agenda_items")
      .values({
        workspace_id: workspaceIdOf(trx),
        meeting_id: meetingId,
        position: Number(last.count),
        title: values.title,
        purpose: values.purpose,
        presenter_person_id: values.presenter_person_id ?? null,
        minutes_allowed: values.minutes_allowed,
        classification: values.classification,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      event: "agenda_item.created",
      entityType: "agenda_item",
      entityId: row.id,
      changes: { meeting_id: meetingId, ...auditable(values) },
    });
    return { ok: true, id: row.id };
  });
}

export async function updateAgendaItem(
  db: WorkspaceDb,
  actor: AuditActor,
  meetingId: number,
  itemId: number,
  values: AgendaItemInput,
): Promise<AgendaOutcome> {
  return inTransaction(db, async (trx) => {
    const meeting = await lockMeeting(trx, meetingId);
    if (!meeting) return { ok: false, notFound: true };
    const before = await trx
      .selectFrom("agenda_items")
      .select(["title", "purpose", "presenter_person_id", "minutes_allowed", "classification"])
      .where("id", "=", itemId)
      .where("meeting_id", "=", meetingId)
      .executeTakeFirst();
    if (!before) return { ok: false, notFound: true };
    if (meeting.status === "cancelled") return { ok: false, formError: CANCELLED_MESSAGE };
    if (!(await presenterExists(trx, values.presenter_person_id))) {
      return { ok: false, fieldErrors: PRESENTER_UNKNOWN };
    }
    await trx
      .updateTable("agenda_items")
      .set({
        title: values.title,
        purpose: values.purpose,
        presenter_person_id: values.presenter_person_id ?? null,
        minutes_allowed: values.minutes_allowed,
        classification: values.classification,
        updated_at: new Date(),
      })
      .where("id", "=", itemId)
      .execute();
    // Only what changed, as [before, after]; a sensitive item's title only as "changed".
    const sensitive =
      before.classification === "official_sensitive" || values.classification === "official_sensitive";
    const was = {
      title: before.title,
      purpose: before.purpose,
      presenter_person_id: before.presenter_person_id ?? null,
      minutes_allowed: Number(before.minutes_allowed),
      classification: before.classification,
    };
    const now = { ...values, presenter_person_id: values.presenter_person_id ?? null };
    const changes: Record<string, unknown> = {};
    for (const key of Object.keys(was) as (keyof typeof was)[]) {
      if (was[key] === now[key]) continue;
      changes[key] = key === "title" && sensitive ? "[OFFICIAL-SENSITIVE: changed]" : [was[key], now[key]];
    }
    await recordAudit(trx, actor, {
      event: "agenda_item.updated",
      entityType: "agenda_item",
      entityId: itemId,
      changes: { meeting_id: meetingId, ...changes },
    });
    return { ok: true };
  });
}

/** Positions 0, 1, 2… in the current order. */
async function renumber(trx: WorkspaceDb, meetingId: number): Promise<{ id: number; position: number }[]> {
  const items = await trx
    .selectFrom("agenda_items")
    .select(["id", "position"])
    .where("meeting_id", "=", meetingId)
    .orderBy("position")
    .orderBy("id")
    .execute();
  for (const [index, item] of items.entries()) {
    if (item.position !== index) {
      await trx.updateTable("agenda_items").set({ position: index }).where("id", "=", item.id).execute();
      item.position = index;
    }
  }
  return items;
}

export async function removeAgendaItem(
  db: WorkspaceDb,
  actor: AuditActor,
  meetingId: number,
  itemId: number,
): Promise<AgendaOutcome> {
  return inTransaction(db, async (trx) => {
    const meeting = await lockMeeting(trx, meetingId);
    if (!meeting) return { ok: false, notFound: true };
    const item = await trx
      .selectFrom("agenda_items")
      .select(["id", "title", "classification", "position"])
      .where("id", "=", itemId)
      .where("meeting_id", "=", meetingId)
      .executeTakeFirst();
    if (!item) return { ok: false, notFound: true };
    if (meeting.status === "cancelled") return { ok: false, formError: CANCELLED_MESSAGE };
    await trx.deleteFrom("agenda_items").where("id", "=", itemId).execute();
    await renumber(trx, meetingId);
    await recordAudit(trx, actor, {
      event: "agenda_item.removed",
      entityType: "agenda_item",
      entityId: itemId,
      changes: {
        meeting_id: meetingId,
        title: item.classification === "official_sensitive" ? "[OFFICIAL-SENSITIVE]" : item.title,
        position: item.position,
      },
    });
    return { ok: true };
  });
}

/** Swaps an item with its neighbour above ("up") or below ("down"); at either end, nothing changes. */
export async function moveAgendaItem(
  db: WorkspaceDb,
  actor: AuditActor,
  meetingId: number,
  itemId: number,
  direction: "up" | "down",
): Promise<AgendaOutcome> {
  return inTransaction(db, async (trx) => {
    const meeting = await lockMeeting(trx, meetingId);
    if (!meeting) return { ok: false, notFound: true };
    const items = await renumber(trx, meetingId);
    const index = items.findIndex((item) => item.id === itemId);
    if (index < 0) return { ok: false, notFound: true };
    if (meeting.status === "cancelled") return { ok: false, formError: CANCELLED_MESSAGE };
    const other = items[direction === "up" ? index - 1 : index + 1];
    const item = items[index];
    if (!other || !item) return { ok: true };
    await trx
      .updateTable("agenda_items")
      .set({ position: other.position })
      .where("id", "=", item.id)
      .execute();
    await trx
      .updateTable("agenda_items")
      .set({ position: item.position })
      .where("id", "=", other.id)
      .execute();
    await recordAudit(trx, actor, {
      event: "agenda_item.moved",
      entityType: "agenda_item",
      entityId: itemId,
      changes: { meeting_id: meetingId, position: [item.position, other.position] },
    });
    return { ok: true };
  });
}
