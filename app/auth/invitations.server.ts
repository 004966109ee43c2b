import type { Kysely } from "kysely";
import type { Database, Role } from "../../db/schema";
import { inTransaction, scopeToWorkspace, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { recordAudit } from "../audit/audit.server";
import { formatDateTime } from "../format";
import { sendMail } from "../mail/mailer.server";
import { can, ensure } from "./authorise.server";
import { hashPassword, passwordProblem } from "./passwords.server";
import { checkRoleScope, describeRole } from "./role-grants.server";
import { createSession, invalidateSession } from "./sessions.server";
import { hashToken, randomToken } from "./tokens.server";
import type { Viewer } from "./viewer.server";

/*
 * Invitations: an admin invites a person by email with one role; the email carries a link
 * to /invitations/<token>. The token is "<workspace id>.<256-bit secret>"; only its SHA-256
 * hash is stored. The workspace id in front lets the lookup go through a workspace-scoped
 * handle (and, on Citus, to one shard); changing it changes the hash, so it cannot be used
 * to reach another workspace's invitation.
 *
 * An invitation works once and for seven days. Accepting creates the account (or, for a
 * person who already has one, adds this workspace after they sign in), the membership and
 * the role, marks the invitation accepted and signs the person in: all in one transaction.
 */

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export { INVALID_INVITATION_MESSAGE } from "./link-messages";

const INVITATION_TOKEN = /^([1-9][0-9]{0,14})\.([a-z2-7]{52})$/;

function parseInvitationToken(token: string): { workspaceId: number; hash: string } | null {
  const match = INVITATION_TOKEN.exec(token);
  if (!match) return null;
  return { workspaceId: Number(match[1]), hash: hashToken(token) };
}

// ── Creating ───────────────────────────────────────────────────────────────────────────

export interface InviteInput {
  email: string;
  role: Role;
  boardId?: number;
  agencyId?: number;
}

export type InviteResult =
  | { ok: true; invitationId: number; email: string; roleLabel: string }
  | { ok: false; field: "email" | "boardId" | "agencyId"; message: string };

/**
 * Creates the invitation (replacing any earlier one for the same address that is still
 * open, so only the newest link works) and emails the link once the change is committed.
 */
export async function createInvitation(
  viewer: Viewer,
  input: InviteInput,
  options: { baseUrl: string; ip?: string | null; now?: Date },
): Promise<InviteResult> {
  ensure(can.administer(viewer));
  const now = options.now ?? new Date();
  const email = input.email.trim().toLowerCase();

  const checked = await checkRoleScope(viewer.db, input);
  if (!checked.ok) return checked;

  const alreadyHere = await viewer.db
    .selectFrom("workspace_users")
    .innerJoin("users", "users.id", "workspace_users.user_id")
    .select("users.id")
    .where("users.email", "=", email)
    .executeTakeFirst();
  if (alreadyHere) {
    return {
      ok: false,
      field: "email",
      message:
        "This person already has an account in this workspace. Add a role to them on the users page instead",
    };
  }

  const workspaceId = workspaceIdOf(viewer.db);
  const token = `${workspaceId}.${randomToken()}`;
  const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS);
  const { scope } = checked;

  const invitationId = await inTransaction(viewer.db, async (trx) => {
    const replaced = await trx
      .updateTable("invitations")
      .set({ expires_at: now })
      .where("email", "=", email)
      .where("accepted_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    const invitation = await trx
      .insertInto("invitations")
      .values({
        workspace_id: workspaceId,
        email,
        role: scope.role,
        board_id: scope.boardId,
        agency_id: scope.agencyId,
        token_hash: hashToken(token),
        invited_by: viewer.user.id,
        expires_at: expiresAt,
        created_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(
      trx,
      { userId: viewer.user.id, label: viewer.user.email, ip: options.ip },
      {
        event: "invitation.created",
        entityType: "invitation",
        entityId: invitation.id,
        changes: {
          email,
          role: scope.role,
          board_id: scope.boardId,
          agency_id: scope.agencyId,
          expires_at: expiresAt.toISOString(),
          replaced_invitations: Number(replaced.numUpdatedRows),
        },
      },
    );
    return invitation.id;
  });

  // Sent after the commit: an invitation that was rolled back never reaches anyone.
  const link = `${options.baseUrl}/invitations/${token}`;
  await sendMail({
    to: email,
    subject: `You have been invited to ${viewer.workspace.name} on Boardledger`,
    text: [
      `${viewer.user.name} has invited you to join ${viewer.workspace.name} on Boardledger as ${checked.label}.`,
      "",
      "To accept, open this link and set up your account:",
      link,
      "",
      `The link works once and expires on ${formatDateTime(expiresAt)}.`,
      "If you were not expecting this invitation, you can ignore this email.",
    ].join("\n"),
  });
  return { ok: true, invitationId, email, roleLabel: checked.label };
}

/** Open invitations of the workspace, newest first (for the admin users page). */
export async function pendingInvitations(db: WorkspaceDb, now = new Date()) {
  const rows = await db
    .selectFrom("invitations")
    .leftJoin("boards", "boards.id", "invitations.board_id")
    .leftJoin("agencies", "agencies.id", "invitations.agency_id")
    .leftJoin("users", "users.id", "invitations.invited_by")
    .select([
      "invitations.id",
      "invitations.email",
      "invitations.role",
      "invitations.expires_at",
      "invitations.created_at",
      "boards.name as board_name",
      "agencies.name as agency_name",
      "users.name as invited_by_name",
    ])
    .where("invitations.accepted_at", "is", null)
    .where("invitations.expires_at", ">", now)
    .orderBy("invitations.created_at", "desc")
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    roleLabel: describeRole(r.role, r.board_name ?? r.agency_name),
    invitedBy: r.invited_by_name,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  }));
}

