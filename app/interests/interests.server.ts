import { inTransaction, workspaceIdOf } from "../../db/tenancy";
import { recordAudit } from "../audit/audit.server";
import { can, ensure, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { londonDate } from "../format";
import type { AddInterestInput, EndInterestInput } from "./schemas";

/*
 * The register of interests (issue 4, "Declarations of interest"): each person's interests
 * are kept once, against the person, and read from there by every board they sit on and by
 * the declarations at each meeting; nothing is copied between boards. Admins keep the
 * register; anyone who reads a board sees the current interests of its current members.
 */

export interface Interest {
  id: number;
  description: string;
  declaredOn: string;
  endedOn: string | null;
}

export interface PersonInterests {
  personId: number;
  name: string;
  agencyName: string;
  interests: Interest[];
}

export interface InterestsPage {
  person: { id: number; name: string; agencyName: string };
  interests: Interest[];
}

type Actor = { ip?: string | null };

function isoDay(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

function toInterest(row: {
  id: number;
  description: string;
  declared_on: unknown;
  ended_on: unknown;
}): Interest {
  return {
    id: Number(row.id),
    description: row.description,
    declaredOn: isoDay(row.declared_on),
    endedOn: row.ended_on === null || row.ended_on === undefined ? null : isoDay(row.ended_on),
  };
}

async function personFor(viewer: Viewer, personId: number) {
  ensure(can.administer(viewer));
  const person = await viewer.db
    .selectFrom("people as p")
    .innerJoin("agencies as a", "a.id", "p.agency_id")
    .select(["p.id", "p.full_name", "a.name as agency_name"])
    .where("p.id", "=", personId)
    .executeTakeFirst();
  if (!person) notFound();
  return { id: Number(person.id), name: person.full_name, agencyName: person.agency_name };
}

/** A person's whole register (current and ended), for admins. */
export async function getPersonInterests(viewer: Viewer, personId: number): Promise<InterestsPage> {
  const person = await personFor(viewer, personId);
  const rows = await viewer.db
    .selectFrom("interests")
    .select(["id", "description", "declared_on", "ended_on"])
    .where("person_id", "=", person.id)
    .orderBy("declared_on", "desc")
    .orderBy("id", "desc")
    .execute();
  return { person, interests: rows.map(toInterest) };
}

export async function addInterest(
  viewer: Viewer,
  personId: number,
  input: AddInterestInput,
  actor: Actor = {},
): Promise<void> {
  const person = await personFor(viewer, personId);
  await inTransaction(viewer.db, async (trx) => {
    const row = await trx
      .insertInto("interests")
      .values({
        workspace_id: workspaceIdOf(trx),
        person_id: person.id,
        description: input.description,
        declared_on: input.declaredOn,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(
      trx,
      { userId: viewer.user.id, label: viewer.user.email, ip: actor.ip ?? null },
      {
        event: "interest.added",
        entityType: "person",
        entityId: person.id,
        changes: { interestId: Number(row.id), description: input.description, declaredOn: input.declaredOn },
      },
    );
  });
}

export type EndOutcome = { ok: true } | { ok: false; notFound: true } | { ok: false; message: string };

/** Ends an interest of this person (it stays on the register); the end may not precede the declaration. */
export async function endInterest(
  viewer: Viewer,
  personId: number,
  input: EndInterestInput,
  actor: Actor = {},
): Promise<EndOutcome> {
  const person = await personFor(viewer, personId);
  return inTransaction(viewer.db, async (trx) => {
    const interest = await trx
      .selectFrom("interests")
      .select(["id", "declared_on"])
      .where("id", "=", input.interestId)
      .where("person_id", "=", person.id)
      .executeTakeFirst();
    if (!interest) return { ok: false, notFound: true } as const;
    if (input.endedOn < isoDay(interest.declared_on))
      return { ok: false, message: "The end date must be on or after the date the interest was declared" };
    await trx
      .updateTable("interests")
      .set({ ended_on: input.endedOn })
      .where("id", "=", interest.id)
      .execute();
    await recordAudit(
      trx,
      { userId: viewer.user.id, label: viewer.user.email, ip: actor.ip ?? null },
      {
        event: "interest.ended",
        entityType: "person",
        entityId: person.id,
        changes: { interestId: Number(interest.id), endedOn: input.endedOn },
      },
    );
    return { ok: true } as const;
  });
}

/** Removes an interest entered by mistake; false if this person has no such interest. */
export async function removeInterest(
  viewer: Viewer,
  personId: number,
  interestId: number,
  actor: Actor = {},
): Promise<boolean> {
  const person = await personFor(viewer, personId);
  return inTransaction(viewer.db, async (trx) => {
    const removed = await trx
      .deleteFrom("interests")
      .where("id", "=", interestId)
      .where("person_id", "=", person.id)
      .returning(["id", "description"])
      .executeTakeFirst();
    if (!removed) return false;
    await recordAudit(
      trx,
      { userId: viewer.user.id, label: viewer.user.email, ip: actor.ip ?? null },
      {
        event: "interest.removed",
        entityType: "person",
        entityId: person.id,
        changes: { interestId, description: removed.description },
      },
    );
    return true;
  });
}

export interface BoardInterestsPage {
  board: { id: number; name: string };
  today: string;
  people: PersonInterests[];
}

/**
 * The interests in force today of the board's current members, read from each person's one
 * register (one query), grouped by person. For anyone who reads the board.
 */
export async function getBoardInterests(viewer: Viewer, boardId: number): Promise<BoardInterestsPage> {
  const board = await viewer.db
    .selectFrom("boards")
    .select(["id", "name"])
    .where("id", "=", boardId)
    .executeTakeFirst();
  if (!board) notFound();
  ensure(can.readBoard(viewer, Number(board.id)));
  const today = londonDate();
  const rows = await viewer.db
    .selectFrom("interests as i")
    .innerJoin("people as p", "p.id", "i.person_id")
    .innerJoin("agencies as a", "a.id", "p.agency_id")
    .select([
      "p.id as person_id",
      "p.full_name",
      "a.name as agency_name",
      "i.id",
      "i.description",
      "i.declared_on",
      "i.ended_on",
    ])
    .where((w) =>
      w.exists(
        w
          .selectFrom("memberships as m")
          .select("m.id")
          .whereRef("m.person_id", "=", "p.id")
          .where("m.board_id", "=", board.id)
          .where("m.from_date", "<=", today)
          .where((m) => m.or([m("m.to_date", "is", null), m("m.to_date", ">=", today)])),
      ),
    )
    .where("i.declared_on", "<=", today)
    .where((w) => w.or([w("i.ended_on", "is", null), w("i.ended_on", ">=", today)]))
    .orderBy("p.full_name")
    .orderBy("p.id")
    .orderBy("i.declared_on")
    .orderBy("i.id")
    .execute();
  const people: PersonInterests[] = [];
  for (const row of rows) {
    let person = people.at(-1);
    if (!person || person.personId !== Number(row.person_id)) {
      person = {
        personId: Number(row.person_id),
        name: row.full_name,
        agencyName: row.agency_name,
        interests: [],
      };
      people.push(person);
    }
    person.interests.push(toInterest(row));
  }
  return { board: { id: Number(board.id), name: board.name }, today, people };
}
