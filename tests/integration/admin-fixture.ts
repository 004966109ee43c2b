import type { DatabaseHandle } from "../../db/client";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { freshDatabase } from "../database";
import { insertAgency, insertBoard, insertUser, insertWorkspace, type TestGrant } from "../factories";
import { signedIn } from "../routes";

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
  const ws = (await insertWorkspace(root, { slug, name: `${slug} partnership` })).id;
  const otherWs = (await insertWorkspace(root, { slug: `${slug}-other`, name: "Elsewhere" })).id;
  const boardId = (
    await insertBoard(root, ws, {
      name: "Local Criminal Justice Board",
      slug: "lcjb",
      type: "lcjb",
      frequency: "bimonthly",
    })
  ).id;
  const partnerAgency = (await insertAgency(root, ws, { name: "Fire and Rescue", type: "fire" })).id;
  const foreignAgencyId = (await insertAgency(root, otherWs, { name: "Foreign Police", type: "police" })).id;

  const grants: Record<keyof AdminFixture["cookies"], TestGrant> = {
    admin: { role: "admin" },
    leader: { role: "leader" },
    secretary: { role: "secretary", board_id: boardId },
    member: { role: "member", board_id: boardId },
    partner: { role: "partner", agency_id: partnerAgency },
  };
  const cookies = {} as AdminFixture["cookies"];
  for (const [name, grant] of Object.entries(grants) as [keyof AdminFixture["cookies"], TestGrant][]) {
    const user = await insertUser(root, ws, { email: `${name}@${slug}.test`, name: `${name} user` }, [grant]);
    cookies[name] = await signedIn(root, user.id, ws);
  }
  return {
    handle,
    ws,
    db: scopeToWorkspace(root, ws),
    otherWs,
    otherDb: scopeToWorkspace(root, otherWs),
    boardId,
    foreignAgencyId,
    cookies,
  };
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
