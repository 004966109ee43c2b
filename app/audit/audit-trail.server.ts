import { type ExpressionBuilder, type SelectQueryBuilder, sql } from "kysely";
import type { Database } from "../../db/schema";
import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { escapeLike } from "../admin/shared.server";
import { can, ensure } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { applyAuditRetention, recordAudit } from "./audit.server";
import { nextIsoDate, startOfLondonDay } from "./date-range";
import type { AuditFilter } from "./schemas";

/*
 * Reading the audit trail: filtered, newest first, a page at a time. Paging is by keyset
 * (occurred_at, id) rather than OFFSET, so every page is a short range scan of the
 * (workspace_id, occurred_at desc) index however far back it is. The cursor keeps
 * PostgreSQL's microseconds, which a JavaScript Date would lose.
 *
 * The export streams every matching event as CSV in batches, on the same keyset.
 */

export const AUDIT_PAGE_SIZE = 50;
const EXPORT_BATCH = 1_000;

export interface AuditRow {
  id: number;
  occurredAt: Date;
  /** Full-precision UTC time, ISO 8601. */
  occurredAtIso: string;
  actorUserId: number | null;
  actorLabel: string;
  actorName: string | null;
  event: string;
  entityType: string;
  entityId: string | null;
  changes: Record<string, unknown>;
  ip: string | null;
}

