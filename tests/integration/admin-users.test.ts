import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "~/auth/sign-in.server";
import { loadViewerState } from "~/auth/viewer.server";
import { useDatabaseForTests } from "~/db.server";
import * as usersPage from "~/routes/admin.users._index";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import { insertPartnership, insertUser, PASSWORD } from "../factories";
import { callRoute, fieldErrors, routeRequest, signedIn, startSession } from "../routes";

let handle: DatabaseHandle;
let north: Awaited<ReturnType<typeof insertPartnership>>;
let south: Awaited<ReturnType<typeof insertPartnership>>;
const id: Record<string, number> = {};
let adaCookie: string;

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const { db } = handle;
  north = await insertPartnership(db, "north");
  south = await insertPartnership(db, "south");
  id.ada = (await insertUser(db, north.workspaceId, { email: "ada@north.test" }, [{ role: "admin" }])).id;
  id.ben = (
    await insertUser(db, north.workspaceId, { email: "ben@north.test" }, [
      { role: "secretary", board_id: north.boardId },
      { role: "partner", agency_id: north.agencyId },
    ])
  ).id;
  id.cat = (await insertUser(db, north.workspaceId, { email: "cat@north.test" }, [{ role: "leader" }])).id;
  id.sol = (await insertUser(db, south.workspaceId, { email: "sol@south.test" }, [{ role: "admin" }])).id;
  adaCookie = await signedIn(handle.db, id.ada, north.workspaceId);
});
afterAll(() => handle.close());

type Page = Awaited<ReturnType<typeof usersPage.loader>>;

async function listPage(path = "/admin/users", cookie = adaCookie) {
  return callRoute(usersPage, { path, cookie });
}

function post(form: Record<string, string>, cookie = adaCookie) {
  return callRoute(usersPage, { method: "POST", path: "/admin/users", cookie, form });
}

async function eventsFor(event: string) {
  return handle.db
    .selectFrom("audit_events")
    .select(["workspace_id", "actor_user_id", "entity_id", "changes"])
    .where("event", "=", event)
    .orderBy("id")
    .execute();
}

describe("who may see the users page", () => {
  it("answers 404 to a signed-in user who is not an admin, for the page and every action", async () => {
    const cookie = await signedIn(handle.db, id.cat!, north.workspaceId);
    expect((await listPage("/admin/users", cookie)).status).toBe(404);
    for (const intent of ["disable", "enable", "end-sessions"]) {
      expect((await post({ intent, userId: String(id.ben) }, cookie)).status).toBe(404);
    }
    expect((await post({ intent: "grant", userId: String(id.cat), role: "admin" }, cookie)).status).toBe(404);
    const cat = await loadViewerState(routeRequest("/", { cookie }), handle.db);
    expect(cat.kind === "signed-in" && cat.viewer.roles.admin).toBe(false);
  });

  it("sends a signed-out visitor to sign in", async () => {
    const page = await callRoute(usersPage, { path: "/admin/users" });
    expect(page.status).toBe(302);
    expect(page.location).toBe("/sign-in?redirectTo=%2Fadmin%2Fusers");
  });
});

describe("the list", () => {
  it("shows this workspace's users with roles, last sign-in and status, and no one else's", async () => {
    await signIn(handle.db, { email: "ben@north.test", password: PASSWORD, ip: "192.0.2.1" });
    const page = await listPage();
    expect(page.status).toBe(200);
    const { users } = page.body as Page;
    expect(users.map((u) => u.email)).toEqual(["ada@north.test", "ben@north.test", "cat@north.test"]);
    const ben = users.find((u) => u.email === "ben@north.test")!;
    expect(ben.grants.map((g) => g.label)).toEqual(["secretary of north LCJB", "partner for north Police"]);
    expect(ben.lastSignIn).toMatch(/^\d{1,2} \w+ \d{4}, \d{1,2}:\d{2}(am|pm)$/);
    expect(ben.activeSessions).toBe(1);
    expect(ben.disabled).toBe(false);
    expect(users.find((u) => u.email === "cat@north.test")!.lastSignIn).toBeNull();
    expect(users.find((u) => u.email === "ada@north.test")!.isViewer).toBe(true);
  });

  it("sorts and pages on the server from the address", async () => {
    const byEmail = (await listPage("/admin/users?sort=email&dir=desc")).body as Page;
    expect(byEmail.users.map((u) => u.email)).toEqual(["cat@north.test", "ben@north.test", "ada@north.test"]);
    expect(byEmail.table).toMatchObject({ sort: "email", dir: "desc" });
    const bySignIn = (await listPage("/admin/users?sort=last-sign-in")).body as Page;
    expect(bySignIn.table.dir).toBe("desc");
    expect(bySignIn.users[0]!.email).toBe("ben@north.test");
    const nonsense = (await listPage("/admin/users?sort=password_hash&dir=sideways")).body as Page;
    expect(nonsense.table).toMatchObject({ sort: "name", dir: "asc" });

    const second = (await listPage("/admin/users?pageSize=2&page=2")).body as Page;
    expect(second.total).toBe(3);
    expect(second.users.map((u) => u.email)).toEqual(["cat@north.test"]);
  });
});

