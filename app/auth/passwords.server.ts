import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";

/*
 * Passwords (NCSC / NIST SP 800-63B): at least 8 characters (15 suggested), up to 256
 * allowed, no composition rules, and the most common passwords refused. Hashed with
 * argon2id at OWASP's parameters (19 MiB, 2 iterations, 1 lane).
 */

export const MIN_PASSWORD_LENGTH = 8;
export const SUGGESTED_PASSWORD_LENGTH = 15;
export const MAX_PASSWORD_LENGTH = 256;

const ARGON2ID = 2;
const OWASP = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// The zxcvbn-ts common-password list (~49,000 entries from real breaches), kept current by its maintainers.
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return common;
}

/** Why a new password is refused, in words for the form, or null if it is acceptable. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return `Enter a password of at least ${MIN_PASSWORD_LENGTH} characters (${SUGGESTED_PASSWORD_LENGTH} or more is better)`;
  }
  if (length > MAX_PASSWORD_LENGTH) return `Enter a password of ${MAX_PASSWORD_LENGTH} characters or fewer`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) {
    return "This password is one of the most common and easy to guess. Choose a different one";
  }
  const localPart = context.email?.split("@")[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lower.includes(localPart)) {
    return "Your password must not contain your email address";
  }
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OWASP);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword("boardledger-decoy-password-never-matches");
  return decoy;
}