// ── Opening the link ───────────────────────────────────────────────────────────────────

export type InvitationView =
  | { state: "invalid"; status: 404 | 410 }
  | {
      state: "valid";
      invitationId: number;
      workspaceId: number;
      workspaceName: string;
      email: string;
      roleLabel: string;
      expiresAt: Date;
      /** The account that already uses the invited address, if any. */
      existingUserId: number | null;
    };

/** What the link names: a usable invitation, or nothing (unknown 404, used or expired 410). */
export async function findInvitation(
  root: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<InvitationView> {
  const parsed = parseInvitationToken(token);
  if (!parsed) return { state: "invalid", status: 404 };
  const db = scopeToWorkspace(root, parsed.workspaceId);
  const row = await db
    .selectFrom("invitations")
    .innerJoin("workspaces", "workspaces.id", "invitations.workspace_id")
    .leftJoin("boards", "boards.id", "invitations.board_id")
    .leftJoin("agencies", "agencies.id", "invitations.agency_id")
    .select([
      "invitations.id",
      "invitations.email",
      "invitations.role",
      "invitations.expires_at",
      "invitations.accepted_at",
      "workspaces.name as workspace_name",
      "boards.name as board_name",
      "agencies.name as agency_name",
      // In the same statement as the invitation, so a racing acceptance is seen whole or not at all.
      (eb) =>
        eb
          .selectFrom("users")
          .select("users.id")
          .whereRef("users.email", "=", "invitations.email")
          .as("existing_user_id"),
    ])
    .where("invitations.token_hash", "=", parsed.hash)
    .executeTakeFirst();
  if (!row) return { state: "invalid", status: 404 };
  if (row.accepted_at !== null || row.expires_at <= now) return { state: "invalid", status: 410 };
  return {
    state: "valid",
    invitationId: row.id,
    workspaceId: parsed.workspaceId,
    workspaceName: row.workspace_name,
    email: row.email,
    roleLabel: describeRole(row.role, row.board_name ?? row.agency_name),
    expiresAt: row.expires_at,
    existingUserId: row.existing_user_id ?? null,
  };
}

// ── Accepting ──────────────────────────────────────────────────────────────────────────

export type AcceptInput =
  | { kind: "register"; name: string; password: string; confirm: string }
  /** A signed-in user whose email is the invited one. */
  | { kind: "join"; userId: number; email: string; sessionId: string; twoFactorVerified: boolean };

export type AcceptResult =
  | { ok: true; token: string; expiresAt: Date; userId: number; workspaceId: number }
  | { ok: false; reason: "invalid"; status: 404 | 410 }
  | { ok: false; reason: "account-exists" | "wrong-account" }
  | { ok: false; reason: "field"; field: "name" | "password" | "confirm"; message: string };

/** Thrown inside the transaction to undo everything and answer with `result`. */
class Refused extends Error {
  constructor(readonly result: AcceptResult) {
    super("refused");
  }
}

export async function acceptInvitation(
  root: Kysely<Database>,
  token: string,
  input: AcceptInput,
  meta: { ip?: string | null; userAgent?: string | null } = {},
  now = new Date(),
): Promise<AcceptResult> {
  const view = await findInvitation(root, token, now);
  if (view.state === "invalid") return { ok: false, reason: "invalid", status: view.status };

  let passwordHash: string | null = null;
  if (input.kind === "register") {
    if (view.existingUserId !== null) return { ok: false, reason: "account-exists" };
    const problem = passwordProblem(input.password, { email: view.email });
    if (problem) return { ok: false, reason: "field", field: "password", message: problem };
    if (input.password !== input.confirm) {
      return { ok: false, reason: "field", field: "confirm", message: "Enter the same password twice" };
    }
    // Hashing is slow: done before the transaction, which stays short.
    passwordHash = await hashPassword(input.password);
  } else if (input.email !== view.email) {
    return { ok: false, reason: "wrong-account" };
  }

  const db = scopeToWorkspace(root, view.workspaceId);
  try {
    return await inTransaction(db, async (trx) => {
      // Claiming the invitation first makes it single-use even when two requests race.
      const invitation = await trx
        .updateTable("invitations")
        .set({ accepted_at: now })
        .where("id", "=", view.invitationId)
        .where("token_hash", "=", hashToken(token))
        .where("accepted_at", "is", null)
        .where("expires_at", ">", now)
        .returning(["id", "email", "role", "board_id", "agency_id"])
        .executeTakeFirst();
      if (!invitation) throw new Refused({ ok: false, reason: "invalid", status: 410 });

      let userId: number;
      if (input.kind === "register") {
        const created = await trx
          .insertInto("users")
          .values({
            email: invitation.email,
            name: input.name,
            password_hash: passwordHash,
            password_changed_at: now,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.column("email").doNothing())
          .returning("id")
          .executeTakeFirst();
        // Someone created the account since the page was opened: they must sign in instead.
        if (!created) throw new Refused({ ok: false, reason: "account-exists" });
        userId = created.id;
      } else {
        const user = await trx
          .selectFrom("users")
          .select("id")
          .where("id", "=", input.userId)
          .where("email", "=", invitation.email)
          .where("disabled_at", "is", null)
          .executeTakeFirst();
        if (!user) throw new Refused({ ok: false, reason: "wrong-account" });
        userId = user.id;
      }

      // Link the account to the person record with the same email, when there is exactly one.
      const people = await trx
        .selectFrom("people")
        .select("id")
        .where("email", "=", invitation.email)
        .where("archived_at", "is", null)
        .limit(2)
        .execute();
      await trx
        .insertInto("workspace_users")
        .values({
          workspace_id: view.workspaceId,
          user_id: userId,
          person_id: people.length === 1 ? people[0]!.id : null,
          created_at: now,
        })
        .onConflict((oc) => oc.columns(["workspace_id", "user_id"]).doNothing())
        .execute();
      // A role the person already holds is simply kept (the unique index says it exists).
      await trx
        .insertInto("role_grants")
        .values({
          workspace_id: view.workspaceId,
          user_id: userId,
          role: invitation.role,
          board_id: invitation.board_id,
          agency_id: invitation.agency_id,
          created_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();

      const actor = { userId, label: invitation.email, ip: meta.ip };
      await recordAudit(trx, actor, {
        event: "invitation.accepted",
        entityType: "invitation",
        entityId: invitation.id,
        changes: { email: invitation.email, user_id: userId, new_account: input.kind === "register" },
      });
      await recordAudit(trx, actor, {
        event: "role.granted",
        entityType: "user",
        entityId: userId,
        changes: {
          role: invitation.role,
          board_id: invitation.board_id,
          agency_id: invitation.agency_id,
          via: "invitation",
        },
      });

      // A new session for the new access; a signed-in user's old one ends with it.
      const { token: sessionToken, session } = await createSession(
        trx,
        {
          userId,
          workspaceId: view.workspaceId,
          twoFactorVerified: input.kind === "join" ? input.twoFactorVerified : false,
          userAgent: meta.userAgent ?? undefined,
          ip: meta.ip ?? undefined,
        },
        now,
      );
      if (input.kind === "join") await invalidateSession(trx, input.sessionId);
      return {
        ok: true,
        token: sessionToken,
        expiresAt: session.expiresAt,
        userId,
        workspaceId: view.workspaceId,
      };
    });
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}
