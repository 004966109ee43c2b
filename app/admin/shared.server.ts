import type { AuditActor } from "../audit/audit.server";
import { clientAddress } from "../auth/sign-in.server";
import type { Viewer } from "../auth/viewer.server";

/* Small pieces the admin domain modules share. */

/** Either the change was made, or the messages to show beside the fields. */
export type Outcome<T, F extends string> =
  | ({ ok: true } & T)
  | { ok: false; notFound?: false; fieldErrors: Partial<Record<F, string[]>> }
  | { ok: false; notFound: true };

/** Who made a change, for the audit trail. */
export function actorFor(viewer: Viewer, request: Request): AuditActor {
  return { userId: viewer.user.id, label: viewer.user.email, ip: clientAddress(request) };
}

/**
 * `text` made safe inside a LIKE/ILIKE pattern (backslash is PostgreSQL's default escape).
 * (A NUL character, which PostgreSQL refuses, is removed from every parameter by
 * db/text-parameters.ts.)
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The constraint a unique violation broke (PostgreSQL error 23505), on either engine. */
export function uniqueViolation(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code !== "23505") return null;
  return typeof constraint === "string" ? constraint : "";
}

/** Only the fields whose value changed, as [before, after]. */
export function changedFields<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    const from = before[key] ?? null;
    const to = after[key] ?? null;
    if (from !== to) changes[key] = [from, to];
  }
  return changes;
}
