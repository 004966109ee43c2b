import type { Kysely } from "kysely";
import { type DatabaseHandle, openDatabase } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import type { Database } from "../db/schema";

/*
 * The app's one database handle: a singleton that survives dev-server hot reloads.
 * Migrations normally run before the server starts (`npm start` runs `boot`; Fly runs the
 * release command); running them again here is a cheap no-op that also covers `npm run dev`.
 */

interface DatabaseState {
  ready: Promise<DatabaseHandle>;
}

const globalForDb = globalThis as typeof globalThis & { __boardledgerDb?: DatabaseState };

function start(): DatabaseState {
  const handle = openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined });
  const ready = migrateToLatest(handle.db).then(() => handle);
  // A failed start must not be cached forever: the next request tries again.
  ready.catch(() => {
    if (globalForDb.__boardledgerDb?.ready === ready) globalForDb.__boardledgerDb = undefined;
  });
  return { ready };
}

export async function database(): Promise<Kysely<Database>> {
  globalForDb.__boardledgerDb ??= start();
  return (await globalForDb.__boardledgerDb.ready).db;
}

/** For tests: use this handle instead of opening one from the environment. */
export function useDatabaseForTests(handle: DatabaseHandle): void {
  globalForDb.__boardledgerDb = { ready: Promise.resolve(handle) };
}
