import type { IsoDate, MembershipRole } from "../../db/schema";
import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { changedFields, type Outcome, uniqueViolation } from "../admin/shared.server";
import { type AuditActor, recordAudit } from "../audit/audit.server";
import { can, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import type { BoardInput, MembershipInput } from "./schemas";

/*
 * Adding and editing boards and their memberships. Callers check can.administer (add,
 * archive) or can.runBoard (edit, memberships) first; every query goes through the
 * workspace-scoped handle.
 */

type BoardField = keyof BoardInput;

const SLUG_TAKEN = "Another board already uses this short name; choose a different one";

const BOARD_COLUMNS = [
  "name",
  "slug",
  "type",
  "level",
  "terms_of_reference",
  "quorum",
  "default_duration_minutes",
  "preparation_minutes",
  "frequency",
  "visibility",
  "sensitive_items_public",
] as const;

export interface BoardForm extends BoardInput {
  id: number;
  archived_at: Date | null;
}

export async function getBoardForm(db: WorkspaceDb, boardId: number): Promise<BoardForm | null> {
  const row = await db
    .selectFrom("boards")
    .select(["id", ...BOARD_COLUMNS, "archived_at"])
    .where("id", "=", boardId)
    .executeTakeFirst();
  return row ? { ...row, id: Number(row.id) } : null;
}

/**
 * The board named in a URL, for a viewer who runs it; 404 otherwise (not a number, not in
 * the viewer's workspace, or not theirs to run). Loaders and actions both start here, so a
 * post about another workspace's board is refused before its form is even read.
 */
export async function requireRunnableBoard(viewer: Viewer, boardIdParam: string): Promise<BoardForm> {
  if (!/^\d{1,15}$/.test(boardIdParam)) notFound();
  const boardId = Number(boardIdParam);
  if (!can.runBoard(viewer, boardId)) notFound();
  const board = await getBoardForm(viewer.db, boardId);
  if (!board) notFound();
  return board;
}

async function slugTaken(trx: WorkspaceDb, slug: string, exceptId?: number): Promise<boolean> {
  let query = trx.selectFrom("boards").select("id").where("slug", "=", slug);
  if (exceptId !== undefined) query = query.where("id", "<>", exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** A unique violation (two people adding the same slug at once) becomes the field message. */
async function refusingDuplicateSlug<R>(
  work: () => Promise<R>,
): Promise<R | { ok: false; fieldErrors: { slug: string[] } }> {
  try {
    return await work();
  } catch (error) {
    if (uniqueViolation(error) !== null) return { ok: false, fieldErrors: { slug: [SLUG_TAKEN] } };
    throw error;
  }
}

export async function createBoard(
  db: WorkspaceDb,
  actor: AuditActor,
  input: BoardInput,
): Promise<Outcome<{ id: number }, BoardField>> {
  return refusingDuplicateSlug(() =>
    inTransaction(db, async (trx) => {
      if (await slugTaken(trx, input.slug))
        return { ok: false, fieldErrors: { slug: [SLUG_TAKEN] } } as const;
      const { id } = await trx
        .insertInto("boards")
        .values({ workspace_id: workspaceIdOf(trx), ...input })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        event: "board.created",
        entityType: "board",
        entityId: Number(id),
        changes: { ...input },
      });
      return { ok: true, id: Number(id) } as const;
    }),
  );
}

export async function updateBoard(
  db: WorkspaceDb,
  actor: AuditActor,
  boardId: number,
  input: BoardInput,
): Promise<Outcome<object, BoardField>> {
  return refusingDuplicateSlug(() =>
    inTransaction(db, async (trx) => {
      const before = await trx
        .selectFrom("boards")
        .select([...BOARD_COLUMNS])
        .where("id", "=", boardId)
        .forUpdate()
        .executeTakeFirst();
      if (!before) return { ok: false, notFound: true } as const;
      if (await slugTaken(trx, input.slug, boardId)) {
        return { ok: false, fieldErrors: { slug: [SLUG_TAKEN] } } as const;
      }
      const changes = changedFields(before, input);
      if (Object.keys(changes).length === 0) return { ok: true } as const;
      await trx
        .updateTable("boards")
        .set({ ...input, updated_at: new Date() })
        .where("id", "=", boardId)
        .execute();
      await recordAudit(trx, actor, {
        event: "board.updated",
        entityType: "board",
        entityId: boardId,
        changes,
      });
      return { ok: true } as const;
    }),
  );
}

/** Archive (or bring back) a board. False when there is no such board. */
export async function setBoardArchived(
  db: WorkspaceDb,
  actor: AuditActor,
  boardId: number,
  archived: boolean,
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("boards")
      .select("archived_at")
      .where("id", "=", boardId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return false;
    if ((before.archived_at !== null) === archived) return true;
    await trx
      .updateTable("boards")
      .set({ archived_at: archived ? new Date() : null, updated_at: new Date() })
      .where("id", "=", boardId)
      .execute();
    await recordAudit(trx, actor, {
      event: archived ? "board.archived" : "board.unarchived",
      entityType: "board",
      entityId: boardId,
      changes: {},
    });
    return true;
  });
}

// ── Memberships ──────────────────────────────────────────────────────────────────────────

