import type { Kysely } from "kysely";
import { RouterContextProvider } from "react-router";
import { createSession } from "~/auth/sessions.server";
import type { Database } from "../db/schema";

/*
 * Calling route modules the way the framework does, for integration tests: a Request with
 * the viewer's session cookie, params, and a middleware context. Thrown responses (404s,
 * redirects) are caught and reported like returned ones. Also the session cookies to send,
 * and reading what came back (a new session's cookie, a form's field errors).
 */

export interface RouteOutcome {
  status: number;
  location: string | null;
  /** The answer's headers (Location, Set-Cookie, Content-Type…); callRoute always gives them. */
  headers?: Headers;
  /** The data of a data() answer or a plain object; the text of a Response. */
  body: unknown;
}

type RouteFunction = (args: {
  request: Request;
  url: URL;
  params: Record<string, string | undefined>;
  pattern: string;
  context: RouterContextProvider;
}) => unknown;

/** Any route module: its loader and action take the framework's typed arguments, which we build here. */
export interface RouteModule {
  // biome-ignore lint/suspicious/noExplicitAny: route modules type their own params; tests pass them untyped
  loader?: (args: any) => unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  action?: (args: any) => unknown;
}

export interface RequestOptions {
  /** GET unless a form is posted. */
  method?: "GET" | "POST";
  cookie?: string | null;
  /** Field values; pairs when a name repeats. */
  form?: Record<string, string> | [string, string][];
  headers?: Record<string, string>;
}

/** A Request for `path` as the browser sends it: the session cookie, and a form if one is posted. */
export function routeRequest(path: string, options: RequestOptions = {}): Request {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("Cookie", options.cookie);
  return new Request(`http://localhost${path}`, {
    method: options.method ?? (options.form ? "POST" : "GET"),
    headers,
    body: options.form ? new URLSearchParams(options.form) : undefined,
  });
}

/**
 * A loader's or action's arguments as the framework passes them, for calling one directly
 * when the test needs its Response untouched (a download's bytes); otherwise use callRoute.
 */
export function routeArgs<P extends Record<string, string>>(request: Request, params: P = {} as P) {
  const url = new URL(request.url);
  return { request, url, params, pattern: url.pathname, context: new RouterContextProvider() };
}

function isDataWithResponseInit(
  value: unknown,
): value is { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "DataWithResponseInit"
  );
}

async function outcomeOf(value: unknown): Promise<RouteOutcome> {
  if (value instanceof Response) {
    const text = await value.text();
    return {
      status: value.status,
      location: value.headers.get("Location"),
      headers: value.headers,
      body: text,
    };
  }
  if (isDataWithResponseInit(value)) {
    const headers = new Headers(value.init?.headers);
    return {
      status: value.init?.status ?? 200,
      location: headers.get("Location"),
      headers,
      body: value.data,
    };
  }
  return { status: 200, location: null, headers: new Headers(), body: value };
}

export async function callRoute(
  module: RouteModule,
  options: {
    method?: "GET" | "POST";
    path: string;
    params?: Record<string, string>;
    cookie?: string | null;
    form?: Record<string, string> | [string, string][];
    headers?: Record<string, string>;
  },
): Promise<RouteOutcome> {
  const method = options.method ?? "GET";
  const fn = (method === "GET" ? module.loader : module.action) as RouteFunction | undefined;
  // A page with no loader renders as it is; a POST to a route with no action is refused.
  if (!fn)
    return method === "GET"
      ? { status: 200, location: null, headers: new Headers(), body: null }
      : { status: 405, location: null, headers: new Headers(), body: null };
  const request = routeRequest(options.path, { ...options, method });
  try {
    return await outcomeOf(await fn(routeArgs(request, options.params)));
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithResponseInit(thrown)) return outcomeOf(thrown);
    throw thrown;
  }
}

/**
 * A new session for the user in that workspace, as the sign-in pages would start it, with the
 * Cookie header the browser then sends. Two-factor is passed unless the test says otherwise.
 */
export async function startSession(
  db: Kysely<Database>,
  userId: number,
  workspaceId: number | null,
  options: { twoFactorVerified?: boolean } = {},
): Promise<{ cookie: string; sessionId: string }> {
  const { token, session } = await createSession(db, {
    userId,
    workspaceId,
    twoFactorVerified: options.twoFactorVerified ?? true,
  });
  return { cookie: `boardledger_session=${token}`, sessionId: session.id };
}

/** The Cookie header of a new signed-in session (two-factor passed) in that workspace. */
export async function signedIn(
  db: Kysely<Database>,
  userId: number,
  workspaceId: number | null,
): Promise<string> {
  return (await startSession(db, userId, workspaceId)).cookie;
}

/** A signed-in cookie for a user (two-factor already passed), as the browser would send it. */
export async function cookieFor(db: Kysely<Database>, email: string): Promise<string> {
  const user = await db
    .selectFrom("users")
    .innerJoin("workspace_users", "workspace_users.user_id", "users.id")
    .select(["users.id", "workspace_users.workspace_id"])
    .where("users.email", "=", email)
    .executeTakeFirstOrThrow();
  return signedIn(db, user.id, user.workspace_id);
}

/** The Cookie header a browser sends back after this Set-Cookie; throws if it set no session. */
export function cookieFromSetCookie(setCookie: string | null | undefined): string {
  const match = /boardledger_session=([^;]+)/.exec(setCookie ?? "");
  if (!match) throw new Error(`No session cookie in ${setCookie}`);
  return `boardledger_session=${match[1]}`;
}

/** The field errors of a Conform reply, whether the answer is the reply or holds it as `result`. */
export function fieldErrors(body: unknown): Record<string, string[] | undefined>;
/** One field's messages in a Conform reply (none: an empty list). */
export function fieldErrors(body: unknown, field: string): string[];
export function fieldErrors(body: unknown, field?: string): Record<string, string[] | undefined> | string[] {
  type Reply = { error?: Record<string, string[] | undefined> | null } | null | undefined;
  const answer = body as (Reply & { result?: Reply }) | null | undefined;
  const errors = answer?.result?.error ?? answer?.error ?? {};
  return field === undefined ? errors : (errors[field] ?? []);
}
