import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.server";
import { invalidateSession, invalidateUserSessions } from "./sessions.server";
import type { SessionViewer } from "./viewer.server";

/** The viewer's own account: sessions, password, two-factor status. */

export async function accountOverview(db: Kysely<Database>, viewer: SessionViewer) {
  const [sessions, user] = await Promise.all([
    db
      .selectFrom("sessions")
      .select(["id", "created_at", "last_seen_at", "expires_at", "user_agent", "ip"])
      .where("user_id", "=", viewer.user.id)
      .where("expires_at", ">", new Date())
      .orderBy("last_seen_at", "desc")
      .execute(),
    db
      .selectFrom("users")
      .select(["totp_key", "password_changed_at"])
      .select((eb) =>
        eb
          .selectFrom("recovery_codes")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("recovery_codes.user_id", "=", "users.id")
          .where("recovery_codes.used_at", "is", null)
          .as("recovery_codes_left"),
      )
      .where("id", "=", viewer.user.id)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    sessions: sessions.map((s) => ({
      // The session id is a lookup key, not the secret, but it is still not shown whole.
      ref: s.id.slice(0, 8),
      current: s.id === viewer.session.id,
      createdAt: s.created_at.toISOString(),
      lastSeenAt: s.last_seen_at.toISOString(),
      userAgent: s.user_agent,
      ip: s.ip,
    })),
    twoFactor: user.totp_key !== null,
    recoveryCodesLeft: Number(user.recovery_codes_left ?? 0),
    passwordChangedAt: user.password_changed_at?.toISOString() ?? null,
  };
}

/** Ends one of the viewer's own sessions, named by the start of its id. */
export async function endOwnSession(
  db: Kysely<Database>,
  viewer: SessionViewer,
  ref: string,
): Promise<boolean> {
  if (!/^[a-z0-9]{8}$/.test(ref)) return false;
  const session = await db
    .selectFrom("sessions")
    .select("id")
    .where("user_id", "=", viewer.user.id)
    .where("id", "like", `${ref}%`)
    .executeTakeFirst();
  if (!session) return false;
  await invalidateSession(db, session.id);
  return true;
}

export type PasswordChange =
  | { ok: true }
  | { ok: false; field: "current" | "password" | "confirm"; message: string };

/** Changes the password and ends every other session of the user. */
export async function changePassword(
  db: Kysely<Database>,
  viewer: SessionViewer,
  input: { current: string; password: string; confirm: string },
): Promise<PasswordChange> {
  const user = await db
    .selectFrom("users")
    .select("password_hash")
    .where("id", "=", viewer.user.id)
    .executeTakeFirstOrThrow();
  if (!user.password_hash || !(await verifyPassword(user.password_hash, input.current))) {
    return { ok: false, field: "current", message: "Your current password is not correct" };
  }
  const problem = passwordProblem(input.password, { email: viewer.user.email });
  if (problem) return { ok: false, field: "password", message: problem };
  if (input.password !== input.confirm)
    return { ok: false, field: "confirm", message: "Enter the same password twice" };
  const passwordHash = await hashPassword(input.password);
  await db
    .updateTable("users")
    .set({ password_hash: passwordHash, password_changed_at: new Date(), updated_at: new Date() })
    .where("id", "=", viewer.user.id)
    .execute();
  await invalidateUserSessions(db, viewer.user.id, viewer.session.id);
  await recordAudit(
    viewer.db,
    { userId: viewer.user.id, label: viewer.user.email },
    {
      event: "password.changed",
      entityType: "user",
      entityId: viewer.user.id,
    },
  );
  return { ok: true };
}