export interface MembershipRow {
  id: number;
  personId: number;
  personName: string;
  agencyName: string;
  role: MembershipRole;
  fromDate: IsoDate;
  toDate: IsoDate | null;
}

/** Every membership of the board, past, present and future. */
export async function listMemberships(db: WorkspaceDb, boardId: number): Promise<MembershipRow[]> {
  const rows = await db
    .selectFrom("memberships as ms")
    .innerJoin("people as p", "p.id", "ms.person_id")
    .innerJoin("agencies as a", "a.id", "ms.agency_id")
    .select([
      "ms.id",
      "ms.person_id",
      "p.full_name",
      "a.name as agency_name",
      "ms.role",
      "ms.from_date",
      "ms.to_date",
    ])
    .where("ms.board_id", "=", boardId)
    .orderBy("p.full_name")
    .orderBy("ms.from_date")
    .orderBy("ms.id")
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    personId: Number(row.person_id),
    personName: row.full_name,
    agencyName: row.agency_name,
    role: row.role,
    fromDate: row.from_date,
    toDate: row.to_date,
  }));
}

export async function personOptions(db: WorkspaceDb) {
  const rows = await db
    .selectFrom("people as p")
    .innerJoin("agencies as a", "a.id", "p.agency_id")
    .select(["p.id", "p.full_name", "a.name as agency_name"])
    .orderBy("p.full_name")
    .orderBy("p.id")
    .execute();
  return rows.map((row) => ({ value: String(row.id), label: `${row.full_name} (${row.agency_name})` }));
}

type MembershipField = keyof MembershipInput;

/** The latest date a membership could run to; stands in for "no end date" in comparisons. */
const OPEN_END = "9999-12-31";

export async function addMembership(
  db: WorkspaceDb,
  actor: AuditActor,
  boardId: number,
  input: MembershipInput,
): Promise<Outcome<{ id: number }, MembershipField>> {
  return inTransaction(db, async (trx) => {
    const board = await trx
      .selectFrom("boards")
      .select("id")
      .where("id", "=", boardId)
      .forUpdate()
      .executeTakeFirst();
    if (!board) return { ok: false, notFound: true } as const;
    const person = await trx
      .selectFrom("people")
      .select(["id", "agency_id"])
      .where("id", "=", input.person_id)
      .executeTakeFirst();
    if (!person) return { ok: false, fieldErrors: { person_id: ["Select the person"] } } as const;
    const agencyId = input.agency_id ?? Number(person.agency_id);
    const agency = await trx
      .selectFrom("agencies")
      .select("id")
      .where("id", "=", agencyId)
      .executeTakeFirst();
    if (!agency) {
      return { ok: false, fieldErrors: { agency_id: ["Select the agency they represent"] } } as const;
    }
    const toDate = input.to_date ?? null;
    const existing = await trx
      .selectFrom("memberships")
      .select(["from_date", "to_date"])
      .where("board_id", "=", boardId)
      .where("person_id", "=", input.person_id)
      .execute();
    const overlaps = existing.some(
      (m) => m.from_date <= (toDate ?? OPEN_END) && input.from_date <= (m.to_date ?? OPEN_END),
    );
    if (overlaps) {
      return {
        ok: false,
        fieldErrors: {
          from_date: ["This person is already a member of the board for some of these dates"],
        },
      } as const;
    }
    const values = {
      board_id: boardId,
      person_id: input.person_id,
      agency_id: agencyId,
      role: input.role,
      from_date: input.from_date,
      to_date: toDate,
    };
    const { id } = await trx
      .insertInto("memberships")
      .values({ workspace_id: workspaceIdOf(trx), ...values })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      event: "membership.added",
      entityType: "membership",
      entityId: Number(id),
      changes: values,
    });
    return { ok: true, id: Number(id) } as const;
  });
}

export async function endMembership(
  db: WorkspaceDb,
  actor: AuditActor,
  boardId: number,
  membershipId: number,
  toDate: IsoDate,
): Promise<Outcome<object, "to_date">> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("memberships")
      .select(["from_date", "to_date"])
      .where("id", "=", membershipId)
      .where("board_id", "=", boardId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return { ok: false, notFound: true } as const;
    if (toDate < before.from_date) {
      return {
        ok: false,
        fieldErrors: { to_date: ["The end date must be the same as or after the start date"] },
      } as const;
    }
    await trx.updateTable("memberships").set({ to_date: toDate }).where("id", "=", membershipId).execute();
    await recordAudit(trx, actor, {
      event: "membership.ended",
      entityType: "membership",
      entityId: membershipId,
      changes: { to_date: [before.to_date, toDate] },
    });
    return { ok: true } as const;
  });
}

export async function removeMembership(
  db: WorkspaceDb,
  actor: AuditActor,
  boardId: number,
  membershipId: number,
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const removed = await trx
      .deleteFrom("memberships")
      .where("id", "=", membershipId)
      .where("board_id", "=", boardId)
      .returning(["person_id", "agency_id", "role", "from_date", "to_date"])
      .executeTakeFirst();
    if (!removed) return false;
    await recordAudit(trx, actor, {
      event: "membership.removed",
      entityType: "membership",
      entityId: membershipId,
      changes: { ...removed, board_id: boardId },
    });
    return true;
  });
}
