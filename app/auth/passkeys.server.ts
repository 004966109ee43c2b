import {
  decodePKIXECDSASignature,
  decodeSEC1PublicKey,
  ECDSAPublicKey,
  p256,
  verifyECDSASignature,
} from "@oslojs/crypto/ecdsa";
import {
  decodePKCS1RSAPublicKey,
  RSAPublicKey,
  sha256ObjectIdentifier,
  verifyRSASSAPKCS1v15Signature,
} from "@oslojs/crypto/rsa";
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import {
  type AuthenticatorData,
  ClientDataType,
  COSEKeyType,
  type COSEPublicKey,
  coseAlgorithmES256,
  coseAlgorithmRS256,
  coseEllipticCurveP256,
  createAssertionSignatureMessage,
  parseAttestationObject,
  parseAuthenticatorData,
  parseClientDataJSON,
} from "@oslojs/webauthn";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "../../db/schema";
import { scopeToWorkspace } from "../../db/tenancy";
import { type AuditEvent, recordAuditIn } from "../audit/audit.server";
import { invalidateUserSessions, markTwoFactorVerified } from "./sessions.server";
import { type CreationOptionsJSON, fromBase64url, type RequestOptionsJSON, toBase64url } from "./webauthn";

/*
 * Passkeys (WebAuthn) as a phishing-resistant second factor, checked by hand with
 * @oslojs/webauthn for parsing and @oslojs/crypto for signatures, as the Oslo guide teaches.
 *
 * - Each ceremony gets a fresh challenge of 32 random bytes. The database keeps only its
 *   SHA-256 hash in one_time_tokens (purpose "webauthn_challenge"), bound to the user, the
 *   session and the ceremony, for 5 minutes; the first response that names it spends it,
 *   whether or not that response passes, so a challenge is never accepted twice.
 * - The relying party is APP_URL's host (set it in production), else the request's host;
 *   the browser's origin must equal APP_URL's origin (else the request's).
 * - Registration and sign-in both check the client data type, challenge and origin, the
 *   relying party id hash, and that the user was present and verified (PIN, fingerprint or
 *   face); sign-in also checks the signature and the signature counter.
 * - Keys: ES256 (ECDSA on P-256, stored SEC1-encoded) and RS256 (RSASSA-PKCS1-v1_5 with
 *   SHA-256, stored as a PKCS#1 RSAPublicKey). Nothing else is offered or accepted.
 * - We ask for no attestation ("none") and decide nothing on an authenticator's make or
 *   model, so an attestation statement a client sends anyway is not relied on: the
 *   credential is treated exactly like a "none" one.
 *
 * A passkey counts as the second factor: using one marks the session two-factor verified.
 */

export const CHALLENGE_TTL_MS = 5 * 60_000;
const NAME_MAX = 60;
const MAX_CREDENTIAL_ID_BYTES = 1023;
const MIN_RSA_BITS = 2048;

// ── The relying party ──────────────────────────────────────────────────────────────────

export interface RelyingParty {
  /** The domain passkeys are bound to (no scheme, no port). */
  id: string;
  name: string;
  /** The only origin a browser response may come from, e.g. "https://boardledger.example". */
  origin: string;
}

export function relyingPartyFor(request: Request): RelyingParty {
  const configured = process.env.APP_URL;
  const url = new URL(configured || request.url);
  if (!configured && request.headers.get("X-Forwarded-Proto")?.split(",")[0]?.trim() === "https") {
    // Behind a TLS-terminating proxy (Fly) the app itself sees plain HTTP.
    url.protocol = "https:";
  }
  return { id: url.hostname, name: "Boardledger", origin: url.origin };
}

// ── Challenges ─────────────────────────────────────────────────────────────────────────

type Ceremony = "registration" | "authentication";

function hashChallenge(challenge: Uint8Array): string {
  return encodeHexLowerCase(sha256(challenge));
}

