import { sql } from "kysely";
import type { Role } from "../../db/schema";
import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { type AuditActor, recordAudit } from "../audit/audit.server";
import { can, ensure, notFound } from "./authorise.server";
import { checkRoleScope, describeRole } from "./role-grants.server";
import { INACTIVITY_MS, invalidateUserSessions } from "./sessions.server";
import type { UserSort } from "./user-schemas";
import type { SessionViewer, Viewer } from "./viewer.server";

/*
 * The admin users page: who has an account in this workspace, with which roles, and the
 * changes an admin makes to them. Every change is one transaction with its audit event.
 *
 * The workspace must keep an admin: an admin cannot disable themselves, and neither
 * disabling nor removing a role may leave no enabled admin. The admins are locked while
 * that is checked, so two admins removing each other at once cannot both succeed.
 *
 * Accounts and sessions are people-level (one user may belong to several workspaces), so
 * disabling an account or ending its sessions acts on the account everywhere.
 */

export interface AdminUserRow {
  id: number;
  email: string;
  name: string;
  disabled: boolean;
  isViewer: boolean;
  lastSignInAt: Date | null;
  activeSessions: number;
  grants: { id: number; role: Role; label: string }[];
}

export type AdminChange = { ok: true; message: string } | { ok: false; message: string };
export type GrantChange =
  | { ok: true; message: string }
  | { ok: false; field: "role" | "boardId" | "agencyId"; message: string };

function actor(viewer: Viewer, ip?: string | null): AuditActor {
  return { userId: viewer.user.id, label: viewer.user.email, ip };
}

export interface UserListState {
  sort: UserSort;
  dir: "asc" | "desc";
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** A page of the workspace's users with their roles, last sign-in and live sessions, sorted in SQL. */
export async function listWorkspaceUsers(
  viewer: Viewer,
  order: UserListState = { sort: "name", dir: "asc", page: 1, pageSize: 25 },
  now = new Date(),
): Promise<{ rows: AdminUserRow[]; total: number }> {
  ensure(can.administer(viewer));
  const { db } = viewer;
  const direction = order.dir;
  let query = db
    .selectFrom("workspace_users")
    .innerJoin("users", "users.id", "workspace_users.user_id")
    // Last sign-in to this workspace, from the audit trail (sign-in records one per workspace).
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("audit_events")
          .select(["audit_events.actor_user_id", (e) => e.fn.max("audit_events.occurred_at").as("at")])
          .where("audit_events.event", "=", "sign_in.succeeded")
          .groupBy("audit_events.actor_user_id")
          .as("last_sign_in"),
      (join) => join.onRef("last_sign_in.actor_user_id", "=", "users.id"),
    )
    .select([
      "users.id",
      "users.email",
      "users.name",
      "users.disabled_at",
      "last_sign_in.at as last_sign_in_at",
    ]);
  switch (order.sort) {
    case "email":
      query = query.orderBy("users.email", direction);
      break;
    case "last-sign-in":
      query = query.orderBy("last_sign_in.at", (ob) =>
        direction === "asc" ? ob.asc().nullsFirst() : ob.desc().nullsLast(),
      );
      break;
    case "status":
      query = query.orderBy(sql`users.disabled_at is not null`, direction);
      break;
    case "name":
      break;
  }
  const [users, count] = await Promise.all([
    query
      .orderBy(sql`lower(users.name)`, order.sort === "name" ? direction : "asc")
      .orderBy("users.id")
      .limit(order.pageSize)
      .offset((order.page - 1) * order.pageSize)
      .execute(),
    db
      .selectFrom("workspace_users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  const total = Number(count.n);
  if (users.length === 0) return { rows: [], total };
  const ids = users.map((u) => u.id);

  const [grants, sessions] = await Promise.all([
    db
      .selectFrom("role_grants")
      .leftJoin("boards", "boards.id", "role_grants.board_id")
      .leftJoin("agencies", "agencies.id", "role_grants.agency_id")
      .select([
        "role_grants.id",
        "role_grants.user_id",
        "role_grants.role",
        "boards.name as board_name",
        "agencies.name as agency_name",
      ])
      .where("role_grants.user_id", "in", ids)
      .orderBy("role_grants.role")
      .orderBy("boards.name")
      .orderBy("agencies.name")
      .execute(),
    db
      .selectFrom("sessions")
      .select(["user_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("user_id", "in", ids)
      .where("expires_at", ">", now)
      .where("last_seen_at", ">", new Date(now.getTime() - INACTIVITY_MS))
      .groupBy("user_id")
      .execute(),
  ]);
  const ROLE_ORDER: Role[] = ["admin", "leader", "secretary", "member", "partner"];
  const rows = users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    disabled: u.disabled_at !== null,
    isViewer: u.id === viewer.user.id,
    lastSignInAt: u.last_sign_in_at ? new Date(u.last_sign_in_at) : null,
    activeSessions: Number(sessions.find((s) => s.user_id === u.id)?.n ?? 0),
    grants: grants
      .filter((g) => g.user_id === u.id)
      .sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role))
      .map((g) => ({ id: g.id, role: g.role, label: describeRole(g.role, g.board_name ?? g.agency_name) })),
  }));
  return { rows, total };
}