describe("changing accounts", () => {
  it("disables an account, ending its sessions, and enables it again", async () => {
    const benCookie = await signedIn(handle.db, id.ben!, north.workspaceId);
    const disabled = await post({ intent: "disable", userId: String(id.ben) });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({
      notice: "Ben’s account is disabled and they have been signed out",
    });
    expect((await loadViewerState(routeRequest("/", { cookie: benCookie }), handle.db)).kind).toBe(
      "signed-out",
    );
    expect(
      await handle.db.selectFrom("sessions").select("id").where("user_id", "=", id.ben!).execute(),
    ).toEqual([]);
    const [event] = await eventsFor("user.disabled");
    expect(event).toMatchObject({
      workspace_id: north.workspaceId,
      actor_user_id: id.ada,
      entity_id: String(id.ben),
    });
    expect(event!.changes).toMatchObject({ sessions_ended: 2 });
    const listed = ((await listPage()).body as Page).users.find((u) => u.id === id.ben)!;
    expect(listed.disabled).toBe(true);

    const enabled = await post({ intent: "enable", userId: String(id.ben) });
    expect(enabled.body).toMatchObject({ notice: "Ben’s account is enabled" });
    expect(await eventsFor("user.enabled")).toHaveLength(1);
    expect(
      (await signIn(handle.db, { email: "ben@north.test", password: PASSWORD, ip: "192.0.2.2" })).kind,
    ).toBe("signed-in");
  });

  it("will not let an admin disable themselves", async () => {
    const refused = await post({ intent: "disable", userId: String(id.ada) });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: "You cannot disable your own account", userId: id.ada });
    const ada = await handle.db
      .selectFrom("users")
      .select("disabled_at")
      .where("id", "=", id.ada!)
      .executeTakeFirstOrThrow();
    expect(ada.disabled_at).toBeNull();
  });

  it("ends every session of a user, or every other one of the admin's own", async () => {
    await handle.db.deleteFrom("sessions").where("user_id", "=", id.cat!).execute();
    await startSession(handle.db, id.cat!, north.workspaceId, { twoFactorVerified: false });
    await startSession(handle.db, id.cat!, south.workspaceId, { twoFactorVerified: false });
    const ended = await post({ intent: "end-sessions", userId: String(id.cat) });
    expect(ended.body).toMatchObject({ notice: "Signed Cat out of 2 sessions" });
    expect(
      await handle.db.selectFrom("sessions").select("id").where("user_id", "=", id.cat!).execute(),
    ).toEqual([]);
    expect((await eventsFor("sessions.ended")).at(-1)).toMatchObject({
      entity_id: String(id.cat),
      changes: { sessions_ended: 2 },
    });

    const otherAda = await signedIn(handle.db, id.ada!, north.workspaceId);
    const own = await post({ intent: "end-sessions", userId: String(id.ada) });
    expect(own.body).toMatchObject({ notice: "Signed you out of 1 other session" });
    expect((await loadViewerState(routeRequest("/", { cookie: adaCookie }), handle.db)).kind).toBe(
      "signed-in",
    );
    expect((await loadViewerState(routeRequest("/", { cookie: otherAda }), handle.db)).kind).toBe(
      "signed-out",
    );
  });

  it("answers 404 for a user of another workspace, or nonsense", async () => {
    for (const intent of ["disable", "enable", "end-sessions"]) {
      expect((await post({ intent, userId: String(id.sol) })).status).toBe(404);
    }
    expect((await post({ intent: "grant", userId: String(id.sol), role: "leader" })).status).toBe(404);
    const sol = await handle.db
      .selectFrom("users")
      .select("disabled_at")
      .where("id", "=", id.sol!)
      .executeTakeFirstOrThrow();
    expect(sol.disabled_at).toBeNull();
    expect((await post({ intent: "disable", userId: "abc" })).status).toBe(400);
    expect((await post({ intent: "explode", userId: String(id.ben) })).status).toBe(400);
  });
});

