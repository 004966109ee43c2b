import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueJob } from "~/jobs/queue.server";
import { BackupError, exportedTables, exportWorkspace, importWorkspace, NOT_EXPORTED } from "../../db/backup";
import type { DatabaseHandle } from "../../db/client";
import type { Database } from "../../db/schema";
import { seedDemo } from "../../db/seed/demo";
import { scopeToWorkspace } from "../../db/tenancy";
import { freshDatabase } from "../database";

/*
 * Backup and restore of one workspace: export the demo partnership from a database that also
 * holds another workspace, import it into an empty database, and find every row equal
 * (ids included), nothing of the other workspace, sequences past the ids, and a damaged or
 * clashing import refused with nothing written.
 */

let source: DatabaseHandle;
let target: DatabaseHandle;
let dir: string;
let file: string;
let demoId: number;
let outsiderId: number;

async function rowsOf(db: Kysely<Database>, table: string, where = sql`true`): Promise<unknown[]> {
  const { rows } = await sql<{ row: unknown }>`
    select to_jsonb(t) as row from ${sql.table(table)} t where ${where} order by to_jsonb(t)::text`.execute(
    db,
  );
  return rows.map((r) => r.row);
}

beforeAll(async () => {
  source = await freshDatabase();
  target = await freshDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "boardledger-backup-"));
  file = path.join(dir, "demo.ndjson");
  ({ workspaceId: demoId } = await seedDemo(source.db, { now: new Date("2026-11-23T12:00:00Z") }));
  // A queued email and a passkey: jobs and binary columns travel too.
  await enqueueJob(scopeToWorkspace(source.db, demoId), {
    queue: "mail.minutes_published",
    payload: { minutesId: 1 },
    dedupeKey: "backup-test",
  });
  // …with one message of it already delivered, which a restored queue must not send again.
  const job = await source.db
    .selectFrom("jobs")
    .select("id")
    .where("dedupe_key", "=", "backup-test")
    .executeTakeFirstOrThrow();
  await source.db
    .insertInto("mail_deliveries")
    .values({
      job_id: job.id,
      recipient: "member@demo.test",
      status: "sent",
      attempt: 1,
      transport: "log",
      sent_at: new Date("2026-11-23T12:01:00Z"),
    })
    .execute();
  const admin = await source.db
    .selectFrom("users")
    .select("id")
    .where("email", "=", "admin@demo.test")
    .executeTakeFirstOrThrow();
  await source.db
    .insertInto("passkeys")
    .values({
      id: Buffer.from([1, 2, 3, 250]),
      user_id: admin.id,
      name: "Laptop",
      public_key: Buffer.from([9, 8]),
      algorithm: -7,
    })
    .execute();
  // Another customer in the same database: none of it may leave with the export.
  const elsewhere = await source.db
    .insertInto("workspaces")
    .values({ slug: "elsewhere", name: "Elsewhere" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const outsider = await source.db
    .insertInto("users")
    .values({ email: "outsider@elsewhere.test", name: "Out Sider" })
    .returning("id")
    .executeTakeFirstOrThrow();
  outsiderId = outsider.id;
  await source.db
    .insertInto("workspace_users")
    .values({ workspace_id: elsewhere.id, user_id: outsider.id })
    .execute();
  await source.db
    .insertInto("agencies")
    .values({ workspace_id: elsewhere.id, name: "Elsewhere Police", type: "police" })
    .execute();
}, 120_000);

afterAll(async () => {
  await source?.close();
  await target?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("export-workspace and import-workspace", () => {
  it("decides for every table whether it is exported", async () => {
    const { rows } = await sql<{ name: string }>`
      select tablename as name from pg_tables where schemaname = 'public'`.execute(source.db);
    const decided = new Set([...exportedTables(), ...Object.keys(NOT_EXPORTED)]);
    expect(rows.map((r) => r.name).filter((name) => !decided.has(name))).toEqual([]);
  });

  it("round-trips the workspace: every row equal, ids kept, nothing of another workspace", async () => {
    const exported = await exportWorkspace(source.db, "demo", file);
    expect(exported.meetings).toBeGreaterThan(10);
    const imported = await importWorkspace(target.db, file);
    expect(imported.workspace).toBe("demo");

    const userIds = (await target.db.selectFrom("users").select("id").execute()).map((u) => u.id);
    expect(userIds).not.toContain(outsiderId);
    const demoUsers = await source.db
      .selectFrom("workspace_users")
      .select("user_id")
      .where("workspace_id", "=", demoId)
      .execute();
    expect(userIds).toEqual(expect.arrayContaining(demoUsers.map((u) => u.user_id)));

    for (const table of exportedTables()) {
      const where =
        table === "workspaces"
          ? sql`id = ${demoId}`
          : table === "users"
            ? sql`id = any(${userIds}::bigint[])`
            : table === "passkeys" || table === "recovery_codes"
              ? sql`user_id = any(${userIds}::bigint[])`
              : table === "mail_deliveries"
                ? sql`job_id in (select id from jobs where workspace_id = ${demoId})`
                : sql`workspace_id = ${demoId}`;
      const before = await rowsOf(source.db, table, where);
      const after = await rowsOf(target.db, table);
      expect(after, table).toEqual(before);
      expect(imported.counts[table] ?? 0, table).toBe(before.length);
    }
    expect(imported.counts.jobs).toBe(1);
    expect(imported.counts.mail_deliveries).toBe(1);
    expect(imported.counts.passkeys).toBe(1);
  });

  it("moves sequences past the imported ids, so new rows fit", async () => {
    const highest = await target.db
      .selectFrom("agencies")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirstOrThrow();
    const added = await target.db
      .insertInto("agencies")
      .values({ workspace_id: demoId, name: "Added after restore", type: "other" })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(added.id).toBeGreaterThan(Number(highest.id));
  });

  it("refuses to import a workspace the database already has, writing nothing", async () => {
    const before = await target.db
      .selectFrom("meetings")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    await expect(importWorkspace(target.db, file)).rejects.toThrow(BackupError);
    const after = await target.db
      .selectFrom("meetings")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("refuses a truncated file and a file that is not an export, writing nothing", async () => {
    const empty = await freshDatabase();
    try {
      const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
      const truncated = path.join(dir, "truncated.ndjson");
      await writeFile(truncated, `${lines.slice(0, -1).join("\n")}\n`);
      await expect(importWorkspace(empty.db, truncated)).rejects.toThrow(/incomplete/);
      const notExport = path.join(dir, "other.json");
      await writeFile(notExport, '{"hello":"world"}\n');
      await expect(importWorkspace(empty.db, notExport)).rejects.toThrow(
        /not a Boardledger workspace export/,
      );
      expect(await empty.db.selectFrom("workspaces").select("id").execute()).toEqual([]);
      expect(await empty.db.selectFrom("users").select("id").execute()).toEqual([]);
    } finally {
      await empty.close();
    }
  });
});
