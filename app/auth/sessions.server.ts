import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";

/*
 * Sessions as Lucia's current guide teaches: the cookie carries "<id>.<secret>", both
 * random; the database keeps the id and a SHA-256 hash of the secret, compared in constant
 * time, so a leaked sessions table cannot be replayed as cookies.
 *
 * Two limits: an inactivity timeout (no request for INACTIVITY_MS ends the session) and an
 * absolute lifetime (expires_at, fixed at sign-in).
 */

export const INACTIVITY_MS = 2 * 60 * 60 * 1000;
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, to keep reads cheap. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface SessionRecord {
  id: string;
  userId: number;
  workspaceId: number | null;
  twoFactorVerified: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

function randomSecret(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export async function createSession(
  db: Kysely<Database>,
  input: {
    userId: number;
    workspaceId: number | null;
    twoFactorVerified: boolean;
    userAgent?: string;
    ip?: string;
  },
  now = new Date(),
): Promise<{ token: string; session: SessionRecord }> {
  const id = randomSecret();
  const secret = randomSecret();
  const expiresAt = new Date(now.getTime() + ABSOLUTE_LIFETIME_MS);
  await db
    .insertInto("sessions")
    .values({
      id,
      secret_hash: hashSecret(secret),
      user_id: input.userId,
      workspace_id: input.workspaceId,
      two_factor_verified: input.twoFactorVerified,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
      ip: input.ip ?? null,
    })
    .execute();
  return {
    token: `${id}.${secret}`,
    session: {
      id,
      userId: input.userId,
      workspaceId: input.workspaceId,
      twoFactorVerified: input.twoFactorVerified,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    },
  };
}

/** The live session a token names, or null (unknown, tampered, idle too long or expired). */
export async function validateSessionToken(
  db: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<SessionRecord | null> {
  const [id, secret, extra] = token.split(".");
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null;
  const row = await db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return null;
  if (!constantTimeEqual(hashSecret(secret), new Uint8Array(row.secret_hash))) return null;
  const idleSince = now.getTime() - row.last_seen_at.getTime();
  if (now >= row.expires_at || idleSince >= INACTIVITY_MS) {
    await db.deleteFrom("sessions").where("id", "=", id).execute();
    return null;
  }
  let lastSeenAt = row.last_seen_at;
  if (idleSince >= TOUCH_EVERY_MS) {
    lastSeenAt = now;
    await db.updateTable("sessions").set({ last_seen_at: now }).where("id", "=", id).execute();
  }
  return {
    id: row.id,
    userId: row.user_id,
    workspaceId: row.workspace_id,
    twoFactorVerified: row.two_factor_verified,
    createdAt: row.created_at,
    lastSeenAt,
    expiresAt: row.expires_at,
  };
}

export async function invalidateSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

/** Ends every session of a user (password change, account disabled, admin's "sign out everywhere"). */
export async function invalidateUserSessions(
  db: Kysely<Database>,
  userId: number,
  exceptSessionId?: string,
): Promise<number> {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (exceptSessionId) query = query.where("id", "<>", exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function markTwoFactorVerified(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.updateTable("sessions").set({ two_factor_verified: true }).where("id", "=", sessionId).execute();
}

export async function switchSessionWorkspace(
  db: Kysely<Database>,
  sessionId: string,
  workspaceId: number,
): Promise<void> {
  await db.updateTable("sessions").set({ workspace_id: workspaceId }).where("id", "=", sessionId).execute();
}

// ── The cookie ─────────────────────────────────────────────────────────────────────────

const secureCookies = () => process.env.NODE_ENV === "production";

export function sessionCookieName(): string {
  // __Host- binds the cookie to this exact host over HTTPS, with Path=/ and no Domain.
  return secureCookies() ? "__Host-boardledger_session" : "boardledger_session";
}

export function sessionCookie(token: string, expiresAt: Date): string {
  const parts = [
    `${sessionCookieName()}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
  ];
  if (secureCookies()) parts.push("Secure");
  return parts.join("; ");
}

export function clearedSessionCookie(): string {
  const parts = [`${sessionCookieName()}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (secureCookies()) parts.push("Secure");
  return parts.join("; ");
}

export function sessionTokenFrom(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  const name = sessionCookieName();
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=") || null;
  }
  return null;
}
