import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { type AuditActor, recordAudit } from "../audit/audit.server";

/*
 * The workspace's sign-in policy: whether admins and leaders must use two-factor sign-in
 * (an authenticator app or a passkey). `loadViewerState` enforces it on every request: an
 * admin or leader without a verified second step is sent to /sign-in/two-factor, which
 * asks them to set one up if they have none.
 *
 * `workspaces` is not a workspace-scoped table (the tenancy plugin does not filter it), so
 * these queries take the root handle and always name the row by the viewer's workspace id.
 */

export async function twoFactorRequired(db: Kysely<Database>, workspaceId: number): Promise<boolean> {
  const row = await db
    .selectFrom("workspaces")
    .select("require_two_factor_for_privileged")
    .where("id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  return row.require_two_factor_for_privileged;
}

/** Saves the policy and audits the change, in one transaction; false when nothing changed. */
export async function setTwoFactorRequired(
  db: Kysely<Database>,
  input: { workspaceId: number; actor: AuditActor; required: boolean },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("workspaces")
      .select("require_two_factor_for_privileged")
      .where("id", "=", input.workspaceId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.require_two_factor_for_privileged === input.required) return false;
    await trx
      .updateTable("workspaces")
      .set({ require_two_factor_for_privileged: input.required, updated_at: new Date() })
      .where("id", "=", input.workspaceId)
      .execute();
    await recordAudit(scopeToWorkspace(trx, input.workspaceId), input.actor, {
      event: "settings.changed",
      entityType: "workspace",
      entityId: input.workspaceId,
      changes: {
        require_two_factor_for_privileged: {
          from: before.require_two_factor_for_privileged,
          to: input.required,
        },
      },
    });
    return true;
  });
}

export interface PrivilegedUser {
  id: number;
  name: string;
  email: string;
  roles: ("admin" | "leader")[];
}

/** This workspace's admins and leaders (accounts in use) with neither an authenticator app nor a passkey. */
export async function privilegedWithoutTwoFactor(db: WorkspaceDb): Promise<PrivilegedUser[]> {
  const rows = await db
    .selectFrom("role_grants")
    .innerJoin("users", "users.id", "role_grants.user_id")
    .innerJoin("workspace_users", (join) =>
      join
        .onRef("workspace_users.user_id", "=", "role_grants.user_id")
        .onRef("workspace_users.workspace_id", "=", "role_grants.workspace_id"),
    )
    .select(["users.id", "users.name", "users.email", "role_grants.role"])
    .where("role_grants.role", "in", ["admin", "leader"])
    .where("users.disabled_at", "is", null)
    .where("users.totp_key", "is", null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom("passkeys").select("passkeys.id").whereRef("passkeys.user_id", "=", "users.id"),
        ),
      ),
    )
    .orderBy("users.name")
    .orderBy("users.id")
    .execute();
  const byUser = new Map<number, PrivilegedUser>();
  for (const row of rows) {
    const user = byUser.get(row.id) ?? { id: row.id, name: row.name, email: row.email, roles: [] };
    const role = row.role === "admin" ? "admin" : "leader";
    if (!user.roles.includes(role)) user.roles.push(role);
    byUser.set(row.id, user);
  }
  return [...byUser.values()];
}