/** The user, if they belong to this workspace; otherwise 404 (as if they did not exist). */
async function workspaceUser(db: WorkspaceDb, userId: number) {
  const user = await db
    .selectFrom("workspace_users")
    .innerJoin("users", "users.id", "workspace_users.user_id")
    .select(["users.id", "users.email", "users.name", "users.disabled_at"])
    .where("users.id", "=", userId)
    .executeTakeFirst();
  return user ?? notFound();
}

/** The enabled admins, locked until the transaction ends. */
async function lockEnabledAdmins(trx: WorkspaceDb): Promise<number[]> {
  const rows = await trx
    .selectFrom("role_grants")
    .innerJoin("users", "users.id", "role_grants.user_id")
    .select("role_grants.user_id")
    .where("role_grants.role", "=", "admin")
    .where("users.disabled_at", "is", null)
    .forUpdate()
    .execute();
  return rows.map((r) => r.user_id);
}

/** Disables the account and ends all its sessions. */
export async function disableUser(
  viewer: Viewer,
  userId: number,
  meta: { ip?: string | null } = {},
  now = new Date(),
): Promise<AdminChange> {
  ensure(can.administer(viewer));
  if (userId === viewer.user.id) return { ok: false, message: "You cannot disable your own account" };
  return inTransaction(viewer.db, async (trx): Promise<AdminChange> => {
    const user = await workspaceUser(trx, userId);
    if (user.disabled_at) return { ok: true, message: `${user.name}’s account is already disabled` };
    const admins = await lockEnabledAdmins(trx);
    if (admins.includes(user.id) && admins.every((id) => id === user.id)) {
      return { ok: false, message: `${user.name} is the only admin. Make someone else an admin first` };
    }
    await trx
      .updateTable("users")
      .set({ disabled_at: now, updated_at: now })
      .where("id", "=", user.id)
      .execute();
    const sessionsEnded = await invalidateUserSessions(trx, user.id);
    await recordAudit(trx, actor(viewer, meta.ip), {
      event: "user.disabled",
      entityType: "user",
      entityId: user.id,
      changes: { email: user.email, sessions_ended: sessionsEnded },
    });
    return { ok: true, message: `${user.name}’s account is disabled and they have been signed out` };
  });
}

export async function enableUser(
  viewer: Viewer,
  userId: number,
  meta: { ip?: string | null } = {},
  now = new Date(),
): Promise<AdminChange> {
  ensure(can.administer(viewer));
  return inTransaction(viewer.db, async (trx): Promise<AdminChange> => {
    const user = await workspaceUser(trx, userId);
    if (!user.disabled_at) return { ok: true, message: `${user.name}’s account is already enabled` };
    await trx
      .updateTable("users")
      .set({ disabled_at: null, updated_at: now })
      .where("id", "=", user.id)
      .execute();
    await recordAudit(trx, actor(viewer, meta.ip), {
      event: "user.enabled",
      entityType: "user",
      entityId: user.id,
      changes: { email: user.email },
    });
    return { ok: true, message: `${user.name}’s account is enabled` };
  });
}

