import { AsyncLocalStorage } from "node:async_hooks";

/*
 * What one request has learnt so far, available to every loader and action it runs:
 * the root layout and the page both need the viewer, so it is loaded once per request,
 * and a refused request can be attributed in the audit trail.
 * Established by the root middleware (app/security.server.ts); absent when a test calls a
 * loader directly, in which case nothing is cached.
 */

export interface RequestContext {
  request: Request;
  /** The viewer lookup for this request's cookie (a promise, so parallel loaders share one). */
  viewerState?: { cookie: string; state: Promise<unknown> };
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(request: Request, work: () => T): T {
  return storage.run({ request }, work);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
