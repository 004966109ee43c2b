import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { adminUrl, withDatabaseName } from "../tests/database-urls";
import { openDatabase } from "./client";
import { migrateDown, migrateToLatest } from "./migrate";
import { migrations } from "./migrations/index";

/** An empty database on the engine under test (not the migrated template). */
async function emptyDatabase() {
  const url = process.env.DATABASE_URL;
  if (!url) return { handle: openDatabase({ dataDir: "memory://" }), drop: async () => {} };
  const name = `bl_empty_${Date.now()}_${process.pid}`;
  const admin = openDatabase({ databaseUrl: adminUrl(url), poolSize: 1 });
  await sql.raw(`create database ${name}`).execute(admin.db);
  return {
    handle: openDatabase({ databaseUrl: withDatabaseName(url, name), poolSize: 2 }),
    drop: async () => {
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
      await admin.close();
    },
  };
}

describe("migrations", () => {
  it("run up from an empty database, down again, and up again", async () => {
    const { handle, drop } = await emptyDatabase();
    try {
      const up = await migrateToLatest(handle.db);
      expect(up.results?.map((r) => r.status)).toEqual(Object.keys(migrations).map(() => "Success"));
      const tables = await sql<{
        n: number;
      }>`select count(*) as n from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%'`.execute(
        handle.db,
      );
      expect(tables.rows[0]!.n).toBeGreaterThanOrEqual(40);

      for (const _ of Object.keys(migrations)) await migrateDown(handle.db);
      const after = await sql<{
        n: number;
      }>`select count(*) as n from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%'`.execute(
        handle.db,
      );
      expect(after.rows[0]!.n).toBe(0);

      const again = await migrateToLatest(handle.db);
      expect(again.error).toBeUndefined();
      // Running again is a no-op.
      expect((await migrateToLatest(handle.db)).results).toEqual([]);
    } finally {
      await handle.close();
      await drop();
    }
  });

  it("give every workspace table a primary key that starts with workspace_id", async () => {
    const { handle, drop } = await emptyDatabase();
    try {
      await migrateToLatest(handle.db);
      const keys = await sql<{ table_name: string; first_column: string }>`
        select tc.table_name, kcu.column_name as first_column
        from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu
          on kcu.constraint_name = tc.constraint_name and kcu.table_name = tc.table_name and kcu.ordinal_position = 1
        join information_schema.columns c
          on c.table_name = tc.table_name and c.column_name = 'workspace_id' and c.is_nullable = 'NO'
        where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = 'public'`.execute(handle.db);
      expect(keys.rows.length).toBeGreaterThan(30);
      for (const row of keys.rows)
        expect(`${row.table_name}:${row.first_column}`).toBe(`${row.table_name}:workspace_id`);
    } finally {
      await handle.close();
      await drop();
    }
  });
});
