import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { scopeToWorkspace, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";

/*
 * The audit trail: append-only (the database refuses updates), one row per event: who did
 * what to which record, when, with the change. Never a password, token or
 * OFFICIAL-SENSITIVE text: callers pass only the fields that may be kept, and
 * `redact` strips anything whose name says it is a secret.
 */

export interface AuditActor {
  userId: number | null;
  label: string;
  ip?: string | null;
}

export interface AuditEvent {
  event: string;
  entityType: string;
  entityId?: string | number | null;
  changes?: Record<string, unknown>;
}

const SECRET_FIELD = /password|token|secret|hash|totp|recovery|code/i;

export function redact(changes: Record<string, unknown>): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    safe[key] = SECRET_FIELD.test(key) ? "[redacted]" : value;
  }
  return safe;
}

/** Records an event; pass the transaction so it is written with (and only with) the change. */
export async function recordAudit(db: WorkspaceDb, actor: AuditActor, event: AuditEvent): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      workspace_id: workspaceIdOf(db),
      actor_user_id: actor.userId,
      actor_label: actor.label,
      event: event.event,
      entity_type: event.entityType,
      entity_id: event.entityId === undefined || event.entityId === null ? null : String(event.entityId),
      changes: JSON.stringify(redact(event.changes ?? {})),
      ip: actor.ip ?? null,
    })
    .execute();
}

/** For sign-in events, which happen before a workspace handle exists. */
export async function recordAuditIn(
  db: Kysely<Database>,
  workspaceId: number,
  actor: AuditActor,
  event: AuditEvent,
): Promise<void> {
  await recordAudit(scopeToWorkspace(db, workspaceId), actor, event);
}

/** Deletes events older than the workspace's retention (a whole-row delete is allowed). */
export async function applyAuditRetention(
  db: WorkspaceDb,
  retentionDays: number,
  now = new Date(),
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000);
  const result = await db.deleteFrom("audit_events").where("occurred_at", "<", cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
