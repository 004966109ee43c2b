import type {
  AgendaPurpose,
  Classification,
  MeetingFormat,
  MeetingStatus,
  MinutesStatus,
} from "../../db/schema";
import type { WorkspaceDb } from "../../db/tenancy";
import type { MinutesSnapshot, SnapshotAttendee, SnapshotDeclaration, SnapshotPerson } from "./snapshot";

/*
 * Reading a meeting and its minutes, and taking a snapshot of the minutes as they stand
 * (for a new version). Each function takes the handle to read with: the viewer's, or the
 * transaction the change runs in.
 */

export interface MinutesMeeting {
  id: number;
  boardId: number;
  boardName: string;
  boardSlug: string;
  boardVisibility: "public" | "private";
  startsAt: Date;
  durationMinutes: number;
  format: MeetingFormat;
  location: string;
  status: MeetingStatus;
}

export async function findMeeting(
  db: WorkspaceDb,
  meetingId: number,
  options: { lock?: boolean } = {},
): Promise<MinutesMeeting | null> {
  let query = db
    .selectFrom("meetings as m")
    .innerJoin("boards as b", "b.id", "m.board_id")
    .select([
      "m.id",
      "m.board_id",
      "b.name as board_name",
      "b.slug as board_slug",
      "b.visibility",
      "m.starts_at",
      "m.duration_minutes",
      "m.format",
      "m.location",
      "m.status",
    ])
    .where("m.id", "=", meetingId);
  if (options.lock) query = query.forUpdate("m");
  const row = await query.executeTakeFirst();
  if (!row) return null;
  return {
    id: Number(row.id),
    boardId: Number(row.board_id),
    boardName: row.board_name,
    boardSlug: row.board_slug,
    boardVisibility: row.visibility,
    startsAt: new Date(row.starts_at),
    durationMinutes: row.duration_minutes,
    format: row.format,
    location: row.location,
    status: row.status,
  };
}

export interface MinutesRecord {
  id: number;
  status: MinutesStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string | null;
  circulatedAt: Date | null;
  approvedAt: Date | null;
  approvedAtMeetingId: number | null;
  publishedAt: Date | null;
}

export async function findMinutes(
  db: WorkspaceDb,
  meetingId: number,
  options: { lock?: boolean } = {},
): Promise<MinutesRecord | null> {
  let query = db
    .selectFrom("minutes as mn")
    .leftJoin("users as u", "u.id", "mn.updated_by")
    .select([
      "mn.id",
      "mn.status",
      "mn.version",
      "mn.created_at",
      "mn.updated_at",
      "u.name as updated_by_name",
      "mn.circulated_at",
      "mn.approved_at",
      "mn.approved_at_meeting_id",
      "mn.published_at",
    ])
    .where("mn.meeting_id", "=", meetingId);
  if (options.lock) query = query.forUpdate("mn");
  const row = await query.executeTakeFirst();
  if (!row) return null;
  return {
    id: Number(row.id),
    status: row.status,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    updatedBy: row.updated_by_name,
    circulatedAt: row.circulated_at,
    approvedAt: row.approved_at,
    approvedAtMeetingId: row.approved_at_meeting_id === null ? null : Number(row.approved_at_meeting_id),
    publishedAt: row.published_at,
  };
}

/** Who was there, from the register: present (deputies in their member's place), apologies, absent. */
export async function attendanceOf(
  db: WorkspaceDb,
  meetingId: number,
): Promise<MinutesSnapshot["attendance"]> {
  const rows = await db
    .selectFrom("attendance as a")
    .innerJoin("people as p", "p.id", "a.person_id")
    .innerJoin("agencies as ag", "ag.id", "p.agency_id")
    .leftJoin("people as d", "d.id", "a.deputy_person_id")
    .leftJoin("agencies as dag", "dag.id", "d.agency_id")
    .select([
      "a.status",
      "a.mode",
      "p.full_name",
      "ag.name as agency",
      "d.full_name as deputy_name",
      "dag.name as deputy_agency",
    ])
    .where("a.meeting_id", "=", meetingId)
    .orderBy("p.full_name")
    .orderBy("a.id")
    .execute();
  const present: SnapshotAttendee[] = [];
  const apologies: SnapshotPerson[] = [];
  const absent: SnapshotPerson[] = [];
  for (const row of rows) {
    const remote = row.mode === "remote";
    if (row.status === "attended")
      present.push({ name: row.full_name, agency: row.agency, remote, deputyFor: null });
    else if (row.status === "deputy" && row.deputy_name)
      present.push({
        name: row.deputy_name,
        agency: row.deputy_agency ?? row.agency,
        remote,
        deputyFor: row.full_name,
      });
    else if (row.status === "apologies") apologies.push({ name: row.full_name, agency: row.agency });
    else if (row.status === "absent") absent.push({ name: row.full_name, agency: row.agency });
  }
  return { present, apologies, absent };
}

/** A meeting's declarations of interest, each with the agenda item it was made against (null: the whole meeting). */
export async function declarationsOf(
  db: WorkspaceDb,
  meetingId: number,
): Promise<(SnapshotDeclaration & { agendaItemId: number | null })[]> {
  const rows = await db
    .selectFrom("declarations as d")
    .innerJoin("people as p", "p.id", "d.person_id")
    .innerJoin("agencies as ag", "ag.id", "p.agency_id")
    .leftJoin("interests as i", "i.id", "d.interest_id")
    .select(["d.id", "d.agenda_item_id", "p.full_name", "ag.name as agency", "d.text", "i.description"])
    .where("d.meeting_id", "=", meetingId)
    .orderBy("d.id")
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    agendaItemId: row.agenda_item_id === null ? null : Number(row.agenda_item_id),
    name: row.full_name,
    agency: row.agency,
    text: row.text,
    interest: row.description,
  }));
}

