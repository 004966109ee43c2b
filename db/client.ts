import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, type KyselyConfig, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema";
import { TextParametersPlugin } from "./text-parameters";

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

/**
 * Session settings for every PostgreSQL connection. JIT compilation off: the app's queries
 * are short and indexed, but a list query whose estimate passes jit_above_cost spent 270 ms
 * compiling to run in 100 ms (the partner's action log on 20,000 meetings). JIT pays only for
 * long analytical queries, which this app does not run on a page.
 */
export const POSTGRES_SESSION_OPTIONS = "-c jit=off";

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  /** The embedded instance, when the engine is PGlite (backup and tests use it). */
  pglite?: PGlite;
  /** The connection pool, when the engine is PostgreSQL (metrics read its counts). */
  pool?: pg.Pool;
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
  /**
   * What to throw instead of an error that means the database cannot be reached (refused,
   * timed out, shut down mid-query). The app turns it into a 503; the CLI keeps the error.
   */
  whenUnavailable?: (cause: Error) => unknown;
  /** Kysely's query log (the benchmark captures a page's SQL with it). */
  log?: KyselyConfig["log"];
}

const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * Whether an error means "the database is not there" rather than "this query is wrong":
 * a refused or dropped connection, a connect timeout, or PostgreSQL shutting down or
 * starting up (SQLSTATE class 08, 57P01-57P03).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (UNAVAILABLE_CODES.has(code) || code.startsWith("08") || /^57P0[123]$/.test(code)) return true;
  }
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    error.message,
  );
}

/**
 * The pool as Kysely sees it, with connection failures (on connect or mid-query) turned into
 * whatever `whenUnavailable` says. Each client is wrapped once, so Kysely's per-client state holds.
 */
function guardedPool(pool: pg.Pool, whenUnavailable: (cause: Error) => unknown) {
  const guard = (error: unknown): never => {
    throw isDatabaseUnavailable(error) ? whenUnavailable(error as Error) : error;
  };
  const wrapped = new WeakMap<pg.PoolClient, pg.PoolClient>();
  return {
    options: pool.options,
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect().catch(guard);
      let guardedClient = wrapped.get(client);
      if (!guardedClient) {
        guardedClient = new Proxy(client, {
          get(target, property, receiver) {
            if (property !== "query") return Reflect.get(target, property, receiver);
            return (...args: unknown[]) => {
              const result: unknown = (target.query as (...a: unknown[]) => unknown).apply(target, args);
              // A cursor (streaming) is returned as it is; queries return promises.
              return result instanceof Promise ? result.catch(guard) : result;
            };
          },
        });
        wrapped.set(client, guardedClient);
      }
      return guardedClient;
    },
  };
}

export function openDatabase(options: OpenOptions = {}): DatabaseHandle {
  if (options.databaseUrl) {
    installPgTypeParsers();
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      options: POSTGRES_SESSION_OPTIONS,
      max: options.poolSize ?? 10,
      // Fail fast while the database is down, so pages answer 503 instead of hanging.
      connectionTimeoutMillis: 3_000,
    });
    // An idle client losing its connection (database restart) must not crash the process.
    pool.on("error", () => {});
    const dialectPool = options.whenUnavailable ? guardedPool(pool, options.whenUnavailable) : pool;
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: dialectPool }),
      log: options.log,
      plugins: [new TextParametersPlugin()],
    });
    return { db, engine: "postgres", pool, close: () => db.destroy() };
  }

  const dataDir = options.dataDir ?? defaultDataDir();
  let releaseDataDir = () => {};
  if (!dataDir.startsWith("memory://")) {
    mkdirSync(dataDir, { recursive: true });
    releaseDataDir = claimDataDir(dataDir);
  }
  const pglite = new PGlite({
    dataDir,
    loadDataDir: options.loadDataDir,
    parsers: { [OID.INT8]: toNumber, [OID.NUMERIC]: toNumber, [OID.DATE]: keepDate },
  });
  const db = new Kysely<Database>({
    dialect: new PGliteDialect({ pglite }),
    plugins: [new TextParametersPlugin()],
  });
  return {
    db,
    engine: "pglite",
    pglite,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      releaseDataDir();
    },
  };
}

/**
 * PGlite is one process's database: a second process opening the same directory (the CLI
 * while `npm start` runs) would corrupt it. A lock file naming the owner's pid refuses the
 * second opener with a clear message; a lock left by a process that has died is taken over.
 */
export class DataDirInUse extends Error {}

export function claimDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, "boardledger.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockPath, "utf8").trim());
      if (owner === process.pid || !processIsAlive(owner)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      throw new DataDirInUse(
        `The embedded database in ${dataDir} is open in another process (pid ${owner}). ` +
          "Stop that process first (for example the server started by npm start), or set DATABASE_URL to use PostgreSQL.",
      );
    }
  }
  throw new Error(`Could not lock the embedded database in ${dataDir}`);
}

function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function defaultDataDir(): string {
  return path.resolve(process.env.DATA_DIR ?? "data", "pglite");
}