async function issueChallenge(
  db: Kysely<Database>,
  input: { userId: number; sessionId: string; ceremony: Ceremony },
  now: Date,
): Promise<Uint8Array> {
  const challenge = crypto.getRandomValues(new Uint8Array(32));
  // Tidy up this user's spent and expired challenges while we are here.
  await db
    .deleteFrom("one_time_tokens")
    .where("purpose", "=", "webauthn_challenge")
    .where("user_id", "=", input.userId)
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("used_at", "is not", null)]))
    .execute();
  await db
    .insertInto("one_time_tokens")
    .values({
      token_hash: hashChallenge(challenge),
      purpose: "webauthn_challenge",
      user_id: input.userId,
      payload: JSON.stringify({ ceremony: input.ceremony, sessionId: input.sessionId }),
      expires_at: new Date(now.getTime() + CHALLENGE_TTL_MS),
      created_at: now,
    })
    .execute();
  return challenge;
}

/** Spends the challenge (single use); true when it was live and issued for this very ceremony. */
async function consumeChallenge(
  db: Kysely<Database>,
  input: { challenge: Uint8Array; userId: number; sessionId: string; ceremony: Ceremony },
  now: Date,
): Promise<boolean> {
  const row = await db
    .updateTable("one_time_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", hashChallenge(input.challenge))
    .where("purpose", "=", "webauthn_challenge")
    .where("user_id", "=", input.userId)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning("payload")
    .executeTakeFirst();
  if (!row) return false;
  return row.payload.ceremony === input.ceremony && row.payload.sessionId === input.sessionId;
}

// ── Refusals ───────────────────────────────────────────────────────────────────────────

export type PasskeyRefusal =
  | "malformed"
  | "challenge"
  | "type"
  | "origin"
  | "rp"
  | "flags"
  | "algorithm"
  | "duplicate"
  | "unknown"
  | "signature"
  | "counter";

const REFUSAL_MESSAGES: Record<PasskeyRefusal, string> = {
  malformed: "Your browser sent a passkey response that could not be read. Try again",
  challenge: "The passkey request has expired or was already used. Try again",
  type: "Your passkey could not be checked. Try again",
  origin: "Your passkey was used from a different web address. Go to Boardledger's own address and try again",
  rp: "Your passkey belongs to a different website. Use a passkey made for Boardledger",
  flags:
    "Your passkey did not confirm it was you. Try again, and unlock it with your PIN, fingerprint or face when asked",
  algorithm:
    "This passkey uses a kind of key Boardledger does not accept. Try another device or security key",
  duplicate: "You have already added this passkey",
  unknown: "This passkey is not one you have added to your Boardledger account. Use another passkey",
  signature: "Your passkey could not be checked. Try again",
  counter:
    "This passkey could not be used because it may have been copied. Use another way to sign in, and tell your workspace admin",
};

export type PasskeyRefused = { kind: "refused"; reason: PasskeyRefusal; message: string };

function refuse(reason: PasskeyRefusal): PasskeyRefused {
  return { kind: "refused", reason, message: REFUSAL_MESSAGES[reason] };
}

// ── Responses from the browser ───────────────────────────────────────────────────────────

const base64url = z
  .string()
  .max(8192)
  .regex(/^[A-Za-z0-9_-]*$/);

const registrationResponseSchema = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal("public-key"),
  response: z.object({ clientDataJSON: base64url, attestationObject: base64url }),
});

const authenticationResponseSchema = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.nullable().optional(),
  }),
});

