import type { Kysely } from "kysely";
import { redirect } from "react-router";
import type { Database, Role } from "../../db/schema";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { database } from "../db.server";
import { annotateRequest } from "../observability.server";
import { currentRequestContext } from "../request-context.server";
import { type SessionRecord, sessionTokenFrom, validateSessionToken } from "./sessions.server";

/**
 * Everything a loader, action or API handler knows about who is asking: what the one
 * authorisation module and every domain module need. The same for a signed-in browser and
 * for an API token, so a token sees exactly what its user sees.
 */
export interface Viewer {
  user: { id: number; name: string; email: string };
  workspace: { id: number; slug: string; name: string };
  /** The workspaces this user may switch to. */
  workspaces: { id: number; slug: string; name: string }[];
  /** Every query for this viewer goes through this workspace-scoped handle. */
  db: WorkspaceDb;
  roles: ViewerRoles;
  /** The person record this user is, and their agency, if linked. */
  personId: number | null;
  agencyId: number | null;
}

/** A viewer signed in through the web, with the session their cookie names. */
export interface SessionViewer extends Viewer {
  session: SessionRecord;
}

export interface ViewerRoles {
  admin: boolean;
  leader: boolean;
  secretaryOf: ReadonlySet<number>;
  memberOf: ReadonlySet<number>;
  partnerFor: ReadonlySet<number>;
}

export interface Grant {
  role: Role;
  board_id: number | null;
  agency_id: number | null;
}

export function rolesFrom(grants: readonly Grant[]): ViewerRoles {
  const ids = (role: Role, key: "board_id" | "agency_id") =>
    new Set(grants.filter((g) => g.role === role && g[key] !== null).map((g) => g[key] as number));
  return {
    admin: grants.some((g) => g.role === "admin"),
    leader: grants.some((g) => g.role === "leader"),
    secretaryOf: ids("secretary", "board_id"),
    memberOf: ids("member", "board_id"),
    partnerFor: ids("partner", "agency_id"),
  };
}

/** Needs two-factor before it may see anything (enrolled, or required for its role). */
export type ViewerState =
  | { kind: "signed-out" }
  | { kind: "needs-two-factor"; session: SessionRecord; userId: number }
  | { kind: "signed-in"; viewer: SessionViewer };

export function loadViewerState(request: Request, db?: Kysely<Database>): Promise<ViewerState> {
  // Once per request: the root layout and the page both ask.
  // The viewer depends only on the session cookie, so that is the cache key.
  const context = currentRequestContext();
  if (!context || db) return lookUpViewerState(request, db);
  const cookie = request.headers.get("Cookie") ?? "";
  if (context.viewerState?.cookie !== cookie)
    context.viewerState = { cookie, state: lookUpViewerState(request) };
  return context.viewerState.state as Promise<ViewerState>;
}

async function lookUpViewerState(request: Request, db?: Kysely<Database>): Promise<ViewerState> {
  const token = sessionTokenFrom(request);
  if (!token) return { kind: "signed-out" };
  const root = db ?? (await database());
  const session = await validateSessionToken(root, token);
  if (!session) return { kind: "signed-out" };

  const user = await root
    .selectFrom("users")
    .select(["id", "name", "email", "disabled_at", "totp_key"])
    .select((eb) =>
      eb
        .selectFrom("passkeys")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("passkeys.user_id", "=", "users.id")
        .as("passkey_count"),
    )
    .where("id", "=", session.userId)
    .executeTakeFirst();
  if (!user || user.disabled_at) return { kind: "signed-out" };

  const found = await viewerInWorkspace(root, user, session.workspaceId);
  if (!found) return { kind: "signed-out" };
  const { viewer, requireTwoFactor } = found;

  const enrolled = user.totp_key !== null || Number(user.passkey_count ?? 0) > 0;
  if ((enrolled || requireTwoFactor) && !session.twoFactorVerified) {
    return { kind: "needs-two-factor", session, userId: user.id };
  }
  return { kind: "signed-in", viewer: { ...viewer, session } };
}

/**
 * The Viewer of a user in one of their workspaces (`workspaceId`, or their first when it is
 * null or not theirs), with their role grants and person record there; null when they
 * belong to no workspace. Shared by the session cookie and API tokens, so both see alike.
 * `requireTwoFactor`: the workspace asks two-factor of this user's roles.
 */
export async function viewerInWorkspace(
  root: Kysely<Database>,
  user: { id: number; name: string; email: string },
  workspaceId: number | null,
  options: { exactly?: boolean } = {},
): Promise<{ viewer: Viewer; requireTwoFactor: boolean } | null> {
  const workspaces = await root
    .selectFrom("workspace_users")
    .innerJoin("workspaces", "workspaces.id", "workspace_users.workspace_id")
    .select([
      "workspaces.id",
      "workspaces.slug",
      "workspaces.name",
      "workspaces.require_two_factor_for_privileged",
    ])
    .select(["workspace_users.person_id"])
    .where("workspace_users.user_id", "=", user.id)
    .orderBy("workspaces.name")
    .execute();
  const chosen = workspaces.find((w) => w.id === workspaceId);
  // A token names its workspace exactly; a session falls back to the user's first.
  const current = options.exactly ? chosen : (chosen ?? workspaces[0]);
  if (!current) return null;

  const scoped = scopeToWorkspace(root, current.id);
  const grants = await scoped
    .selectFrom("role_grants")
    .select(["role", "board_id", "agency_id"])
    .where("user_id", "=", user.id)
    .execute();
  const roles = rolesFrom(grants);

  const person = current.person_id
    ? await scoped
        .selectFrom("people")
        .select(["agency_id"])
        .where("id", "=", current.person_id)
        .executeTakeFirst()
    : undefined;

  annotateRequest({ userId: user.id, workspace: current.slug });
  return {
    viewer: {
      user: { id: user.id, name: user.name, email: user.email },
      workspace: { id: current.id, slug: current.slug, name: current.name },
      workspaces: workspaces.map(({ id, slug, name }) => ({ id, slug, name })),
      db: scoped,
      roles,
      personId: current.person_id,
      agencyId: person?.agency_id ?? null,
    },
    requireTwoFactor: current.require_two_factor_for_privileged && (roles.admin || roles.leader),
  };
}

/** The signed-in viewer, or null for a signed-out request (public pages). */
export async function getViewer(request: Request): Promise<SessionViewer | null> {
  const state = await loadViewerState(request);
  return state.kind === "signed-in" ? state.viewer : null;
}

/** The signed-in viewer; a signed-out request is sent to sign in and brought back. */
export async function requireViewer(request: Request): Promise<SessionViewer> {
  const state = await loadViewerState(request);
  if (state.kind === "signed-in") return state.viewer;
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  if (state.kind === "needs-two-factor") {
    throw redirect(`/sign-in/two-factor?redirectTo=${encodeURIComponent(back)}`);
  }
  throw redirect(`/sign-in?redirectTo=${encodeURIComponent(back)}`);
}
