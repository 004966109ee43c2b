import type { Kysely } from "kysely";
import type { ApiTokenScope } from "~/auth/api-token-schemas";
import { issueApiToken } from "~/auth/api-tokens.server";
import type { Database } from "../db/schema";
import { scopeToWorkspace } from "../db/tenancy";
import { routeArgs } from "./routes";

/*
 * Calling the JSON API's route modules (app/routes/api.v1.*) as the framework does, with a
 * bearer token, and reading the JSON (or problem) that comes back.
 */

export interface ApiModule {
  loader: (args: {
    request: Request;
    params: Record<string, string | undefined>;
  }) => Promise<Response> | Response;
  action: (args: {
    request: Request;
    params: Record<string, string | undefined>;
  }) => Promise<Response> | Response;
}

export interface ApiOutcome {
  status: number;
  headers: Headers;
  /** The parsed JSON body (null when empty). */
  json: unknown;
  contentType: string | null;
}

export async function callApi(
  module: ApiModule,
  options: {
    path: string;
    method?: string;
    params?: Record<string, string>;
    token?: string | null;
    /** A value to send as JSON, or a raw string as it is. */
    body?: unknown;
    headers?: Record<string, string>;
  },
): Promise<ApiOutcome> {
  const method = options.method ?? "GET";
  const headers = new Headers(options.headers);
  if (options.token) headers.set("Authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  const request = new Request(`http://localhost${options.path}`, { method, headers, body });
  const args = routeArgs(request, options.params ?? {});
  const handler = ["GET", "HEAD", "OPTIONS"].includes(method) ? module.loader : module.action;
  const response = await handler(args);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text ? JSON.parse(text) : null,
    contentType: response.headers.get("Content-Type"),
  };
}

/** A new token for the user with this email in their (first, or given) workspace. */
export async function tokenFor(
  db: Kysely<Database>,
  email: string,
  scope: ApiTokenScope = "write",
  options: { workspaceId?: number; expiresInDays?: number; now?: Date } = {},
): Promise<{ token: string; id: number }> {
  let query = db
    .selectFrom("users")
    .innerJoin("workspace_users", "workspace_users.user_id", "users.id")
    .select(["users.id", "workspace_users.workspace_id"])
    .where("users.email", "=", email);
  if (options.workspaceId !== undefined)
    query = query.where("workspace_users.workspace_id", "=", options.workspaceId);
  const user = await query.executeTakeFirstOrThrow();
  const issued = await db.transaction().execute((trx) =>
    issueApiToken(
      scopeToWorkspace(trx, user.workspace_id),
      {
        userId: user.id,
        name: `${scope} token for tests`,
        scope,
        expiresInDays: options.expiresInDays ?? 30,
      },
      { userId: user.id, label: email },
      options.now,
    ),
  );
  return { token: issued.token, id: issued.id };
}