describe("roles", () => {
  it("adds a role, and says so when the user already has it", async () => {
    const added = await post({
      intent: "grant",
      userId: String(id.cat),
      role: "member",
      boardId: String(north.boardId),
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ notice: "Cat is now member of north LCJB" });
    const event = (await eventsFor("role.granted")).at(-1);
    expect(event).toMatchObject({
      workspace_id: north.workspaceId,
      entity_id: String(id.cat),
      changes: { role: "member", board_id: north.boardId, agency_id: null },
    });

    const again = await post({
      intent: "grant",
      userId: String(id.cat),
      role: "member",
      boardId: String(north.boardId),
    });
    expect(again.status).toBe(400);
    expect(fieldErrors(again.body, "role")).toEqual(["Cat is already member of north LCJB"]);
    expect((again.body as { userId: number }).userId).toBe(id.cat);
  });

  it("refuses a role without its board, or with another workspace's board, keeping the choice", async () => {
    const missing = await post({ intent: "grant", userId: String(id.cat), role: "secretary" });
    expect(missing.status).toBe(400);
    expect(fieldErrors(missing.body, "boardId")).toEqual(["Select the board for this role"]);
    expect((missing.body as { result: { initialValue: { role: string } } }).result.initialValue.role).toBe(
      "secretary",
    );

    const foreign = await post({
      intent: "grant",
      userId: String(id.cat),
      role: "secretary",
      boardId: String(south.boardId),
    });
    expect(fieldErrors(foreign.body, "boardId")).toEqual(["Select a board from the list"]);
    const noRole = await post({ intent: "grant", userId: String(id.cat) });
    expect(fieldErrors(noRole.body, "role")).toEqual(["Select a role"]);
  });

  it("removes a role, but never the last admin", async () => {
    const grants = await handle.db
      .selectFrom("role_grants")
      .select(["id", "role", "user_id"])
      .where("workspace_id", "=", north.workspaceId)
      .execute();
    const benPartner = grants.find((g) => g.user_id === id.ben && g.role === "partner")!;
    const removed = await post({ intent: "revoke", userId: String(id.ben), grantId: String(benPartner.id) });
    expect(removed.body).toMatchObject({ notice: "Ben is no longer partner for north Police" });
    expect((await eventsFor("role.revoked")).at(-1)).toMatchObject({
      entity_id: String(id.ben),
      changes: { role: "partner", agency_id: north.agencyId },
    });

    const adaAdmin = grants.find((g) => g.user_id === id.ada && g.role === "admin")!;
    const last = await post({ intent: "revoke", userId: String(id.ada), grantId: String(adaAdmin.id) });
    expect(last.status).toBe(400);
    expect((last.body as { error: string }).error).toMatch(/^You cannot remove the last admin/);

    // With a second admin, one admin's role can go, but then the other is the last again.
    await post({ intent: "grant", userId: String(id.cat), role: "admin" });
    const catAdmin = await handle.db
      .selectFrom("role_grants")
      .select("id")
      .where("user_id", "=", id.cat!)
      .where("role", "=", "admin")
      .executeTakeFirstOrThrow();
    // A disabled admin does not count: Cat disabled leaves Ada the only enabled admin.
    await post({ intent: "disable", userId: String(id.cat) });
    expect(
      (await post({ intent: "revoke", userId: String(id.ada), grantId: String(adaAdmin.id) })).status,
    ).toBe(400);
    await post({ intent: "enable", userId: String(id.cat) });

    const catCookie = await signedIn(handle.db, id.cat!, north.workspaceId);
    const byCat = await post(
      { intent: "revoke", userId: String(id.ada), grantId: String(adaAdmin.id) },
      catCookie,
    );
    expect(byCat.status).toBe(200);
    const selfLast = await post(
      { intent: "revoke", userId: String(id.cat), grantId: String(catAdmin.id) },
      catCookie,
    );
    expect(selfLast.status).toBe(400);
    // Cat cannot be disabled by anyone now that they are the only admin, and cannot disable themselves.
    expect((await post({ intent: "disable", userId: String(id.cat) }, catCookie)).status).toBe(400);
  });

  it("answers 404 for a role of another workspace, or one that is not the user's", async () => {
    const solGrant = await handle.db
      .selectFrom("role_grants")
      .select("id")
      .where("user_id", "=", id.sol!)
      .executeTakeFirstOrThrow();
    const catCookie = await signedIn(handle.db, id.cat!, north.workspaceId);
    expect(
      (await post({ intent: "revoke", userId: String(id.sol), grantId: String(solGrant.id) }, catCookie))
        .status,
    ).toBe(404);
    expect(
      (await post({ intent: "revoke", userId: String(id.ben), grantId: String(solGrant.id) }, catCookie))
        .status,
    ).toBe(404);
    expect(
      await handle.db.selectFrom("role_grants").select("id").where("id", "=", solGrant.id).execute(),
    ).toHaveLength(1);
  });
});