function parseJson<T>(schema: z.ZodType<T>, text: string): T | null {
  if (text.length > 32_768) return null;
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The opaque user handle given to authenticators: the user's id, no name or email. */
function userHandle(userId: number): Uint8Array {
  return new TextEncoder().encode(`u${userId}`);
}

// ── Keys and signatures ────────────────────────────────────────────────────────────────

function onP256(x: bigint, y: bigint): boolean {
  const { p, a, b } = p256;
  if (x < 0n || y < 0n || x >= p || y >= p) return false;
  return (y * y - (x * x * x + a * x + b)) % p === 0n;
}

/** The credential's public key in the form we store, or null for a key we do not accept. */
function storableKey(key: COSEPublicKey): { algorithm: number; encoded: Uint8Array } | null {
  try {
    const algorithm = key.algorithm();
    if (algorithm === coseAlgorithmES256 && key.type() === COSEKeyType.EC2) {
      const ec2 = key.ec2();
      if (ec2.curve !== coseEllipticCurveP256 || !onP256(ec2.x, ec2.y)) return null;
      return { algorithm, encoded: new ECDSAPublicKey(p256, ec2.x, ec2.y).encodeSEC1Uncompressed() };
    }
    if (algorithm === coseAlgorithmRS256 && key.type() === COSEKeyType.RSA) {
      const rsa = key.rsa();
      if (rsa.n.toString(2).length < MIN_RSA_BITS || rsa.e < 3n || rsa.e % 2n === 0n) return null;
      return { algorithm, encoded: new RSAPublicKey(rsa.n, rsa.e).encodePKCS1() };
    }
  } catch {
    return null;
  }
  return null;
}

/** Checks a signature over `message` with a stored key; false for anything malformed. */
export function verifyPasskeySignature(
  algorithm: number,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    const hash = sha256(message);
    if (algorithm === coseAlgorithmES256) {
      const key = decodeSEC1PublicKey(p256, publicKey);
      const sig = decodePKIXECDSASignature(signature);
      if (sig.r <= 0n || sig.s <= 0n || sig.r >= p256.n || sig.s >= p256.n) return false;
      return verifyECDSASignature(key, hash, sig);
    }
    if (algorithm === coseAlgorithmRS256) {
      return verifyRSASSAPKCS1v15Signature(
        decodePKCS1RSAPublicKey(publicKey),
        sha256ObjectIdentifier,
        hash,
        signature,
      );
    }
  } catch {
    return false;
  }
  return false;
}

function checkAuthenticator(data: AuthenticatorData, rp: RelyingParty): PasskeyRefused | null {
  if (!data.verifyRelyingPartyIdHash(rp.id)) return refuse("rp");
  if (!data.userPresent || !data.userVerified) return refuse("flags");
  return null;
}

// ── Audit ──────────────────────────────────────────────────────────────────────────────

/**
 * A passkey is the user's, not a workspace's: its events go to the audit trail of every
 * workspace the user belongs to (as sign-in events do), each through a scoped handle.
 */
async function auditForUser(db: Kysely<Database>, userId: number, ip: string | null, event: AuditEvent) {
  const user = await db.selectFrom("users").select("email").where("id", "=", userId).executeTakeFirst();
  const memberships = await db
    .selectFrom("workspace_users")
    .select("workspace_id")
    .where("user_id", "=", userId)
    .execute();
  for (const { workspace_id } of memberships) {
    await recordAuditIn(db, workspace_id, { userId, label: user?.email ?? `user ${userId}`, ip }, event);
  }
}

// ── Registration ───────────────────────────────────────────────────────────────────────

/** Options for `navigator.credentials.create`, with a fresh challenge. */
export async function registrationOptions(
  db: Kysely<Database>,
  input: { user: { id: number; email: string; name: string }; sessionId: string; rp: RelyingParty },
  now = new Date(),
): Promise<CreationOptionsJSON> {
  const challenge = await issueChallenge(
    db,
    { userId: input.user.id, sessionId: input.sessionId, ceremony: "registration" },
    now,
  );
  const existing = await db
    .selectFrom("passkeys")
    .select("id")
    .where("user_id", "=", input.user.id)
    .execute();
  return {
    challenge: toBase64url(challenge),
    rp: { id: input.rp.id, name: input.rp.name },
    user: {
      id: toBase64url(userHandle(input.user.id)),
      name: input.user.email,
      displayName: input.user.name,
    },
    pubKeyCredParams: [
      { type: "public-key", alg: coseAlgorithmES256 },
      { type: "public-key", alg: coseAlgorithmRS256 },
    ],
    timeout: CHALLENGE_TTL_MS,
    attestation: "none",
    authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
    // The browser refuses to make a second passkey on an authenticator that has one already.
    excludeCredentials: existing.map((p) => ({ type: "public-key", id: toBase64url(p.id) })),
  };
}

export type RegistrationResult =
  | { kind: "added"; passkey: { ref: string; name: string }; firstSecondFactor: boolean }
  | PasskeyRefused;

/**
 * Checks the browser's answer to `navigator.credentials.create` and stores the passkey.
 * The current session counts as two-factor verified afterwards (the user just proved the
 * passkey, as enabling TOTP does); adding a first second factor ends the user's other
 * sessions, which were signed in with one factor only.
 */
