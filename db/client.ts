import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema";

/**
 * One database module for the whole app. PGlite (embedded PostgreSQL in ./data) is the
 * default; DATABASE_URL switches to a real PostgreSQL through node-postgres.
 *
 * Both engines are told to parse values the same way, so the rest of the code never
 * sees a difference: int8 and numeric become numbers (pence and counts stay well inside
 * 2^53), `date` stays a "YYYY-MM-DD" string (no time-zone drift), timestamps become Dates.
 */

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082, TIMESTAMP: 1114, TIMESTAMPTZ: 1184 } as const;

const toNumber = (value: string) => Number(value);
const keepDate = (value: string) => value;

let pgParsersInstalled = false;
function installPgTypeParsers() {
  if (pgParsersInstalled) return;
  pg.types.setTypeParser(OID.INT8, toNumber);
  pg.types.setTypeParser(OID.NUMERIC, toNumber);
  pg.types.setTypeParser(OID.DATE, keepDate);
  pgParsersInstalled = true;
}

export type Engine = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  /** The embedded instance, when the engine is PGlite (backup and tests use it). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded engine is used. */
  databaseUrl?: string;
  /** Directory for PGlite's files; "memory://" for a throwaway database. */
  dataDir?: string;
  /** Load a PGlite data directory dump (tests clone a migrated template this way). */
  loadDataDir?: Blob;
  poolSize?: number;
}

export function openDatabase(options: OpenOptions = {}): DatabaseHandle {
  if (options.databaseUrl) {
    installPgTypeParsers();
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // Fail fast while the database is down, so pages answer 503 instead of hanging.
      connectionTimeoutMillis: 3_000,
    });
    // An idle client losing its connection (database restart) must not crash the process.
    pool.on("error", () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: "postgres", close: () => db.destroy() };
  }

  const dataDir = options.dataDir ?? defaultDataDir();
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite({
    dataDir,
    loadDataDir: options.loadDataDir,
    parsers: { [OID.INT8]: toNumber, [OID.NUMERIC]: toNumber, [OID.DATE]: keepDate },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: "pglite",
    pglite,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export function defaultDataDir(): string {
  return path.resolve(process.env.DATA_DIR ?? "data", "pglite");
}