interface Cursor {
  at: string;
  id: number;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_(\d{1,15})$/;

export function parseCursor(value: string | null | undefined): Cursor | null {
  const match = value ? CURSOR.exec(value) : null;
  if (!match || Number.isNaN(Date.parse(match[1]!))) return null;
  return { at: match[1]!, id: Number(match[2]) };
}

function cursorOf(row: AuditRow): string {
  return `${row.occurredAtIso}_${row.id}`;
}

/** The filter as SQL. An event matches exactly or as a prefix ("role" finds role.granted). */
function applyFilter<O>(
  query: SelectQueryBuilder<Database, "audit_events", O>,
  filter: AuditFilter,
): SelectQueryBuilder<Database, "audit_events", O> {
  let q = query;
  if (filter.event) {
    const event = filter.event;
    q = q.where((eb) =>
      eb.or([
        eb("audit_events.event", "=", event),
        eb("audit_events.event", "like", `${escapeLike(event)}.%`),
      ]),
    );
  }
  if (filter.entityType) q = q.where("audit_events.entity_type", "=", filter.entityType);
  if (filter.actor) q = q.where("audit_events.actor_user_id", "=", filter.actor);
  if (filter.from) q = q.where("audit_events.occurred_at", ">=", startOfLondonDay(filter.from));
  if (filter.to) q = q.where("audit_events.occurred_at", "<", startOfLondonDay(nextIsoDate(filter.to)));
  return q;
}

/** Rows strictly older (or newer) than the cursor, in a form the time index can range-scan. */
function beyond(direction: "older" | "newer", cursor: Cursor) {
  return (eb: ExpressionBuilder<Database, "audit_events">) => {
    const at = sql<Date>`${cursor.at}::timestamptz`;
    return direction === "older"
      ? eb.and([
          eb("audit_events.occurred_at", "<=", at),
          sql<boolean>`(audit_events.occurred_at, audit_events.id) < (${at}, ${cursor.id})`,
        ])
      : eb.and([
          eb("audit_events.occurred_at", ">=", at),
          sql<boolean>`(audit_events.occurred_at, audit_events.id) > (${at}, ${cursor.id})`,
        ]);
  };
}

function selectRows(db: WorkspaceDb) {
  return db
    .selectFrom("audit_events")
    .select([
      "audit_events.id",
      "audit_events.occurred_at",
      sql<string>`to_char(audit_events.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
        "at_iso",
      ),
      "audit_events.actor_user_id",
      "audit_events.actor_label",
      "audit_events.event",
      "audit_events.entity_type",
      "audit_events.entity_id",
      "audit_events.changes",
      "audit_events.ip",
    ]);
}

type SelectedRow = Awaited<ReturnType<ReturnType<typeof selectRows>["execute"]>>[number];

function toRow(r: SelectedRow, names: ReadonlyMap<number, string>): AuditRow {
  return {
    id: r.id,
    occurredAt: r.occurred_at,
    occurredAtIso: r.at_iso,
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    actorName: r.actor_user_id === null ? null : (names.get(r.actor_user_id) ?? null),
    event: r.event,
    entityType: r.entity_type,
    entityId: r.entity_id,
    changes: typeof r.changes === "string" ? (JSON.parse(r.changes) as Record<string, unknown>) : r.changes,
    ip: r.ip,
  };
}

export interface AuditPage {
  events: AuditRow[];
  /** Cursors for the "newer" and "older" links, or null at either end. */
  newer: string | null;
  older: string | null;
}

/** One page of matching events, newest first: the first page, or the page before/after a cursor. */
export async function auditEventsPage(
  db: WorkspaceDb,
  filter: AuditFilter,
  page: { before?: string | null; after?: string | null } = {},
  size = AUDIT_PAGE_SIZE,
): Promise<AuditPage> {
  const before = parseCursor(page.before);
  const after = before ? null : parseCursor(page.after);
  let query = applyFilter(selectRows(db), filter);
  if (after) {
    query = query
      .where(beyond("newer", after))
      .orderBy("audit_events.occurred_at", "asc")
      .orderBy("audit_events.id", "asc");
  } else {
    if (before) query = query.where(beyond("older", before));
    query = query.orderBy("audit_events.occurred_at", "desc").orderBy("audit_events.id", "desc");
  }
  const rows = await query.limit(size + 1).execute();
  const actorIds = [...new Set(rows.map((r) => r.actor_user_id).filter((id): id is number => id !== null))];
  const names = new Map(
    actorIds.length === 0
      ? []
      : (await db.selectFrom("users").select(["id", "name"]).where("id", "in", actorIds).execute()).map(
          (u) => [u.id, u.name],
        ),
  );
  const fetched = rows.map((r) => toRow(r, names));
  const more = fetched.length > size;
  const events = fetched.slice(0, size);
  if (after) events.reverse();

  const first = events[0];
  const last = events.at(-1);
  const exists = async (direction: "older" | "newer", row: AuditRow) => {
    const found = await applyFilter(db.selectFrom("audit_events").select("audit_events.id"), filter)
      .where(beyond(direction, { at: row.occurredAtIso, id: row.id }))
      .limit(1)
      .execute();
    return found.length > 0;
  };
  let newer: string | null = null;
  let older: string | null = null;
  if (first && last) {
    if (after) {
      newer = more ? cursorOf(first) : null;
      older = (await exists("older", last)) ? cursorOf(last) : null;
    } else {
      older = more ? cursorOf(last) : null;
      newer = before && (await exists("newer", first)) ? cursorOf(first) : null;
    }
  }
  return { events, newer, older };
}

/** The people who may appear as actors: this workspace's users. */
export async function auditActors(db: WorkspaceDb): Promise<{ id: number; label: string }[]> {
  const users = await db
    .selectFrom("workspace_users")
    .innerJoin("users", "users.id", "workspace_users.user_id")
    .select(["users.id", "users.name", "users.email"])
    .orderBy(sql`lower(users.name)`)
    .execute();
  return users.map((u) => ({ id: u.id, label: `${u.name} (${u.email})` }));
}

// ── CSV export ─────────────────────────────────────────────────────────────────────────

export const CSV_COLUMNS = [
  "occurred_at",
  "actor",
  "actor_user_id",
  "event",
  "entity_type",
  "entity_id",
  "changes",
  "ip",
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, with quotes
 * doubled. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is
 * prefixed with an apostrophe (OWASP "CSV injection"): an actor label can be whatever
 * someone typed into the sign-in form.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: (string | number | null)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

/** Every matching event as CSV lines, newest first, fetched in batches. */
export async function* auditCsv(db: WorkspaceDb, filter: AuditFilter): AsyncGenerator<string> {
  yield csvLine([...CSV_COLUMNS]);
  let before: string | null = null;
  for (;;) {
    const page: AuditPage = await auditEventsPage(db, filter, { before }, EXPORT_BATCH);
    let chunk = "";
    for (const e of page.events) {
      chunk += csvLine([
        e.occurredAtIso,
        e.actorLabel,
        e.actorUserId,
        e.event,
        e.entityType,
        e.entityId,
        JSON.stringify(e.changes),
        e.ip,
      ]);
    }
    if (chunk) yield chunk;
    if (!page.older) return;
    before = page.older;
  }
}

// ── Retention ──────────────────────────────────────────────────────────────────────────

export async function auditRetentionDays(db: WorkspaceDb): Promise<number> {
  const row = await db
    .selectFrom("workspaces")
    .select("audit_retention_days")
    .where("id", "=", workspaceIdOf(db))
    .executeTakeFirstOrThrow();
  return row.audit_retention_days;
}

function cutoffFor(days: number, now: Date): Date {
  return new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
}

/** How many events a retention of `days` would delete now, and from before when. */
export async function retentionPreview(db: WorkspaceDb, days: number, now = new Date()) {
  const cutoff = cutoffFor(days, now);
  const row = await db
    .selectFrom("audit_events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("occurred_at", "<", cutoff)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), cutoff };
}

/** Saves the setting and applies it at once, deleting older events, with its own audit event. */
export async function setAuditRetention(
  viewer: Viewer,
  days: number,
  meta: { ip?: string | null } = {},
  now = new Date(),
): Promise<{ previous: number; deleted: number }> {
  ensure(can.administer(viewer));
  return inTransaction(viewer.db, async (trx) => {
    const current = await trx
      .selectFrom("workspaces")
      .select("audit_retention_days")
      .where("id", "=", workspaceIdOf(trx))
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("workspaces")
      .set({ audit_retention_days: days, updated_at: now })
      .where("id", "=", workspaceIdOf(trx))
      .execute();
    const deleted = await applyAuditRetention(trx, days, now);
    await recordAudit(
      trx,
      { userId: viewer.user.id, label: viewer.user.email, ip: meta.ip },
      {
        event: "audit.retention_changed",
        entityType: "workspace",
        entityId: workspaceIdOf(trx),
        changes: { from: current.audit_retention_days, to: days, events_deleted: deleted },
      },
    );
    return { previous: current.audit_retention_days, deleted };
  });
}
