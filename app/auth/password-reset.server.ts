import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { scopeToWorkspace } from "../../db/tenancy";
import { recordAudit } from "../audit/audit.server";
import { formatDateTime } from "../format";
import { sendMail } from "../mail/mailer.server";
import { hashPassword, passwordProblem } from "./passwords.server";
import { invalidateUserSessions } from "./sessions.server";
import { hashToken, randomToken, TOKEN_PATTERN } from "./tokens.server";

/*
 * Password reset by emailed link. Asking never reveals whether an account exists: the page
 * says the same thing either way. A link is a one_time_tokens row (purpose
 * "password_reset", only the SHA-256 hash of the token stored) that works once, for an
 * hour. At most RESET_EMAILS_PER_HOUR links go to one account in any hour, counted from the
 * tokens themselves, so a stranger cannot flood someone's inbox.
 *
 * Setting the new password ends every session of the user (a thief signed in elsewhere is
 * thrown out), voids any other reset link and is recorded in each of the user's workspaces.
 */

export const RESET_LIFETIME_MS = 60 * 60 * 1000;
export const RESET_EMAILS_PER_HOUR = 3;
export { INVALID_RESET_MESSAGE, RESET_REQUESTED_MESSAGE } from "./link-messages";

/** Emails a reset link if the address has a usable account and the hourly limit allows. */
export async function requestPasswordReset(
  root: Kysely<Database>,
  input: { email: string; baseUrl: string },
  now = new Date(),
): Promise<void> {
  const email = input.email.trim().toLowerCase();
  const token = randomToken();
  const sent = await root.transaction().execute(async (trx) => {
    // Locking the user row serialises concurrent requests, so the limit cannot be overrun.
    const user = await trx
      .selectFrom("users")
      .select(["id", "email"])
      .where("email", "=", email)
      .where("disabled_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!user) return null;
    const recent = await trx
      .selectFrom("one_time_tokens")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", user.id)
      .where("purpose", "=", "password_reset")
      .where("created_at", ">", new Date(now.getTime() - 60 * 60 * 1000))
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= RESET_EMAILS_PER_HOUR) return null;
    await trx
      .insertInto("one_time_tokens")
      .values({
        token_hash: hashToken(token),
        purpose: "password_reset",
        user_id: user.id,
        expires_at: new Date(now.getTime() + RESET_LIFETIME_MS),
        created_at: now,
      })
      .execute();
    return user;
  });
  if (!sent) return;

  await sendMail({
    to: sent.email,
    subject: "Reset your Boardledger password",
    text: [
      "Someone (we hope you) asked to reset the password of your Boardledger account.",
      "",
      "To choose a new password, open this link:",
      `${input.baseUrl}/reset-password/${token}`,
      "",
      `The link works once and expires on ${formatDateTime(new Date(now.getTime() + RESET_LIFETIME_MS))}.`,
      "Choosing a new password signs you out everywhere.",
      "If you did not ask for this, you can ignore this email: your password has not changed.",
    ].join("\n"),
  });
}

export type ResetView = { state: "valid"; email: string } | { state: "invalid" };

/** Whether a reset link still works, and for which address. */
export async function findPasswordReset(
  root: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<ResetView> {
  if (!TOKEN_PATTERN.test(token)) return { state: "invalid" };
  const row = await root
    .selectFrom("one_time_tokens")
    .innerJoin("users", "users.id", "one_time_tokens.user_id")
    .select("users.email")
    .where("one_time_tokens.token_hash", "=", hashToken(token))
    .where("one_time_tokens.purpose", "=", "password_reset")
    .where("one_time_tokens.used_at", "is", null)
    .where("one_time_tokens.expires_at", ">", now)
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
  return row ? { state: "valid", email: row.email } : { state: "invalid" };
}

export type ResetResult =
  | { ok: true; userId: number; sessionsEnded: number }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "field"; field: "password" | "confirm"; message: string };

/** Sets the new password, once: the link is used up in the same transaction. */
export async function resetPassword(
  root: Kysely<Database>,
  token: string,
  input: { password: string; confirm: string },
  meta: { ip?: string | null } = {},
  now = new Date(),
): Promise<ResetResult> {
  const view = await findPasswordReset(root, token, now);
  if (view.state === "invalid") return { ok: false, reason: "invalid" };
  const problem = passwordProblem(input.password, { email: view.email });
  if (problem) return { ok: false, reason: "field", field: "password", message: problem };
  if (input.password !== input.confirm) {
    return { ok: false, reason: "field", field: "confirm", message: "Enter the same password twice" };
  }
  const passwordHash = await hashPassword(input.password);

  try {
    return await root.transaction().execute(async (trx): Promise<ResetResult> => {
      // Claiming the token first makes the link single-use even when two requests race.
      const claimed = await trx
        .updateTable("one_time_tokens")
        .set({ used_at: now })
        .where("token_hash", "=", hashToken(token))
        .where("purpose", "=", "password_reset")
        .where("used_at", "is", null)
        .where("expires_at", ">", now)
        .returning("user_id")
        .executeTakeFirst();
      const userId = claimed?.user_id;
      if (!userId) return { ok: false, reason: "invalid" };
      const updated = await trx
        .updateTable("users")
        .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
        .where("id", "=", userId)
        .where("disabled_at", "is", null)
        .returning("email")
        .executeTakeFirst();
      // Disabled since the page was opened: roll back, so nothing changes.
      if (!updated) throw new DisabledMeanwhile();
      // Any other reset link sent to this account stops working too.
      await trx
        .updateTable("one_time_tokens")
        .set({ used_at: now })
        .where("user_id", "=", userId)
        .where("purpose", "=", "password_reset")
        .where("used_at", "is", null)
        .execute();
      const sessionsEnded = await invalidateUserSessions(trx, userId);

      const workspaces = await trx
        .selectFrom("workspace_users")
        .select("workspace_id")
        .where("user_id", "=", userId)
        .execute();
      for (const { workspace_id } of workspaces) {
        await recordAudit(
          scopeToWorkspace(trx, workspace_id),
          { userId, label: updated.email, ip: meta.ip },
          {
            event: "password.reset",
            entityType: "user",
            entityId: userId,
            changes: { sessions_ended: sessionsEnded },
          },
        );
      }
      return { ok: true, userId, sessionsEnded };
    });
  } catch (error) {
    if (error instanceof DisabledMeanwhile) return { ok: false, reason: "invalid" };
    throw error;
  }
}

class DisabledMeanwhile extends Error {}
