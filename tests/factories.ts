import type { Insertable, Kysely } from "kysely";
import { hashPassword } from "../app/auth/passwords.server";
import { type Grant, rolesFrom, type SessionViewer } from "../app/auth/viewer.server";
import type {
  AgenciesTable,
  AttendanceTable,
  BoardsTable,
  Database,
  MeetingsTable,
  MembershipsTable,
  PeopleTable,
} from "../db/schema";
import { scopeToWorkspace } from "../db/tenancy";

/*
 * Row factories and a Viewer for domain tests: insert exactly the rows a test needs with
 * sensible defaults, and build the Viewer a signed-in user with given grants would get
 * (without going through sessions or cookies). For a session cookie, see ./routes.ts.
 */

type Db = Kysely<Database>;

let sequence = 0;
const next = () => ++sequence;

type WithoutWorkspace<T> = Omit<Insertable<T>, "workspace_id">;

export async function insertWorkspace(db: Db, values: { slug?: string; name?: string } = {}) {
  const n = next();
  return db
    .insertInto("workspaces")
    .values({ slug: values.slug ?? `workspace-${n}`, name: values.name ?? `Workspace ${n}` })
    .returning(["id", "slug", "name"])
    .executeTakeFirstOrThrow();
}

export async function insertAgency(
  db: Db,
  workspaceId: number,
  values: Partial<WithoutWorkspace<AgenciesTable>> = {},
) {
  return db
    .insertInto("agencies")
    .values({ name: `Agency ${next()}`, type: "police", ...values, workspace_id: workspaceId })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
}

export async function insertPerson(
  db: Db,
  workspaceId: number,
  values: Partial<WithoutWorkspace<PeopleTable>> & { agency_id: number },
) {
  return db
    .insertInto("people")
    .values({ full_name: `Person ${next()}`, ...values, workspace_id: workspaceId })
    .returning(["id", "full_name"])
    .executeTakeFirstOrThrow();
}

export async function insertBoard(
  db: Db,
  workspaceId: number,
  values: Partial<WithoutWorkspace<BoardsTable>> = {},
) {
  const n = next();
  return db
    .insertInto("boards")
    .values({
      name: `Board ${n}`,
      slug: `board-${n}`,
      type: "other",
      level: "local",
      frequency: "monthly",
      ...values,
      workspace_id: workspaceId,
    })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
}

export async function insertMembership(
  db: Db,
  workspaceId: number,
  values: Partial<WithoutWorkspace<MembershipsTable>> & {
    board_id: number;
    person_id: number;
    agency_id: number;
  },
) {
  return db
    .insertInto("memberships")
    .values({ role: "member", from_date: "2020-01-01", ...values, workspace_id: workspaceId })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function insertMeeting(
  db: Db,
  workspaceId: number,
  values: Partial<WithoutWorkspace<MeetingsTable>> & { board_id: number; starts_at: Date | string },
) {
  const status = values.status ?? "scheduled";
  return db
    .insertInto("meetings")
    .values({
      duration_minutes: 120,
      format: "in_person",
      cancelled_reason: status === "cancelled" ? "Not quorate" : null,
      ...values,
      status,
      workspace_id: workspaceId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function insertAttendance(
  db: Db,
  workspaceId: number,
  values: Partial<WithoutWorkspace<AttendanceTable>> & { meeting_id: number; person_id: number },
) {
  return db
    .insertInto("attendance")
    .values({ ...values, workspace_id: workspaceId })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/**
 * A workspace with one board and one agency, named from its slug: "north" is North partnership,
 * with the board "north LCJB" and the agency "north Police".
 */
export async function insertPartnership(db: Db, slug: string) {
  const workspaceId = (
    await insertWorkspace(db, { slug, name: `${slug[0]!.toUpperCase()}${slug.slice(1)} partnership` })
  ).id;
  const boardId = (await insertBoard(db, workspaceId, { name: `${slug} LCJB`, slug: "lcjb", type: "lcjb" }))
    .id;
  const agencyId = (await insertAgency(db, workspaceId, { name: `${slug} Police`, type: "police" })).id;
  return { workspaceId, boardId, agencyId };
}

export type TestGrant = Pick<Grant, "role"> & Partial<Pick<Grant, "board_id" | "agency_id">>;

/** The password of every user insertUser makes, unless the test gives another (or null: none). */
export const PASSWORD = "correct horse battery staple";

const passwordHashes = new Map<string, Promise<string>>();

/**
 * A user of the workspace with these grants. The account is created if the email is new;
 * otherwise the existing account (as it is) joins this workspace too. Its name defaults to
 * the email's first part with a capital: ada@north.test is Ada.
 */
export async function insertUser(
  db: Db,
  workspaceId: number,
  values: {
    email: string;
    name?: string;
    password?: string | null;
    /** The person record the account is linked to in this workspace. */
    person_id?: number | null;
  },
  grants: readonly TestGrant[] = [],
) {
  const password = values.password === undefined ? PASSWORD : values.password;
  let hash: Promise<string> | null = null;
  if (password !== null) {
    hash = passwordHashes.get(password) ?? hashPassword(password);
    passwordHashes.set(password, hash);
  }
  const user =
    (await db
      .selectFrom("users")
      .select(["id", "email", "name"])
      .where("email", "=", values.email)
      .executeTakeFirst()) ??
    (await db
      .insertInto("users")
      .values({
        email: values.email,
        name: values.name ?? values.email.split("@")[0]!.replace(/^./, (c) => c.toUpperCase()),
        password_hash: await hash,
      })
      .returning(["id", "email", "name"])
      .executeTakeFirstOrThrow());
  await db
    .insertInto("workspace_users")
    .values({ workspace_id: workspaceId, user_id: user.id, person_id: values.person_id ?? null })
    .execute();
  for (const grant of grants) {
    await db
      .insertInto("role_grants")
      .values({
        workspace_id: workspaceId,
        user_id: user.id,
        role: grant.role,
        board_id: grant.board_id ?? null,
        agency_id: grant.agency_id ?? null,
      })
      .execute();
  }
  return user;
}

/** The Viewer of a user with these grants in this workspace, as loadViewerState would build it. */
export function makeViewer(
  db: Db,
  workspaceId: number,
  grants: readonly TestGrant[],
  options: { userId?: number; name?: string; personId?: number | null; agencyId?: number | null } = {},
): SessionViewer {
  const userId = options.userId ?? next();
  const now = new Date();
  const workspace = { id: workspaceId, slug: `workspace-${workspaceId}`, name: `Workspace ${workspaceId}` };
  return {
    user: { id: userId, name: options.name ?? `User ${userId}`, email: `user${userId}@example.test` },
    session: {
      id: `session-${userId}`,
      userId,
      workspaceId,
      twoFactorVerified: true,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + 3_600_000),
    },
    workspace,
    workspaces: [workspace],
    db: scopeToWorkspace(db, workspaceId),
    roles: rolesFrom(
      grants.map((g) => ({ role: g.role, board_id: g.board_id ?? null, agency_id: g.agency_id ?? null })),
    ),
    personId: options.personId ?? null,
    agencyId: options.agencyId ?? null,
  };
}
