import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { type Kysely, sql, type Transaction } from "kysely";
import { migrations } from "./migrations/index";
import type { Database } from "./schema";
import { WORKSPACE_TABLES } from "./tenancy";

/*
 * Exporting one workspace to a file and importing it into an empty database
 * (`npm run cli -- export-workspace` / `import-workspace`): a logical backup of one customer,
 * for moving a tenant between databases or restoring one without the others.
 *
 * The file is newline-delimited JSON: a header (format, migrations the data was made under),
 * then chunks of rows per table, then a trailer with the row counts, so a truncated file is
 * refused. Rows are written by PostgreSQL itself (`to_jsonb`) and read back by it
 * (`jsonb_populate_recordset`), so every type (bytea, timestamptz, numeric, jsonb, dates)
 * comes back exactly; ids are kept and sequences moved past them.
 *
 * What is exported: the workspace row; every workspace table (db/tenancy.ts); its jobs and
 * their mail deliveries (so a restored queue still never sends a message twice); the
 * users it refers to, with their passkeys and recovery codes (so they can sign in after a
 * restore). What is not: sessions, one-time tokens, sign-in attempts and rate-limit buckets
 * (short-lived; everyone signs in again), and the migration bookkeeping.
 */

export const EXPORT_FORMAT = "boardledger-workspace-export";
const CHUNK = 2_000;

/** People-level tables that go with a workspace's users. */
const USER_TABLES = ["passkeys", "recovery_codes"] as const;
/** Tables never exported, with why (a test fails for a table on neither list). */
export const NOT_EXPORTED: Record<string, string> = {
  sessions: "short-lived; everyone signs in again after a restore",
  one_time_tokens: "short-lived links and challenges",
  sign_in_attempts: "throttling state, kept 15 minutes",
  rate_limit_buckets: "throttling state",
  kysely_migration: "the target database's own bookkeeping",
  kysely_migration_lock: "the target database's own bookkeeping",
};

export function exportedTables(): string[] {
  return ["workspaces", "users", ...USER_TABLES, ...WORKSPACE_TABLES, "jobs", "mail_deliveries"];
}

export class BackupError extends Error {
  override name = "BackupError";
}

interface Header {
  format: typeof EXPORT_FORMAT;
  version: 1;
  exportedAt: string;
  workspace: { id: number; slug: string; name: string };
  migrations: string[];
}

type Line = Header | { table: string; rows: unknown[] } | { end: true; counts: Record<string, number> };

/** Tables in an order where every row's parents come first (from the database's foreign keys). */
async function parentsFirst(db: Kysely<Database>, tables: string[]): Promise<string[]> {
  const { rows } = await sql<{ child: string; parent: string }>`
    select conrelid::regclass::text as child, confrelid::regclass::text as parent
    from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace`.execute(db);
  const wanted = new Set(tables);
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of rows) {
    if (wanted.has(child) && wanted.has(parent) && child !== parent) parents.get(child)!.add(parent);
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.find((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p)));
    if (!next)
      throw new BackupError(`Foreign keys form a cycle among: ${tables.filter((t) => !placed.has(t))}`);
    ordered.push(next);
    placed.add(next);
  }
  return ordered;
}