/** One agenda item with its minutes, decisions and actions, as the tables hold them now. */
export interface ItemRows {
  id: number;
  position: number;
  title: string;
  purpose: AgendaPurpose;
  classification: Classification;
  discussion: string;
  decisions: { id: number; text: string }[];
  actions: {
    id: number;
    title: string;
    classification: Classification;
    ownerAgencyId: number;
    ownerAgency: string;
    ownerPersonId: number | null;
    ownerPerson: string | null;
    dueDate: string;
    /** Progress updates in the action log. */
    updates: number;
  }[];
}

/** A meeting's agenda items with their minutes (of `minutesId`), decisions and actions: three queries. */
export async function itemRows(
  db: WorkspaceDb,
  meetingId: number,
  minutesId: number | null,
): Promise<ItemRows[]> {
  const items = await db
    .selectFrom("agenda_items as ai")
    .leftJoin("minute_items as mi", (join) =>
      join.onRef("mi.agenda_item_id", "=", "ai.id").on("mi.minutes_id", "=", minutesId ?? 0),
    )
    .select(["ai.id", "ai.position", "ai.title", "ai.purpose", "ai.classification", "mi.discussion"])
    .where("ai.meeting_id", "=", meetingId)
    .orderBy("ai.position")
    .orderBy("ai.id")
    .execute();
  const decisions = await db
    .selectFrom("decisions")
    .select(["id", "agenda_item_id", "text"])
    .where("meeting_id", "=", meetingId)
    .orderBy("id")
    .execute();
  const actions = await db
    .selectFrom("actions as a")
    .innerJoin("agencies as ag", "ag.id", "a.owner_agency_id")
    .leftJoin("people as p", "p.id", "a.owner_person_id")
    .select((eb) => [
      "a.id",
      "a.agenda_item_id",
      "a.title",
      "a.classification",
      "a.owner_agency_id",
      "ag.name as agency",
      "a.owner_person_id",
      "p.full_name as person",
      "a.due_date",
      eb
        .selectFrom("action_updates as u")
        .select((inner) => inner.fn.countAll<number>().as("n"))
        .whereRef("u.action_id", "=", "a.id")
        .as("updates"),
    ])
    .where("a.meeting_id", "=", meetingId)
    .orderBy("a.id")
    .execute();
  return items.map((item) => ({
    id: Number(item.id),
    position: item.position,
    title: item.title,
    purpose: item.purpose,
    classification: item.classification,
    discussion: item.discussion ?? "",
    decisions: decisions
      .filter((d) => Number(d.agenda_item_id) === Number(item.id))
      .map((d) => ({ id: Number(d.id), text: d.text })),
    actions: actions
      .filter((a) => Number(a.agenda_item_id) === Number(item.id))
      .map((a) => ({
        id: Number(a.id),
        title: a.title,
        classification: a.classification,
        ownerAgencyId: Number(a.owner_agency_id),
        ownerAgency: a.agency,
        ownerPersonId: a.owner_person_id === null ? null : Number(a.owner_person_id),
        ownerPerson: a.person,
        dueDate: a.due_date,
        updates: Number(a.updates ?? 0),
      })),
  }));
}

/** The minutes of a meeting as they stand now: the content of a new version. */
export async function takeSnapshot(
  db: WorkspaceDb,
  meeting: MinutesMeeting,
  minutesId: number | null,
  approval: { approvedAt: Date | null; approvedAtMeetingId: number | null },
): Promise<MinutesSnapshot> {
  const attendance = await attendanceOf(db, meeting.id);
  const items = await itemRows(db, meeting.id, minutesId);
  const declarations = await declarationsOf(db, meeting.id);
  const declaredAgainst = (agendaItemId: number | null): SnapshotDeclaration[] =>
    declarations
      .filter((d) => d.agendaItemId === agendaItemId)
      .map(({ agendaItemId: _item, ...declaration }) => declaration);
  const approvedAt = approval.approvedAt;
  const approvingMeeting =
    approvedAt && approval.approvedAtMeetingId !== null
      ? await db
          .selectFrom("meetings")
          .select(["id", "starts_at"])
          .where("id", "=", approval.approvedAtMeetingId)
          .executeTakeFirst()
      : undefined;
  return {
    meeting: {
      id: meeting.id,
      boardId: meeting.boardId,
      boardName: meeting.boardName,
      startsAt: meeting.startsAt.toISOString(),
      durationMinutes: meeting.durationMinutes,
      format: meeting.format,
      location: meeting.location,
    },
    attendance,
    declarations: declaredAgainst(null),
    items: items.map((item) => ({
      agendaItemId: item.id,
      position: item.position,
      title: item.title,
      classification: item.classification,
      discussion: item.discussion,
      declarations: declaredAgainst(item.id),
      decisions: item.decisions,
      actions: item.actions.map((a) => ({
        id: a.id,
        title: a.title,
        classification: a.classification,
        ownerAgency: a.ownerAgency,
        ownerPerson: a.ownerPerson,
        dueDate: a.dueDate,
      })),
    })),
    approval: approvedAt
      ? {
          approvedAt: approvedAt.toISOString(),
          atMeeting: approvingMeeting
            ? {
                id: Number(approvingMeeting.id),
                startsAt: new Date(approvingMeeting.starts_at).toISOString(),
              }
            : null,
        }
      : null,
  };
}
