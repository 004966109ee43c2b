import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { inject } from "vitest";
import { type DatabaseHandle, openDatabase } from "../db/client";
import { adminUrl, withDatabaseName } from "./database-urls";

/**
 * A fresh, migrated database for one test file (or one test): a clone of the template
 * that tests/global-setup.ts prepared, on PGlite or on the PostgreSQL of DATABASE_URL.
 * `poolSize` (PostgreSQL only): connections, for tests that need real parallel transactions.
 */
export async function freshDatabase(options: { poolSize?: number } = {}): Promise<DatabaseHandle> {
  const databaseUrl = process.env.DATABASE_URL;
  const postgresTemplate = inject("postgresTemplate");
  if (databaseUrl && postgresTemplate) {
    const name = `bl_test_${randomBytes(6).toString("hex")}`;
    const admin = openDatabase({ databaseUrl: adminUrl(databaseUrl), poolSize: 1 });
    await sql.raw(`create database ${name} template ${postgresTemplate}`).execute(admin.db);
    await admin.close();
    const handle = openDatabase({
      databaseUrl: withDatabaseName(databaseUrl, name),
      poolSize: options.poolSize ?? 4,
    });
    return {
      ...handle,
      close: async () => {
        await handle.close();
        const dropper = openDatabase({ databaseUrl: adminUrl(databaseUrl), poolSize: 1 });
        await sql.raw(`drop database if exists ${name} with (force)`).execute(dropper.db);
        await dropper.close();
      },
    };
  }
  const template = inject("pgliteTemplate");
  if (!template) throw new Error("tests/global-setup.ts did not prepare a database template");
  return openDatabase({ dataDir: "memory://", loadDataDir: new Blob([readFileSync(template)]) });
}