/** A table's primary key columns with their types, in key order. */
async function primaryKey(db: Kysely<Database>, table: string): Promise<{ name: string; type: string }[]> {
  const { rows } = await sql<{ name: string; type: string }>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
    from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey::int2[])
    where i.indrelid = ${table}::regclass and i.indisprimary
    order by array_position(i.indkey::int2[], a.attnum)`.execute(db);
  if (rows.length === 0) throw new BackupError(`${table} has no primary key`);
  return rows;
}

/** The ids of every user the workspace's rows point at (members, authors, approvers…). */
async function userIds(db: Kysely<Database>, workspaceId: number): Promise<number[]> {
  const { rows: references } = await sql<{ child: string; column: string }>`
    select c.conrelid::regclass::text as child, a.attname as column
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and c.confrelid = 'users'::regclass and array_length(c.conkey, 1) = 1`.execute(db);
  const ids = new Set<number>();
  for (const { child, column } of references) {
    if (!WORKSPACE_TABLES.has(child) && child !== "jobs") continue;
    const { rows } = await sql<{ id: number }>`
      select distinct ${sql.ref(column)} as id from ${sql.table(child)}
      where workspace_id = ${workspaceId} and ${sql.ref(column)} is not null`.execute(db);
    for (const row of rows) ids.add(Number(row.id));
  }
  return [...ids].sort((a, b) => a - b);
}

function filterFor(table: string, workspaceId: number, users: number[]) {
  if (table === "workspaces") return sql`id = ${workspaceId}`;
  if (table === "users") return sql`id = any(${users}::bigint[])`;
  if ((USER_TABLES as readonly string[]).includes(table)) return sql`user_id = any(${users}::bigint[])`;
  if (table === "mail_deliveries")
    return sql`job_id in (select id from jobs where workspace_id = ${workspaceId})`;
  return sql`workspace_id = ${workspaceId}`;
}

/** Writes the workspace to `file`; returns the row count of each table. */
export async function exportWorkspace(
  db: Kysely<Database>,
  slug: string,
  file: string,
): Promise<Record<string, number>> {
  const workspace = await db
    .selectFrom("workspaces")
    .select(["id", "slug", "name"])
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!workspace) throw new BackupError(`There is no workspace "${slug}".`);
  const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);

  const out = createWriteStream(file, { encoding: "utf8", mode: 0o600 });
  const write = async (line: Line) => {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, "drain");
  };
  const counts: Record<string, number> = {};
  try {
    // One snapshot for the whole export, so the file is consistent even while the app writes.
    await db
      .transaction()
      .setIsolationLevel("repeatable read")
      .setAccessMode("read only")
      .execute(async (trx) => {
        await write({
          format: EXPORT_FORMAT,
          version: 1,
          exportedAt: new Date().toISOString(),
          workspace: { id: Number(workspace.id), slug: workspace.slug, name: workspace.name },
          migrations: applied.rows.map((r) => r.name),
        });
        const users = await userIds(trx, workspace.id);
        for (const table of await parentsFirst(trx, exportedTables())) {
          counts[table] = 0;
          const key = await primaryKey(trx, table);
          const order = sql.join(key.map((k) => sql.ref(k.name)));
          let after: unknown[] | undefined;
          for (;;) {
            const keyset = after
              ? sql`and (${order}) > (${sql.join(after.map((v, i) => sql`${v}::${sql.raw(key[i]!.type)}`))})`
              : sql``;
            const { rows } = await sql<{ row: Record<string, unknown> }>`
              select to_jsonb(t) as row from ${sql.table(table)} t
              where ${filterFor(table, workspace.id, users)} ${keyset}
              order by ${order} limit ${CHUNK}`.execute(trx);
            if (rows.length === 0) break;
            await write({ table, rows: rows.map((r) => r.row) });
            counts[table] += rows.length;
            const last = rows[rows.length - 1]!.row;
            after = key.map((k) => last[k.name]);
            if (rows.length < CHUNK) break;
          }
        }
      });
    await write({ end: true, counts });
  } finally {
    out.end();
    await once(out, "finish");
  }
  return counts;
}

/**
 * Loads a file made by exportWorkspace into this database, in one transaction: all of it or
 * nothing. The database must be migrated at least as far as the export's, and must not
 * already hold the workspace or any of its users.
 */
export async function importWorkspace(
  db: Kysely<Database>,
  file: string,
): Promise<{ workspace: string; counts: Record<string, number> }> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const parse = (text: string): Line => {
    try {
      return JSON.parse(text) as Line;
    } catch {
      throw new BackupError("The file is not a Boardledger workspace export (a line is not JSON).");
    }
  };
  const first = await iterator.next();
  const header = first.done ? undefined : (parse(first.value) as Partial<Header>);
  if (header?.format !== EXPORT_FORMAT || header.version !== 1 || !header.workspace) {
    throw new BackupError("The file is not a Boardledger workspace export.");
  }
  const known = new Set(Object.keys(migrations));
  const unknown = (header.migrations ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new BackupError(
      `The export is from a newer version (migrations ${unknown.join(", ")}); upgrade first.`,
    );
  }
  const tables = new Set(exportedTables());
  const counts: Record<string, number> = {};

  await db.transaction().execute(async (trx) => {
    await refuseClashes(trx, header.workspace!);
    let ended = false;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (next.value.trim() === "") continue;
      const line = parse(next.value);
      if ("end" in line) {
        for (const [table, n] of Object.entries(line.counts)) {
          if ((counts[table] ?? 0) !== n) {
            throw new BackupError(
              `The file is damaged: ${table} should have ${n} rows, it has ${counts[table] ?? 0}.`,
            );
          }
        }
        ended = true;
        break;
      }
      if (!("table" in line) || !tables.has(line.table) || !Array.isArray(line.rows)) {
        throw new BackupError("The file is damaged: a line is not a chunk of a known table.");
      }
      try {
        await sql`insert into ${sql.table(line.table)}
          select * from jsonb_populate_recordset(null::${sql.table(line.table)}, ${JSON.stringify(line.rows)}::jsonb)`.execute(
          trx,
        );
      } catch (error) {
        if ((error as { code?: string }).code === "23505") {
          throw new BackupError(
            `A row of ${line.table} is already in this database (a user of another workspace?); import into an empty database. Nothing was imported.`,
          );
        }
        throw error;
      }
      counts[line.table] = (counts[line.table] ?? 0) + line.rows.length;
    }
    if (!ended) throw new BackupError("The file is incomplete (it has no end); nothing was imported.");
    await advanceSequences(trx, Object.keys(counts));
  });
  return { workspace: header.workspace.slug, counts };
}

async function refuseClashes(trx: Transaction<Database>, workspace: { id: number; slug: string }) {
  const clash = await trx
    .selectFrom("workspaces")
    .select("slug")
    .where((eb) => eb.or([eb("id", "=", workspace.id), eb("slug", "=", workspace.slug)]))
    .executeTakeFirst();
  if (clash) {
    throw new BackupError(
      `This database already has workspace "${clash.slug}" (or its id ${workspace.id}); import into an empty database.`,
    );
  }
}

/** Moves every identity sequence past the ids just loaded, so new rows do not collide. */
async function advanceSequences(trx: Transaction<Database>, tables: string[]) {
  for (const table of tables) {
    const { rows } = await sql<{ column: string }>`
      select attname as column from pg_attribute
      where attrelid = ${table}::regclass and attidentity <> '' and not attisdropped`.execute(trx);
    for (const { column } of rows) {
      await sql`select setval(pg_get_serial_sequence(${table}, ${column}), m)
        from (select max(${sql.ref(column)}) as m from ${sql.table(table)}) s where m is not null`.execute(
        trx,
      );
    }
  }
}
