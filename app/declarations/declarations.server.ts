import { inTransaction, workspaceIdOf } from "../../db/tenancy";
import { recordAudit } from "../audit/audit.server";
import { can, ensure, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { londonDate } from "../format";
import type { DeclarationInput } from "./schemas";

/*
 * Declarations of interest at one meeting. A person's interests are kept once, in their
 * register of interests (the interests table), and offered at every meeting of every board
 * they sit on; a declaration records that one was declared, against an agenda item or the
 * meeting as a whole. Only those who run the meeting's board may see or change them here.
 */

export interface DeclarationsPage {
  meeting: { id: number; boardId: number; boardName: string; startsAt: Date };
  /** Those on the register, each with the interests in force on the meeting's date. */
  people: { id: number; name: string; interests: { id: number; description: string }[] }[];
  agendaItems: { id: number; position: number; title: string }[];
  declarations: {
    id: number;
    personName: string;
    agendaItemTitle: string | null;
    agendaItemPosition: number | null;
    interest: string | null;
    text: string;
  }[];
}

async function meetingFor(viewer: Viewer, meetingId: number) {
  const meeting = await viewer.db
    .selectFrom("meetings as m")
    .innerJoin("boards as b", "b.id", "m.board_id")
    .select(["m.id", "m.board_id", "b.name as board_name", "m.starts_at"])
    .where("m.id", "=", meetingId)
    .executeTakeFirst();
  if (!meeting) notFound();
  ensure(can.runBoard(viewer, meeting.board_id));
  return {
    id: Number(meeting.id),
    boardId: Number(meeting.board_id),
    boardName: meeting.board_name,
    startsAt: new Date(meeting.starts_at),
  };
}

export async function getDeclarations(viewer: Viewer, meetingId: number): Promise<DeclarationsPage> {
  const meeting = await meetingFor(viewer, meetingId);
  const day = londonDate(meeting.startsAt);
  const [people, interests, agendaItems, declarations] = await Promise.all([
    viewer.db
      .selectFrom("attendance as a")
      .innerJoin("people as p", "p.id", "a.person_id")
      .select(["p.id", "p.full_name"])
      .where("a.meeting_id", "=", meetingId)
      .orderBy("p.full_name")
      .execute(),
    viewer.db
      .selectFrom("interests as i")
      .innerJoin("attendance as a", (join) =>
        join.onRef("a.person_id", "=", "i.person_id").on("a.meeting_id", "=", meetingId),
      )
      .select(["i.id", "i.person_id", "i.description"])
      .where("i.declared_on", "<=", day)
      .where((w) => w.or([w("i.ended_on", "is", null), w("i.ended_on", ">=", day)]))
      .orderBy("i.declared_on")
      .orderBy("i.id")
      .execute(),
    viewer.db
      .selectFrom("agenda_items")
      .select(["id", "position", "title"])
      .where("meeting_id", "=", meetingId)
      .orderBy("position")
      .execute(),
    viewer.db
      .selectFrom("declarations as d")
      .innerJoin("people as p", "p.id", "d.person_id")
      .leftJoin("agenda_items as ai", "ai.id", "d.agenda_item_id")
      .leftJoin("interests as i", "i.id", "d.interest_id")
      .select(["d.id", "p.full_name", "ai.title", "ai.position", "i.description as interest", "d.text"])
      .where("d.meeting_id", "=", meetingId)
      .orderBy("ai.position")
      .orderBy("d.id")
      .execute(),
  ]);
  return {
    meeting,
    people: people.map((p) => ({
      id: Number(p.id),
      name: p.full_name,
      interests: interests
        .filter((i) => Number(i.person_id) === Number(p.id))
        .map((i) => ({ id: Number(i.id), description: i.description })),
    })),
    agendaItems: agendaItems.map((a) => ({ id: Number(a.id), position: a.position, title: a.title })),
    declarations: declarations.map((d) => ({
      id: Number(d.id),
      personName: d.full_name,
      agendaItemTitle: d.title,
      agendaItemPosition: d.position,
      interest: d.interest,
      text: d.text,
    })),
  };
}

export type DeclareOutcome =
  | { ok: true }
  | { ok: false; fieldErrors: Partial<Record<"personId" | "agendaItemId" | "interestId", string[]>> };

/** Records a declaration: the person must be on the register, the item on this agenda, the interest theirs. */
export async function recordDeclaration(
  viewer: Viewer,
  meetingId: number,
  input: DeclarationInput,
  actor: { ip?: string | null } = {},
): Promise<DeclareOutcome> {
  const meeting = await meetingFor(viewer, meetingId);
  return inTransaction(viewer.db, async (trx) => {
    const onRegister = await trx
      .selectFrom("attendance")
      .select("id")
      .where("meeting_id", "=", meeting.id)
      .where("person_id", "=", input.personId)
      .executeTakeFirst();
    if (!onRegister) return { ok: false, fieldErrors: { personId: ["Choose someone on the register"] } };
    if (input.agendaItemId !== undefined) {
      const item = await trx
        .selectFrom("agenda_items")
        .select("id")
        .where("id", "=", input.agendaItemId)
        .where("meeting_id", "=", meeting.id)
        .executeTakeFirst();
      if (!item)
        return { ok: false, fieldErrors: { agendaItemId: ["Choose an item on this meeting's agenda"] } };
    }
    if (input.interestId !== undefined) {
      const interest = await trx
        .selectFrom("interests")
        .select("id")
        .where("id", "=", input.interestId)
        .where("person_id", "=", input.personId)
        .executeTakeFirst();
      if (!interest)
        return {
          ok: false,
          fieldErrors: { interestId: ["Choose one of the interests registered by the person who declared"] },
        };
    }
    const row = await trx
      .insertInto("declarations")
      .values({
        workspace_id: workspaceIdOf(trx),
        meeting_id: meeting.id,
        agenda_item_id: input.agendaItemId ?? null,
        person_id: input.personId,
        interest_id: input.interestId ?? null,
        text: input.text,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(
      trx,
      { userId: viewer.user.id, label: viewer.user.email, ip: actor.ip ?? null },
      {
        event: "declaration.recorded",
        entityType: "meeting",
        entityId: meeting.id,
        changes: {
          declarationId: Number(row.id),
          personId: input.personId,
          agendaItemId: input.agendaItemId ?? null,
        },
      },
    );
    return { ok: true };
  });
}

/** Removes a declaration of this meeting (one recorded by mistake); false if there is none. */
export async function removeDeclaration(
  viewer: Viewer,
  meetingId: number,
  declarationId: number,
  actor: { ip?: string | null } = {},
): Promise<boolean> {
  const meeting = await meetingFor(viewer, meetingId);
  return inTransaction(viewer.db, async (trx) => {
    const removed = await trx
      .deleteFrom("declarations")
      .where("id", "=", declarationId)
      .where("meeting_id", "=", meeting.id)
      .returning(["id", "person_id"])
      .executeTakeFirst();
    if (!removed) return false;
    await recordAudit(
      trx,
      { userId: viewer.user.id, label: viewer.user.email, ip: actor.ip ?? null },
      {
        event: "declaration.removed",
        entityType: "meeting",
        entityId: meeting.id,
        changes: { declarationId, personId: Number(removed.person_id) },
      },
    );
    return true;
  });
}
