import type { Kysely } from "kysely";
import { RouterContextProvider } from "react-router";
import { createSession } from "~/auth/sessions.server";
import type { Database } from "../db/schema";

/*
 * Calling route modules the way the framework does, for integration tests: a Request with
 * the viewer's session cookie, params, and a middleware context. Thrown responses (404s,
 * redirects) are caught and reported like returned ones.
 */

export interface RouteOutcome {
  status: number;
  location: string | null;
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
    return { status: value.status, location: value.headers.get("Location"), body: text };
  }
  if (isDataWithResponseInit(value)) {
    const headers = new Headers(value.init?.headers);
    return { status: value.init?.status ?? 200, location: headers.get("Location"), body: value.data };
  }
  return { status: 200, location: null, body: value };
}

export async function callRoute(
  module: RouteModule,
  options: {
    method?: "GET" | "POST";
    path: string;
    params?: Record<string, string>;
    cookie?: string | null;
    form?: Record<string, string>;
    headers?: Record<string, string>;
  },
): Promise<RouteOutcome> {
  const method = options.method ?? "GET";
  const fn = (method === "GET" ? module.loader : module.action) as RouteFunction | undefined;
  // A page with no loader renders as it is; a POST to a route with no action is refused.
  if (!fn)
    return method === "GET"
      ? { status: 200, location: null, body: null }
      : { status: 405, location: null, body: null };
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("Cookie", options.cookie);
  const body = options.form ? new URLSearchParams(options.form) : undefined;
  const request = new Request(`http://localhost${options.path}`, { method, headers, body });
  try {
    return await outcomeOf(
      await fn({
        request,
        url: new URL(request.url),
        params: options.params ?? {},
        pattern: new URL(request.url).pathname,
        context: new RouterContextProvider(),
      }),
    );
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithResponseInit(thrown)) return outcomeOf(thrown);
    throw thrown;
  }
}

/** A signed-in cookie for a user (two-factor already passed), as the browser would send it. */
export async function cookieFor(db: Kysely<Database>, email: string): Promise<string> {
  const user = await db
    .selectFrom("users")
    .innerJoin("workspace_users", "workspace_users.user_id", "users.id")
    .select(["users.id", "workspace_users.workspace_id"])
    .where("users.email", "=", email)
    .executeTakeFirstOrThrow();
  const { token } = await createSession(db, {
    userId: user.id,
    workspaceId: user.workspace_id,
    twoFactorVerified: true,
  });
  return `boardledger_session=${token}`;
}
