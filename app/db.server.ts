import type { Kysely } from "kysely";
import { type DatabaseHandle, openDatabase } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import type { Database } from "../db/schema";
import { annotateRequest, describeError, log } from "./observability.server";
import { currentRequestContext } from "./request-context.server";

/*
 * The app's one database handle: a singleton that survives dev-server hot reloads.
 * Migrations normally run before the server starts (`npm start` runs `boot`; Fly runs the
 * release command); running them again here is a cheap no-op that also covers `npm run dev`.
 *
 * When the database cannot be reached (not started yet, restarting, a network fault), every
 * query throws a 503 Response instead of its error: pages show "Sorry, the service is
 * unavailable" and the API answers problem+json, never a 500. Nothing is cached about the
 * failure: the pool opens new connections as soon as the database is back.
 */

interface DatabaseState {
  handle: DatabaseHandle;
  ready: Promise<DatabaseHandle>;
}

const globalForDb = globalThis as typeof globalThis & { __boardledgerDb?: DatabaseState };

/** The Response thrown in place of a "database unreachable" error, for the current request. */
export function serviceUnavailable(): Response {
  annotateRequest({ databaseUnavailable: true });
  const request = currentRequestContext()?.request;
  const headers = { "Retry-After": "5", "Cache-Control": "no-store" };
  if (request && new URL(request.url).pathname.startsWith("/api/")) {
    return new Response(
      JSON.stringify({
        type: "about:blank",
        title: "Service unavailable",
        status: 503,
        detail: "The database cannot be reached just now. Nothing was changed; try again in a few seconds.",
      }),
      { status: 503, headers: { ...headers, "Content-Type": "application/problem+json" } },
    );
  }
  // Pages: the root error boundary shows the GOV.UK "service unavailable" page for a 503.
  return new Response("Sorry, the service is unavailable. Try again in a few minutes.", {
    status: 503,
    headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" },
  });
}

function start(): DatabaseState {
  const handle = openDatabase({
    databaseUrl: process.env.DATABASE_URL || undefined,
    whenUnavailable: () => serviceUnavailable(),
  });
  const ready = migrateToLatest(handle.db).then(() => handle);
  // A failed start must not be cached: the next request opens the database afresh.
  ready.catch((error: unknown) => {
    const unreachable =
      error instanceof Response || (error instanceof Error && error.cause instanceof Response);
    log(
      "error",
      "database start failed",
      unreachable ? { message: "database unreachable" } : describeError(error),
    );
    if (globalForDb.__boardledgerDb?.ready === ready) globalForDb.__boardledgerDb = undefined;
    handle.close().catch(() => {});
  });
  return { handle, ready };
}

export async function database(): Promise<Kysely<Database>> {
  globalForDb.__boardledgerDb ??= start();
  try {
    return (await globalForDb.__boardledgerDb.ready).db;
  } catch (error) {
    // Opening or migrating failed (migration errors wrap the cause): the service is unavailable.
    if (error instanceof Response) throw error;
    if (error instanceof Error && error.cause instanceof Response) throw error.cause;
    throw serviceUnavailable();
  }
}

/** The handle if the database has been opened (metrics read its pool); never opens one. */
export function openedDatabase(): DatabaseHandle | undefined {
  return globalForDb.__boardledgerDb?.handle;
}

/** Closes the handle (at shutdown, after in-flight requests and jobs have finished). */
export async function closeDatabase(): Promise<void> {
  const state = globalForDb.__boardledgerDb;
  globalForDb.__boardledgerDb = undefined;
  if (!state) return;
  const handle = await state.ready.catch(() => undefined);
  await handle?.close();
}

/** For tests: use this handle instead of opening one from the environment. */
export function useDatabaseForTests(handle: DatabaseHandle): void {
  globalForDb.__boardledgerDb = { handle, ready: Promise.resolve(handle) };
}