/** Signs the user out everywhere (an admin ending their own keeps the session they are using). */
export async function endUserSessions(
  viewer: SessionViewer,
  userId: number,
  meta: { ip?: string | null } = {},
): Promise<AdminChange> {
  ensure(can.administer(viewer));
  return inTransaction(viewer.db, async (trx): Promise<AdminChange> => {
    const user = await workspaceUser(trx, userId);
    const self = user.id === viewer.user.id;
    const ended = await invalidateUserSessions(trx, user.id, self ? viewer.session.id : undefined);
    await recordAudit(trx, actor(viewer, meta.ip), {
      event: "sessions.ended",
      entityType: "user",
      entityId: user.id,
      changes: { email: user.email, sessions_ended: ended },
    });
    const count = `${ended} ${self ? "other " : ""}session${ended === 1 ? "" : "s"}`;
    return { ok: true, message: self ? `Signed you out of ${count}` : `Signed ${user.name} out of ${count}` };
  });
}

export async function revokeRole(
  viewer: Viewer,
  input: { userId: number; grantId: number },
  meta: { ip?: string | null } = {},
): Promise<AdminChange> {
  ensure(can.administer(viewer));
  return inTransaction(viewer.db, async (trx): Promise<AdminChange> => {
    const user = await workspaceUser(trx, input.userId);
    const grant = await trx
      .selectFrom("role_grants")
      .leftJoin("boards", "boards.id", "role_grants.board_id")
      .leftJoin("agencies", "agencies.id", "role_grants.agency_id")
      .select([
        "role_grants.id",
        "role_grants.role",
        "role_grants.board_id",
        "role_grants.agency_id",
        "boards.name as board_name",
        "agencies.name as agency_name",
      ])
      .where("role_grants.id", "=", input.grantId)
      .where("role_grants.user_id", "=", user.id)
      .executeTakeFirst();
    if (!grant) notFound();
    const label = describeRole(grant.role, grant.board_name ?? grant.agency_name);
    if (grant.role === "admin") {
      const admins = await lockEnabledAdmins(trx);
      if (admins.every((id) => id === user.id)) {
        return {
          ok: false,
          message: `You cannot remove the last admin. Make someone else an admin before removing ${user.name}’s admin role`,
        };
      }
    }
    await trx.deleteFrom("role_grants").where("id", "=", grant.id).execute();
    await recordAudit(trx, actor(viewer, meta.ip), {
      event: "role.revoked",
      entityType: "user",
      entityId: user.id,
      changes: { email: user.email, role: grant.role, board_id: grant.board_id, agency_id: grant.agency_id },
    });
    return { ok: true, message: `${user.name} is no longer ${label}` };
  });
}

export async function grantRole(
  viewer: Viewer,
  input: { userId: number; role: Role; boardId?: number; agencyId?: number },
  meta: { ip?: string | null } = {},
): Promise<GrantChange> {
  ensure(can.administer(viewer));
  return inTransaction(viewer.db, async (trx): Promise<GrantChange> => {
    const user = await workspaceUser(trx, input.userId);
    const checked = await checkRoleScope(trx, input);
    if (!checked.ok) return checked;
    const { scope } = checked;
    const created = await trx
      .insertInto("role_grants")
      .values({
        workspace_id: workspaceIdOf(trx),
        user_id: user.id,
        role: scope.role,
        board_id: scope.boardId,
        agency_id: scope.agencyId,
      })
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!created) return { ok: false, field: "role", message: `${user.name} is already ${checked.label}` };
    await recordAudit(trx, actor(viewer, meta.ip), {
      event: "role.granted",
      entityType: "user",
      entityId: user.id,
      changes: { email: user.email, role: scope.role, board_id: scope.boardId, agency_id: scope.agencyId },
    });
    return { ok: true, message: `${user.name} is now ${checked.label}` };
  });
}
