import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { decodeHex } from "@oslojs/encoding";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { type AuditActor, recordAudit } from "../audit/audit.server";
import type { ApiTokenInput, ApiTokenScope } from "./api-token-schemas";
import { hashToken, randomToken } from "./tokens.server";
import { type Viewer, viewerInWorkspace } from "./viewer.server";

/*
 * Personal access tokens for the JSON API. A token is "blpat_" and 256 random bits (52
 * base32 characters): the prefix lets people, logs and secret scanners recognise one. It is
 * shown once, when it is made; the database keeps only its SHA-256 hash, so a leaked table
 * cannot be turned back into working tokens. A token belongs to one user in one workspace
 * and acts as that user there, through the same Viewer as the pages: it sees exactly what
 * its user sees, and a role taken away is taken from the token at once. Revoking one, or
 * disabling its user, stops it on the next request.
 */

export const API_TOKEN_PREFIX = "blpat_";
export const API_TOKEN_PATTERN = /^blpat_[a-z2-7]{52}$/;

/** last_used_at is written at most this often, to keep reads cheap. */
const TOUCH_EVERY_MS = 60_000;

export interface IssuedToken {
  id: number;
  /** The token itself: shown once, never stored. */
  token: string;
  expiresAt: Date;
}

/** Makes a token for a user of this workspace, with its audit event; pass the transaction. */
export async function issueApiToken(
  trx: WorkspaceDb,
  input: ApiTokenInput & { userId: number },
  actor: AuditActor,
  now = new Date(),
): Promise<IssuedToken> {
  const token = `${API_TOKEN_PREFIX}${randomToken()}`;
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 24 * 60 * 60_000);
  const row = await trx
    .insertInto("api_tokens")
    .values({
      workspace_id: workspaceIdOf(trx),
      user_id: input.userId,
      name: input.name,
      token_hash: hashToken(token),
      scope: input.scope,
      expires_at: expiresAt,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    event: "api_token.created",
    entityType: "api_token",
    entityId: row.id,
    changes: {
      name: input.name,
      scope: input.scope,
      expires_at: expiresAt.toISOString(),
      for_user: input.userId,
    },
  });
  return { id: Number(row.id), token, expiresAt };
}

function actorOf(viewer: Viewer, ip?: string | null): AuditActor {
  return { userId: viewer.user.id, label: viewer.user.email, ip: ip ?? null };
}

/** A token for the viewer themself, in their current workspace. */
export function createOwnApiToken(
  viewer: Viewer,
  input: ApiTokenInput,
  meta: { ip?: string | null; now?: Date } = {},
): Promise<IssuedToken> {
  return inTransaction(viewer.db, (trx) =>
    issueApiToken(trx, { ...input, userId: viewer.user.id }, actorOf(viewer, meta.ip), meta.now),
  );
}

export interface ApiTokenSummary {
  id: number;
  name: string;
  scope: ApiTokenScope;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  expired: boolean;
}

/** The viewer's tokens in this workspace that are not revoked, newest first (the expired ones too). */
export async function listOwnApiTokens(viewer: Viewer, now = new Date()): Promise<ApiTokenSummary[]> {
  const rows = await viewer.db
    .selectFrom("api_tokens")
    .select(["id", "name", "scope", "created_at", "expires_at", "last_used_at"])
    .where("user_id", "=", viewer.user.id)
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    name: row.name,
    scope: row.scope,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    expired: row.expires_at !== null && row.expires_at <= now,
  }));
}

/** Revokes one of the viewer's own tokens; false when they have no such live token. */
export async function revokeOwnApiToken(
  viewer: Viewer,
  tokenId: number,
  meta: { ip?: string | null; now?: Date } = {},
): Promise<boolean> {
  return inTransaction(viewer.db, async (trx) => {
    const revoked = await trx
      .updateTable("api_tokens")
      .set({ revoked_at: meta.now ?? new Date() })
      .where("id", "=", tokenId)
      .where("user_id", "=", viewer.user.id)
      .where("revoked_at", "is", null)
      .returning(["id", "name"])
      .executeTakeFirst();
    if (!revoked) return false;
    await recordAudit(trx, actorOf(viewer, meta.ip), {
      event: "api_token.revoked",
      entityType: "api_token",
      entityId: revoked.id,
      changes: { name: revoked.name },
    });
    return true;
  });
}

export type TokenAuthentication =
  | { ok: true; viewer: Viewer; token: { id: number; scope: ApiTokenScope; expiresAt: Date | null } }
  /** Why, for the server's own use; the client hears only that the token is not valid. */
  | { ok: false; reason: "malformed" | "unknown" | "revoked" | "expired" | "user" };

/**
 * The Viewer a bearer token acts as, or why it does not. Uses the raw handle: the token is
 * found by its hash before anyone knows its workspace.
 */
export async function authenticateApiToken(
  root: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<TokenAuthentication> {
  if (!API_TOKEN_PATTERN.test(token)) return { ok: false, reason: "malformed" };
  const hash = hashToken(token);
  const row = await root
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select([
      "t.id",
      "t.workspace_id",
      "t.token_hash",
      "t.scope",
      "t.expires_at",
      "t.revoked_at",
      "t.last_used_at",
      "u.id as user_id",
      "u.name",
      "u.email",
      "u.disabled_at",
    ])
    .where("t.token_hash", "=", hash)
    .executeTakeFirst();
  // Found by the hash (which an attacker cannot steer), then compared in constant time anyway.
  if (!row || !constantTimeEqual(decodeHex(row.token_hash), decodeHex(hash))) {
    return { ok: false, reason: "unknown" };
  }
  if (row.revoked_at !== null) return { ok: false, reason: "revoked" };
  if (row.expires_at !== null && row.expires_at <= now) return { ok: false, reason: "expired" };
  if (row.disabled_at !== null) return { ok: false, reason: "user" };

  const found = await viewerInWorkspace(
    root,
    { id: Number(row.user_id), name: row.name, email: row.email },
    Number(row.workspace_id),
    { exactly: true },
  );
  if (!found) return { ok: false, reason: "user" };

  if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() >= TOUCH_EVERY_MS) {
    await found.viewer.db
      .updateTable("api_tokens")
      .set({ last_used_at: now })
      .where("id", "=", row.id)
      .execute();
  }
  return {
    ok: true,
    viewer: found.viewer,
    token: { id: Number(row.id), scope: row.scope, expiresAt: row.expires_at },
  };
}
