import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

/*
 * Single-use link tokens (invitations, password resets). The link carries a random secret
 * of 256 bits; the database keeps only its SHA-256 hash (hex), so a leaked table cannot be
 * turned back into working links. Lookups are by the hash, which an attacker cannot steer,
 * so an indexed equality match leaks nothing useful through timing.
 */

/** 32 random bytes as 52 lower-case base32 characters (URL-safe, no padding). */
export function randomToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export const TOKEN_PATTERN = /^[a-z2-7]{52}$/;

export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
