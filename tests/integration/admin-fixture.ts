import type { DatabaseHandle } from "../../db/client";
import type { Role } from "../../db/schema";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { freshDatabase } from "../database";
import { cookieFor } from "../routes";

/*
 * A workspace for the admin route tests: one signed-in user per role (admin, leader,
 * secretary and member of a board, partner of an agency), and a second workspace whose
 * records must never be reachable from the first. Call useDatabaseForTests(f.handle) after it.
 */

export interface AdminFixture {
  handle: DatabaseHandle;
  ws: number;
  db: WorkspaceDb;
  otherWs: number;
  otherDb: WorkspaceDb;
  boardId: number;
  /** An agency in the other workspace. */
  foreignAgencyId: number;
  cookies: Record<"admin" | "leader" | "secretary" | "member" | "partner", string>;
}

export async function adminFixture(slug: string): Promise<AdminFixture> {
  const handle = await freshDatabase();
  const root = handle.db;
  const ws = (
    await root
      .insertInto("workspaces")
      .values({ slug, name: `${slug} partnership` })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const otherWs = (
    await root
      .insertInto("workspaces")
      .values({ slug: `${slug}-other`, name: "Elsewhere" })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const db = scopeToWorkspace(root, ws);
  const otherDb = scopeToWorkspace(root, otherWs);

  const boardId = (
    await db
      .insertInto("boards")
      .values({
        workspace_id: ws,
        name: "Local Criminal Justice Board",
        slug: "lcjb",
        type: "lcjb",
        level: "local",
        frequency: "bimonthly",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const partnerAgency = (
    await db
      .insertInto("agencies")
      .values({ workspace_id: ws, name: "Fire and Rescue", type: "fire" })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const foreignAgencyId = (
    await otherDb
      .insertInto("agencies")
      .values({ workspace_id: otherWs, name: "Foreign Police", type: "police" })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;

  const grants: Record<
    keyof AdminFixture["cookies"],
    { role: Role; board_id: number | null; agency_id: number | null }
  > = {
    admin: { role: "admin", board_id: null, agency_id: null },
    leader: { role: "leader", board_id: null, agency_id: null },
    secretary: { role: "secretary", board_id: boardId, agency_id: null },
    member: { role: "member", board_id: boardId, agency_id: null },
    partner: { role: "partner", board_id: null, agency_id: partnerAgency },
  };
  const cookies = {} as AdminFixture["cookies"];
  for (const [name, grant] of Object.entries(grants) as [
    keyof AdminFixture["cookies"],
    (typeof grants)["admin"],
  ][]) {
    const email = `${name}@${slug}.test`;
    const user = await root
      .insertInto("users")
      .values({ email, name: `${name} user` })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("workspace_users").values({ workspace_id: ws, user_id: user.id }).execute();
    await db
      .insertInto("role_grants")
      .values({ workspace_id: ws, user_id: user.id, ...grant })
      .execute();
    cookies[name] = await cookieFor(root, email);
  }
  return { handle, ws, db, otherWs, otherDb, boardId, foreignAgencyId, cookies };
}

/** The audit events of one kind in the fixture's workspace, oldest first. */
export async function auditEvents(db: WorkspaceDb, event: string) {
  return db
    .selectFrom("audit_events")
    .select(["event", "entity_type", "entity_id", "changes", "actor_label"])
    .where("event", "=", event)
    .orderBy("id")
    .execute();
}