export async function registerPasskey(
  db: Kysely<Database>,
  input: {
    userId: number;
    sessionId: string;
    rp: RelyingParty;
    name: string;
    response: string;
    ip?: string | null;
  },
  now = new Date(),
): Promise<RegistrationResult> {
  const json = parseJson(registrationResponseSchema, input.response);
  if (!json) return refuse("malformed");
  let clientDataJSON: Uint8Array;
  let rawId: Uint8Array;
  let clientData: ReturnType<typeof parseClientDataJSON>;
  let attestation: ReturnType<typeof parseAttestationObject>;
  try {
    clientDataJSON = fromBase64url(json.response.clientDataJSON);
    rawId = fromBase64url(json.rawId);
    clientData = parseClientDataJSON(clientDataJSON);
    attestation = parseAttestationObject(fromBase64url(json.response.attestationObject));
  } catch {
    return refuse("malformed");
  }
  // Spent now, whatever happens next.
  const live = await consumeChallenge(
    db,
    {
      challenge: clientData.challenge,
      userId: input.userId,
      sessionId: input.sessionId,
      ceremony: "registration",
    },
    now,
  );
  if (clientData.type !== ClientDataType.Create) return refuse("type");
  if (!live) return refuse("challenge");
  if (clientData.origin !== input.rp.origin || clientData.crossOrigin) return refuse("origin");
  const authenticator = attestation.authenticatorData;
  const problem = checkAuthenticator(authenticator, input.rp);
  if (problem) return problem;
  const credential = authenticator.credential;
  if (
    !credential ||
    credential.id.byteLength < 16 ||
    credential.id.byteLength > MAX_CREDENTIAL_ID_BYTES ||
    !equalBytes(credential.id, rawId) ||
    json.id !== json.rawId
  ) {
    return refuse("malformed");
  }
  const key = storableKey(credential.publicKey);
  if (!key) return refuse("algorithm");

  const factors = await secondFactorsOf(db, input.userId);
  const name = input.name.trim().slice(0, NAME_MAX) || "Passkey";
  const inserted = await db
    .insertInto("passkeys")
    .values({
      id: credential.id,
      user_id: input.userId,
      name,
      public_key: key.encoded,
      algorithm: key.algorithm,
      sign_count: authenticator.signatureCounter,
      created_at: now,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return refuse("duplicate");

  const firstSecondFactor = factors.totp === false && factors.passkeys === 0;
  await markTwoFactorVerified(db, input.sessionId);
  if (firstSecondFactor) await invalidateUserSessions(db, input.userId, input.sessionId);
  const ref = toBase64url(credential.id);
  await auditForUser(db, input.userId, input.ip ?? null, {
    event: "passkey.added",
    entityType: "passkey",
    entityId: ref.slice(0, 16),
    changes: { name, algorithm: key.algorithm === coseAlgorithmES256 ? "ES256" : "RS256" },
  });
  return { kind: "added", passkey: { ref, name }, firstSecondFactor };
}

// ── Authentication (the second step of sign-in) ─────────────────────────────────────────

/** Options for `navigator.credentials.get`: this user's passkeys, with a fresh challenge. */
export async function authenticationOptions(
  db: Kysely<Database>,
  input: { userId: number; sessionId: string; rp: RelyingParty },
  now = new Date(),
): Promise<RequestOptionsJSON> {
  const challenge = await issueChallenge(
    db,
    { userId: input.userId, sessionId: input.sessionId, ceremony: "authentication" },
    now,
  );
  const passkeys = await db.selectFrom("passkeys").select("id").where("user_id", "=", input.userId).execute();
  return {
    challenge: toBase64url(challenge),
    rpId: input.rp.id,
    timeout: CHALLENGE_TTL_MS,
    userVerification: "required",
    allowCredentials: passkeys.map((p) => ({ type: "public-key", id: toBase64url(p.id) })),
  };
}

export type AuthenticationResult =
  | { kind: "verified"; passkey: { ref: string; name: string } }
  | PasskeyRefused;

/**
 * Checks the browser's answer to `navigator.credentials.get` for the signed-in-with-password
 * user; on success the session is marked two-factor verified. Both outcomes are audited.
 */
export async function authenticateWithPasskey(
  db: Kysely<Database>,
  input: { userId: number; sessionId: string; rp: RelyingParty; response: string; ip?: string | null },
  now = new Date(),
): Promise<AuthenticationResult> {
  const result = await checkAssertion(db, input, now);
  await auditForUser(db, input.userId, input.ip ?? null, {
    event: result.kind === "verified" ? "sign_in.passkey" : "sign_in.passkey_refused",
    entityType: "user",
    entityId: input.userId,
    changes: result.kind === "verified" ? { passkey: result.passkey.name } : { reason: result.reason },
  });
  if (result.kind === "verified") await markTwoFactorVerified(db, input.sessionId);
  return result;
}

async function checkAssertion(
  db: Kysely<Database>,
  input: { userId: number; sessionId: string; rp: RelyingParty; response: string },
  now: Date,
): Promise<AuthenticationResult> {
  const json = parseJson(authenticationResponseSchema, input.response);
  if (!json || json.id !== json.rawId) return refuse("malformed");
  let clientDataJSON: Uint8Array;
  let authenticatorDataBytes: Uint8Array;
  let signature: Uint8Array;
  let rawId: Uint8Array;
  let clientData: ReturnType<typeof parseClientDataJSON>;
  let authenticator: AuthenticatorData;
  try {
    clientDataJSON = fromBase64url(json.response.clientDataJSON);
    authenticatorDataBytes = fromBase64url(json.response.authenticatorData);
    signature = fromBase64url(json.response.signature);
    rawId = fromBase64url(json.rawId);
    clientData = parseClientDataJSON(clientDataJSON);
    authenticator = parseAuthenticatorData(authenticatorDataBytes);
  } catch {
    return refuse("malformed");
  }
  const live = await consumeChallenge(
    db,
    {
      challenge: clientData.challenge,
      userId: input.userId,
      sessionId: input.sessionId,
      ceremony: "authentication",
    },
    now,
  );
  if (clientData.type !== ClientDataType.Get) return refuse("type");
  if (!live) return refuse("challenge");
  if (clientData.origin !== input.rp.origin || clientData.crossOrigin) return refuse("origin");

  // Only a passkey of this very user will do.
  const passkey = await db
    .selectFrom("passkeys")
    .select(["id", "name", "public_key", "algorithm", "sign_count"])
    .where("id", "=", rawId)
    .where("user_id", "=", input.userId)
    .executeTakeFirst();
  if (!passkey) return refuse("unknown");
  const handle = json.response.userHandle;
  if (handle && !equalBytes(fromBase64url(handle), userHandle(input.userId))) return refuse("unknown");

  const problem = checkAuthenticator(authenticator, input.rp);
  if (problem) return problem;
  const message = createAssertionSignatureMessage(authenticatorDataBytes, clientDataJSON);
  if (!verifyPasskeySignature(passkey.algorithm, new Uint8Array(passkey.public_key), message, signature)) {
    return refuse("signature");
  }

  // The signature counter must move forward, unless the authenticator keeps none (always 0).
  const stored = Number(passkey.sign_count);
  const next = authenticator.signatureCounter;
  const counting = stored !== 0 || next !== 0;
  if (counting && next <= stored) return refuse("counter");
  const updated = await db
    .updateTable("passkeys")
    .set({ sign_count: next, last_used_at: now })
    .where("id", "=", rawId)
    .where("user_id", "=", input.userId)
    // Two uses racing with the same counter: only one wins.
    .where("sign_count", "=", stored)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return refuse("counter");
  return { kind: "verified", passkey: { ref: toBase64url(rawId), name: passkey.name } };
}

// ── Managing one's passkeys ────────────────────────────────────────────────────────────

export interface PasskeySummary {
  /** The credential id, base64url: how pages name a passkey. */
  ref: string;
  name: string;
  algorithm: "ES256" | "RS256";
  createdAt: string;
  lastUsedAt: string | null;
}

export async function listPasskeys(db: Kysely<Database>, userId: number): Promise<PasskeySummary[]> {
  const rows = await db
    .selectFrom("passkeys")
    .select(["id", "name", "algorithm", "created_at", "last_used_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .execute();
  return rows.map((r) => ({
    ref: toBase64url(r.id),
    name: r.name,
    algorithm: r.algorithm === coseAlgorithmRS256 ? "RS256" : "ES256",
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  }));
}

export async function countPasskeys(db: Kysely<Database>, userId: number): Promise<number> {
  const row = await db
    .selectFrom("passkeys")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function credentialIdFrom(ref: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]{1,1400}$/.test(ref)) return null;
  try {
    return fromBase64url(ref);
  } catch {
    return null;
  }
}

async function secondFactorsOf(
  db: Kysely<Database>,
  userId: number,
): Promise<{ totp: boolean; passkeys: number }> {
  const user = await db.selectFrom("users").select("totp_key").where("id", "=", userId).executeTakeFirst();
  return { totp: Boolean(user?.totp_key), passkeys: await countPasskeys(db, userId) };
}

/**
 * The workspaces whose policy makes two-factor sign-in compulsory for this user (the
 * workspace requires it of admins and leaders, and the user is one there).
 */
export async function workspacesRequiringTwoFactor(db: Kysely<Database>, userId: number): Promise<string[]> {
  const strict = await db
    .selectFrom("workspace_users")
    .innerJoin("workspaces", "workspaces.id", "workspace_users.workspace_id")
    .select(["workspaces.id", "workspaces.name"])
    .where("workspace_users.user_id", "=", userId)
    .where("workspaces.require_two_factor_for_privileged", "=", true)
    .orderBy("workspaces.name")
    .execute();
  const names: string[] = [];
  for (const workspace of strict) {
    const grant = await scopeToWorkspace(db, workspace.id)
      .selectFrom("role_grants")
      .select("id")
      .where("user_id", "=", userId)
      .where("role", "in", ["admin", "leader"])
      .executeTakeFirst();
    if (grant) names.push(workspace.name);
  }
  return names;
}

export type PasskeyChange = { ok: true; name: string } | { ok: false; message: string };

export async function renamePasskey(
  db: Kysely<Database>,
  input: { userId: number; ref: string; name: string; ip?: string | null },
): Promise<PasskeyChange> {
  const id = credentialIdFrom(input.ref);
  const name = input.name.trim().slice(0, NAME_MAX);
  if (!id || !name) return { ok: false, message: "That passkey could not be found" };
  const before = await db
    .selectFrom("passkeys")
    .select("name")
    .where("id", "=", id)
    .where("user_id", "=", input.userId)
    .executeTakeFirst();
  if (!before) return { ok: false, message: "That passkey could not be found" };
  await db
    .updateTable("passkeys")
    .set({ name })
    .where("id", "=", id)
    .where("user_id", "=", input.userId)
    .execute();
  await auditForUser(db, input.userId, input.ip ?? null, {
    event: "passkey.renamed",
    entityType: "passkey",
    entityId: input.ref.slice(0, 16),
    changes: { name: { from: before.name, to: name } },
  });
  return { ok: true, name };
}

/**
 * Removes one of the user's passkeys, unless it is their last second factor and a
 * workspace they are an admin or leader of requires one.
 */
export async function removePasskey(
  db: Kysely<Database>,
  input: { userId: number; ref: string; ip?: string | null },
): Promise<PasskeyChange> {
  const id = credentialIdFrom(input.ref);
  if (!id) return { ok: false, message: "That passkey could not be found" };
  const passkey = await db
    .selectFrom("passkeys")
    .select("name")
    .where("id", "=", id)
    .where("user_id", "=", input.userId)
    .executeTakeFirst();
  if (!passkey) return { ok: false, message: "That passkey could not be found" };

  const factors = await secondFactorsOf(db, input.userId);
  if (!factors.totp && factors.passkeys <= 1) {
    const requiring = await workspacesRequiringTwoFactor(db, input.userId);
    if (requiring.length > 0) {
      return {
        ok: false,
        message: `You cannot remove your only passkey: ${listOf(requiring)} requires two-factor sign-in for admins and leaders. Add another passkey or an authenticator app first`,
      };
    }
  }
  await db.deleteFrom("passkeys").where("id", "=", id).where("user_id", "=", input.userId).execute();
  await auditForUser(db, input.userId, input.ip ?? null, {
    event: "passkey.removed",
    entityType: "passkey",
    entityId: input.ref.slice(0, 16),
    changes: { name: passkey.name },
  });
  return { ok: true, name: passkey.name };
}

function listOf(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
