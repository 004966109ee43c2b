import type { Role } from "../../db/schema";
import type { WorkspaceDb } from "../../db/tenancy";

/*
 * Roles as DESIGN.md "Who may do what" defines them: admin and leader for the whole
 * workspace, secretary and member of one board, partner for one agency. Shared by
 * invitations and the admin users page, so both check a board or agency the same way.
 */

export interface RoleScope {
  role: Role;
  boardId: number | null;
  agencyId: number | null;
}

export interface ScopeChoices {
  boards: { id: number; name: string }[];
  agencies: { id: number; name: string }[];
}

/** The boards and agencies a role may be given for (archived ones are not offered). */
export async function roleScopeChoices(db: WorkspaceDb): Promise<ScopeChoices> {
  const [boards, agencies] = await Promise.all([
    db.selectFrom("boards").select(["id", "name"]).where("archived_at", "is", null).orderBy("name").execute(),
    db
      .selectFrom("agencies")
      .select(["id", "name"])
      .where("archived_at", "is", null)
      .orderBy("name")
      .execute(),
  ]);
  return { boards, agencies };
}

export type CheckedScope =
  | { ok: true; scope: RoleScope; label: string }
  | { ok: false; field: "boardId" | "agencyId"; message: string };

/** Checks the board or agency a role needs exists in this workspace; ignores one it does not need. */
export async function checkRoleScope(
  db: WorkspaceDb,
  input: { role: Role; boardId?: number | null; agencyId?: number | null },
): Promise<CheckedScope> {
  const { role } = input;
  if (role === "admin" || role === "leader") {
    return { ok: true, scope: { role, boardId: null, agencyId: null }, label: describeRole(role) };
  }
  if (role === "secretary" || role === "member") {
    const board = input.boardId
      ? await db
          .selectFrom("boards")
          .select(["id", "name"])
          .where("id", "=", input.boardId)
          .where("archived_at", "is", null)
          .executeTakeFirst()
      : undefined;
    if (!board) return { ok: false, field: "boardId", message: "Select a board from the list" };
    return {
      ok: true,
      scope: { role, boardId: board.id, agencyId: null },
      label: describeRole(role, board.name),
    };
  }
  const agency = input.agencyId
    ? await db
        .selectFrom("agencies")
        .select(["id", "name"])
        .where("id", "=", input.agencyId)
        .where("archived_at", "is", null)
        .executeTakeFirst()
    : undefined;
  if (!agency) return { ok: false, field: "agencyId", message: "Select an agency from the list" };
  return {
    ok: true,
    scope: { role, boardId: null, agencyId: agency.id },
    label: describeRole(role, agency.name),
  };
}

/** "secretary of Northshire LCJB", "partner for Northshire Police", "admin". */
export function describeRole(role: Role, scopeName?: string | null): string {
  switch (role) {
    case "admin":
      return "admin";
    case "leader":
      return "leader";
    case "secretary":
      return `secretary of ${scopeName ?? "a board"}`;
    case "member":
      return `member of ${scopeName ?? "a board"}`;
    case "partner":
      return `partner for ${scopeName ?? "an agency"}`;
  }
}
