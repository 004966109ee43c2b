import type { Kysely } from "kysely";
import { RouterContextProvider } from "react-router";
import { hashPassword } from "~/auth/passwords.server";
import { createSession } from "~/auth/sessions.server";
import type { Database, Role } from "../../db/schema";

/*
 * Fixtures for the invitation, password-reset, users and audit tests: a workspace with a
 * board and an agency, users with roles, signed-in cookies, and route arguments built the
 * way the framework builds them. Route functions are called directly; a thrown Response
 * (404, redirect) is caught and reported like a returned one, with its headers.
 */

export const PASSWORD = "correct horse battery staple";

export async function makeWorkspace(db: Kysely<Database>, slug: string) {
  const workspaceId = (
    await db
      .insertInto("workspaces")
      .values({ slug, name: `${slug[0]!.toUpperCase()}${slug.slice(1)} partnership` })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const boardId = (
    await db
      .insertInto("boards")
      .values({
        workspace_id: workspaceId,
        name: `${slug} LCJB`,
        slug: "lcjb",
        type: "lcjb",
        level: "local",
        frequency: "monthly",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const agencyId = (
    await db
      .insertInto("agencies")
      .values({ workspace_id: workspaceId, name: `${slug} Police`, type: "police" })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  return { workspaceId, boardId, agencyId };
}

let passwordHash: Promise<string> | undefined;

/** A user in a workspace with the given roles (creating the account if it is new). */
export async function addUser(
  db: Kysely<Database>,
  workspaceId: number,
  email: string,
  roles: { role: Role; board_id?: number; agency_id?: number }[] = [],
): Promise<number> {
  passwordHash ??= hashPassword(PASSWORD);
  const existing = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  const userId =
    existing?.id ??
    (
      await db
        .insertInto("users")
        .values({
          email,
          name: email.split("@")[0]!.replace(/^./, (c) => c.toUpperCase()),
          password_hash: await passwordHash,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  await db.insertInto("workspace_users").values({ workspace_id: workspaceId, user_id: userId }).execute();
  for (const grant of roles) {
    await db
      .insertInto("role_grants")
      .values({
        workspace_id: workspaceId,
        user_id: userId,
        role: grant.role,
        board_id: grant.board_id ?? null,
        agency_id: grant.agency_id ?? null,
      })
      .execute();
  }
  return userId;
}

/** The Cookie header of a new signed-in session (two-factor passed) in that workspace. */
export async function signedIn(
  db: Kysely<Database>,
  userId: number,
  workspaceId: number | null,
): Promise<string> {
  const { token } = await createSession(db, { userId, workspaceId, twoFactorVerified: true });
  return `boardledger_session=${token}`;
}

export function tokenFromCookie(setCookie: string | null): string {
  const match = /boardledger_session=([^;]+)/.exec(setCookie ?? "");
  if (!match) throw new Error(`No session cookie in ${setCookie}`);
  return match[1]!;
}

/** A request as the browser sends it: GET, or POST of a form. */
export function request(
  path: string,
  options: { cookie?: string; form?: Record<string, string> } = {},
): Request {
  const headers = new Headers({ "User-Agent": "vitest", "X-Forwarded-For": "192.0.2.7" });
  if (options.cookie) headers.set("Cookie", options.cookie);
  return new Request(`http://localhost${path}`, {
    method: options.form ? "POST" : "GET",
    headers,
    body: options.form ? new URLSearchParams(options.form) : undefined,
  });
}

/** Loader/action arguments as the framework passes them. */
export function args<P extends Record<string, string>>(req: Request, params: P = {} as P) {
  return { request: req, params, context: new RouterContextProvider(), url: new URL(req.url), pattern: "" };
}

export interface Outcome {
  status: number;
  headers: Headers;
  /** The data of a data() answer or a plain object; the text of a Response. */
  body: unknown;
}

function isDataWithInit(
  value: unknown,
): value is { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "DataWithResponseInit"
  );
}

async function outcomeOf(value: unknown): Promise<Outcome> {
  if (value instanceof Response)
    return { status: value.status, headers: value.headers, body: await value.text() };
  if (isDataWithInit(value)) {
    return { status: value.init?.status ?? 200, headers: new Headers(value.init?.headers), body: value.data };
  }
  return { status: 200, headers: new Headers(), body: value };
}

/** Runs a loader or action; whatever it returns or throws as an answer becomes an Outcome. */
export async function outcome(run: () => unknown): Promise<Outcome> {
  try {
    return await outcomeOf(await run());
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithInit(thrown)) return outcomeOf(thrown);
    throw thrown;
  }
}

/** A field's messages in a Conform submission reply. */
export function fieldErrors(body: unknown, field: string): string[] {
  const reply = (body as { result?: unknown })?.result ?? body;
  const error = (reply as { error?: Record<string, string[] | null> } | undefined)?.error;
  return error?.[field] ?? [];
}
