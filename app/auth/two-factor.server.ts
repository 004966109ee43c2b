import { sha256 } from "@oslojs/crypto/sha2";
import {
  decodeBase32IgnorePadding,
  encodeBase32UpperCaseNoPadding,
  encodeHexLowerCase,
} from "@oslojs/encoding";
import { createTOTPKeyURI, verifyTOTPWithGracePeriod } from "@oslojs/otp";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { invalidateUserSessions, markTwoFactorVerified } from "./sessions.server";

/*
 * Two-factor sign-in with TOTP (RFC 6238: 30-second steps, 6 digits, one step of grace
 * for clock drift) and single-use recovery codes, of which only hashes are kept.
 * Guesses are throttled like passwords: five wrong codes in 15 minutes lock the second step.
 */

const STEP_SECONDS = 30;
const DIGITS = 6;
const RECOVERY_CODE_COUNT = 10;
const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;

export function newTotpKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(20));
}

/** The key as people type it into an authenticator app, in groups of four. */
export function displayKey(key: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(key)
    .replace(/(.{4})/g, "$1 ")
    .trim();
}

export function parseDisplayedKey(value: string): Uint8Array | null {
  try {
    const key = decodeBase32IgnorePadding(value.replace(/\s+/g, "").toUpperCase());
    return key.length === 20 ? key : null;
  } catch {
    return null;
  }
}

export function totpUri(key: Uint8Array, email: string): string {
  return createTOTPKeyURI("Boardledger", email, key, STEP_SECONDS, DIGITS);
}

export function verifyTotp(key: Uint8Array, code: string): boolean {
  const digits = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(digits)) return false;
  return verifyTOTPWithGracePeriod(key, STEP_SECONDS, DIGITS, digits, STEP_SECONDS);
}

function hashCode(code: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(code.replace(/[\s-]+/g, "").toLowerCase())));
}

function newRecoveryCode(): string {
  const raw = encodeBase32UpperCaseNoPadding(crypto.getRandomValues(new Uint8Array(8)))
    .slice(0, 10)
    .toLowerCase();
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** Turns TOTP on for a user and returns fresh recovery codes, shown once. */
export async function enableTotp(
  db: Kysely<Database>,
  userId: number,
  key: Uint8Array,
  currentSessionId: string,
): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ totp_key: key, updated_at: new Date() })
      .where("id", "=", userId)
      .execute();
    await trx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
    await trx
      .insertInto("recovery_codes")
      .values(codes.map((code) => ({ user_id: userId, code_hash: hashCode(code) })))
      .execute();
  });
  await markTwoFactorVerified(db, currentSessionId);
  // Other sessions were signed in with one factor only.
  await invalidateUserSessions(db, userId, currentSessionId);
  return codes;
}

export async function disableTotp(db: Kysely<Database>, userId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ totp_key: null, updated_at: new Date() })
      .where("id", "=", userId)
      .execute();
    await trx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  });
}

export type SecondStepResult =
  | { kind: "verified"; usedRecoveryCode: boolean }
  | { kind: "refused"; message: string };

/** Checks a TOTP or recovery code for the second step of sign-in. */
export async function verifySecondStep(
  db: Kysely<Database>,
  input: { userId: number; sessionId: string; code: string; ip: string },
  now = new Date(),
): Promise<SecondStepResult> {
  const throttleKey = `two-factor:${input.userId}`;
  const failures = await db
    .selectFrom("sign_in_attempts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("email", "=", throttleKey)
    .where("succeeded", "=", false)
    .where("attempted_at", ">", new Date(now.getTime() - WINDOW_MS))
    .executeTakeFirstOrThrow();
  if (Number(failures.n) >= MAX_FAILURES) {
    return { kind: "refused", message: "Too many wrong codes. Try again in 15 minutes" };
  }

  const user = await db
    .selectFrom("users")
    .select("totp_key")
    .where("id", "=", input.userId)
    .executeTakeFirstOrThrow();
  let usedRecoveryCode = false;
  let ok = user.totp_key !== null && verifyTotp(new Uint8Array(user.totp_key), input.code);
  if (!ok) {
    const used = await db
      .updateTable("recovery_codes")
      .set({ used_at: now })
      .where("user_id", "=", input.userId)
      .where("code_hash", "=", hashCode(input.code))
      .where("used_at", "is", null)
      .executeTakeFirst();
    ok = Number(used.numUpdatedRows) === 1;
    usedRecoveryCode = ok;
  }
  await db
    .insertInto("sign_in_attempts")
    .values({ email: throttleKey, ip: input.ip.slice(0, 100), succeeded: ok, attempted_at: now })
    .execute();
  if (!ok)
    return {
      kind: "refused",
      message: "Enter a correct code from your authenticator app, or a recovery code",
    };
  await markTwoFactorVerified(db, input.sessionId);
  return { kind: "verified", usedRecoveryCode };
}

export async function remainingRecoveryCodes(db: Kysely<Database>, userId: number): Promise<number> {
  const row = await db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
