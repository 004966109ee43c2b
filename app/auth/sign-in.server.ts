import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { recordAuditIn } from "../audit/audit.server";
import { decoyHash, verifyPassword } from "./passwords.server";
import { createSession } from "./sessions.server";

/*
 * Email and password sign-in with throttling kept in the database, so it holds across
 * several app instances. After too many failures for one account or one address in the
 * window, every attempt is refused with "try again in N minutes", the same words whether
 * or not the account exists, and without checking the password (so guessing stops).
 */

export const THROTTLE = {
  windowMinutes: 15,
  perAccount: 5,
  perAddress: 20,
} as const;

export type SignInResult =
  | { kind: "signed-in"; token: string; expiresAt: Date; userId: number; twoFactorPending: boolean }
  | { kind: "refused"; message: string }
  | { kind: "throttled"; message: string; retryAfterMinutes: number };

export const REFUSED_MESSAGE = "Enter a correct email address and password";

/** The client's address: Fly's proxy sets Fly-Client-IP; behind other proxies, the first X-Forwarded-For. */
export function clientAddress(request: Request): string {
  return (
    request.headers.get("Fly-Client-IP") ??
    request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim() ??
    request.headers.get("X-Real-IP") ??
    "unknown"
  );
}

async function throttledFor(
  db: Kysely<Database>,
  email: string,
  ip: string,
  now: Date,
): Promise<number | null> {
  const since = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
  const failures = async (column: "email" | "ip", value: string) =>
    db
      .selectFrom("sign_in_attempts")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("attempted_at").as("oldest")])
      .where(column, "=", value)
      .where("succeeded", "=", false)
      .where("attempted_at", ">", since)
      .executeTakeFirstOrThrow();
  const [byAccount, byAddress] = await Promise.all([failures("email", email), failures("ip", ip)]);
  const blocking = [
    Number(byAccount.n) >= THROTTLE.perAccount ? byAccount.oldest : null,
    Number(byAddress.n) >= THROTTLE.perAddress ? byAddress.oldest : null,
  ].filter((d): d is Date => d instanceof Date);
  if (blocking.length === 0) return null;
  // Blocked until the oldest failure in the window falls out of it.
  const until = Math.max(...blocking.map((d) => d.getTime() + THROTTLE.windowMinutes * 60_000));
  return Math.max(1, Math.ceil((until - now.getTime()) / 60_000));
}

export async function signIn(
  db: Kysely<Database>,
  input: { email: string; password: string; ip: string; userAgent?: string },
  now = new Date(),
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const retryAfterMinutes = await throttledFor(db, email, input.ip, now);
  if (retryAfterMinutes !== null) {
    return {
      kind: "throttled",
      retryAfterMinutes,
      message: `Too many attempts to sign in. Try again in ${retryAfterMinutes} minute${retryAfterMinutes === 1 ? "" : "s"}`,
    };
  }

  const user = await db
    .selectFrom("users")
    .select(["id", "password_hash", "disabled_at", "totp_key"])
    .select((eb) =>
      eb
        .selectFrom("passkeys")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("passkeys.user_id", "=", "users.id")
        .as("passkeys"),
    )
    .where("email", "=", email)
    .executeTakeFirst();
  // Verify against a decoy when there is no usable account, so the time taken does not tell.
  const valid = await verifyPassword(user?.password_hash ?? (await decoyHash()), input.password);
  const succeeded = Boolean(user?.password_hash && valid && !user.disabled_at);

  await db
    .insertInto("sign_in_attempts")
    .values({ email: email.slice(0, 320), ip: input.ip.slice(0, 100), succeeded, attempted_at: now })
    .execute();

  const memberships = user
    ? await db.selectFrom("workspace_users").select("workspace_id").where("user_id", "=", user.id).execute()
    : [];
  for (const { workspace_id } of memberships) {
    await recordAuditIn(
      db,
      workspace_id,
      { userId: user?.id ?? null, label: email, ip: input.ip },
      {
        event: succeeded ? "sign_in.succeeded" : "sign_in.failed",
        entityType: "user",
        entityId: user?.id ?? null,
      },
    );
  }

  if (!succeeded || !user) return { kind: "refused", message: REFUSED_MESSAGE };

  const twoFactorEnrolled = user.totp_key !== null || Number(user.passkeys ?? 0) > 0;
  const { token, session } = await createSession(
    db,
    {
      userId: user.id,
      workspaceId: memberships[0]?.workspace_id ?? null,
      twoFactorVerified: false,
      userAgent: input.userAgent,
      ip: input.ip,
    },
    now,
  );
  return {
    kind: "signed-in",
    token,
    expiresAt: session.expiresAt,
    userId: user.id,
    twoFactorPending: twoFactorEnrolled,
  };
}

/** Clears old attempts (called by the housekeeping job). */
export async function pruneSignInAttempts(db: Kysely<Database>, now = new Date()): Promise<void> {
  await db
    .deleteFrom("sign_in_attempts")
    .where("attempted_at", "<", new Date(now.getTime() - 24 * 60 * 60_000))
    .execute();
}
