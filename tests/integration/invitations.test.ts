import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createInvitation,
  INVALID_INVITATION_MESSAGE,
  INVITATION_LIFETIME_MS,
} from "~/auth/invitations.server";
import { verifyPassword } from "~/auth/passwords.server";
import { loadViewerState } from "~/auth/viewer.server";
import { useDatabaseForTests } from "~/db.server";
import { clearRecordedMail, recordedMail } from "~/mail/mailer.server";
import * as invitePage from "~/routes/admin.users.invite";
import * as invitationPage from "~/routes/invitations.$token";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import { insertPartnership, insertUser } from "../factories";
import { callRoute, cookieFromSetCookie, fieldErrors, routeRequest, signedIn } from "../routes";

let handle: DatabaseHandle;
let north: Awaited<ReturnType<typeof insertPartnership>>;
let south: Awaited<ReturnType<typeof insertPartnership>>;
let adminId: number;
let adminCookie: string;
let leaderCookie: string;

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  north = await insertPartnership(handle.db, "north");
  south = await insertPartnership(handle.db, "south");
  adminId = (await insertUser(handle.db, north.workspaceId, { email: "ada@north.test" }, [{ role: "admin" }]))
    .id;
  adminCookie = await signedIn(handle.db, adminId, north.workspaceId);
  const leaderId = (
    await insertUser(handle.db, north.workspaceId, { email: "lee@north.test" }, [{ role: "leader" }])
  ).id;
  leaderCookie = await signedIn(handle.db, leaderId, north.workspaceId);
});
afterAll(() => handle.close());
beforeEach(() => clearRecordedMail());

const sha256Hex = (text: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(text)));

/** Invites through the page as the admin; returns the token from the email. */
async function invite(form: Record<string, string>): Promise<string> {
  const result = await callRoute(invitePage, {
    method: "POST",
    path: "/admin/users/invite",
    cookie: adminCookie,
    form,
  });
  expect(result.status).toBe(302);
  const mail = recordedMail().at(-1);
  const link = /http:\/\/localhost\/invitations\/(\S+)/.exec(mail?.text ?? "");
  expect(link).not.toBeNull();
  return link![1]!;
}

function openLink(token: string, cookie?: string) {
  return callRoute(invitationPage, { path: `/invitations/${token}`, cookie, params: { token } });
}

function register(token: string, form: Record<string, string>, cookie?: string) {
  return callRoute(invitationPage, {
    method: "POST",
    path: `/invitations/${token}`,
    cookie,
    form: { intent: "register", ...form },
    params: { token },
  });
}

describe("inviting", () => {
  it("answers 404 to anyone but an admin", async () => {
    expect((await callRoute(invitePage, { path: "/admin/users/invite", cookie: leaderCookie })).status).toBe(
      404,
    );
    const post = await callRoute(invitePage, {
      method: "POST",
      path: "/admin/users/invite",
      cookie: leaderCookie,
      form: { email: "x@north.test", role: "leader" },
    });
    expect(post.status).toBe(404);
    expect(recordedMail()).toHaveLength(0);
    const signedOut = await callRoute(invitePage, { path: "/admin/users/invite" });
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toBe("/sign-in?redirectTo=%2Fadmin%2Fusers%2Finvite");
  });

  it("stores only a hash of the token, expires in 7 days, emails the link and records the event", async () => {
    const before = Date.now();
    const result = await callRoute(invitePage, {
      method: "POST",
      path: "/admin/users/invite",
      cookie: adminCookie,
      form: { email: " Sam.Secretary@North.test ", role: "secretary", boardId: String(north.boardId) },
    });
    expect(result.status).toBe(302);
    expect(result.location).toBe("/admin/users?invited=sam.secretary%40north.test");

    const mail = recordedMail();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to).toBe("sam.secretary@north.test");
    expect(mail[0]!.text).toContain("as secretary of north LCJB");
    const token = /http:\/\/localhost\/invitations\/(\S+)/.exec(mail[0]!.text)![1]!;
    expect(token).toMatch(new RegExp(`^${north.workspaceId}\\.[a-z2-7]{52}$`));

    const row = await handle.db
      .selectFrom("invitations")
      .selectAll()
      .where("email", "=", "sam.secretary@north.test")
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token.split(".")[1]);
    expect(row.role).toBe("secretary");
    expect(row.board_id).toBe(north.boardId);
    expect(row.invited_by).toBe(adminId);
    expect(row.expires_at.getTime() - before).toBeGreaterThanOrEqual(INVITATION_LIFETIME_MS - 1000);
    expect(row.expires_at.getTime() - Date.now()).toBeLessThanOrEqual(INVITATION_LIFETIME_MS);

    const audit = await handle.db
      .selectFrom("audit_events")
      .selectAll()
      .where("event", "=", "invitation.created")
      .where("entity_id", "=", String(row.id))
      .executeTakeFirstOrThrow();
    expect(audit.workspace_id).toBe(north.workspaceId);
    expect(audit.actor_user_id).toBe(adminId);
    expect(JSON.stringify(audit.changes)).not.toContain(token.split(".")[1]);
  });

  it("refuses a role without its board or agency, or with another workspace's, keeping what was typed", async () => {
    const noBoard = await callRoute(invitePage, {
      method: "POST",
      path: "/admin/users/invite",
      cookie: adminCookie,
      form: { email: "kim@north.test", role: "member" },
    });
    expect(noBoard.status).toBe(400);
    expect(fieldErrors(noBoard.body, "boardId")).toEqual(["Select the board for this role"]);
    expect((noBoard.body as { initialValue: Record<string, unknown> }).initialValue.email).toBe(
      "kim@north.test",
    );

    const foreignBoard = await callRoute(invitePage, {
      method: "POST",
      path: "/admin/users/invite",
      cookie: adminCookie,
      form: { email: "kim@north.test", role: "member", boardId: String(south.boardId) },
    });
    expect(foreignBoard.status).toBe(400);
    expect(fieldErrors(foreignBoard.body, "boardId")).toEqual(["Select a board from the list"]);

    const foreignAgency = await callRoute(invitePage, {
      method: "POST",
      path: "/admin/users/invite",
      cookie: adminCookie,
      form: { email: "kim@north.test", role: "partner", agencyId: String(south.agencyId) },
    });
    expect(fieldErrors(foreignAgency.body, "agencyId")).toEqual(["Select an agency from the list"]);

    const badEmail = await callRoute(invitePage, {
      method: "POST",
      path: "/admin/users/invite",
      cookie: adminCookie,
      form: { email: "kim", role: "leader" },
    });
    expect(fieldErrors(badEmail.body, "email")).toEqual([
      "Enter an email address in the correct format, like name@example.org",
    ]);

    const member = await callRoute(invitePage, {
      method: "POST",
      path: "/admin/users/invite",
      cookie: adminCookie,
      form: { email: "lee@north.test", role: "admin" },
    });
    expect(fieldErrors(member.body, "email")[0]).toMatch(/already has an account in this workspace/);
    expect(recordedMail()).toHaveLength(0);
    expect(
      await handle.db.selectFrom("invitations").select("id").where("email", "=", "kim@north.test").execute(),
    ).toEqual([]);
  });
});

describe("accepting as a new user", () => {
  it("creates the account, membership and role, uses up the link and signs the person in, in one go", async () => {
    const token = await invite({
      email: "pat@north.test",
      role: "partner",
      agencyId: String(north.agencyId),
    });
    // A person record with the same email is linked to the new account.
    const personId = (
      await handle.db
        .insertInto("people")
        .values({
          workspace_id: north.workspaceId,
          agency_id: north.agencyId,
          full_name: "Pat Partner",
          email: "pat@north.test",
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;

    const page = await openLink(token);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      state: "valid",
      mode: "register",
      email: "pat@north.test",
      roleLabel: "partner for north Police",
      workspaceName: "North partnership",
    });

    const weak = await register(token, { name: "Pat Partner", password: "password", confirm: "password" });
    expect(weak.status).toBe(400);
    expect(fieldErrors(weak.body, "password")[0]).toMatch(/most common/);
    const kept = (weak.body as { result: { initialValue: Record<string, unknown> } }).result.initialValue;
    expect(kept).toMatchObject({ name: "Pat Partner" });
    // The password typed is never sent back to the page.
    expect(kept).not.toHaveProperty("password");
    expect(kept).not.toHaveProperty("confirm");

    const mismatch = await register(token, {
      name: "Pat Partner",
      password: "lantern orchard velvet",
      confirm: "lantern orchard",
    });
    expect(fieldErrors(mismatch.body, "confirm")).toEqual(["Enter the same password twice"]);

    const noName = await register(token, {
      name: "  ",
      password: "lantern orchard velvet",
      confirm: "lantern orchard velvet",
    });
    expect(fieldErrors(noName.body, "name")).toEqual(["Enter your full name"]);

    const accepted = await register(token, {
      name: "Pat Partner",
      password: "lantern orchard velvet",
      confirm: "lantern orchard velvet",
    });
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe("/");
    const cookie = cookieFromSetCookie(accepted.headers?.get("Set-Cookie"));
    expect(accepted.headers?.get("Set-Cookie")).toMatch(/HttpOnly; SameSite=Lax/);

    const user = await handle.db
      .selectFrom("users")
      .selectAll()
      .where("email", "=", "pat@north.test")
      .executeTakeFirstOrThrow();
    expect(user.name).toBe("Pat Partner");
    expect(await verifyPassword(user.password_hash!, "lantern orchard velvet")).toBe(true);
    const membership = await handle.db
      .selectFrom("workspace_users")
      .selectAll()
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(membership).toMatchObject({ workspace_id: north.workspaceId, person_id: personId });
    const invitation = await handle.db
      .selectFrom("invitations")
      .select(["accepted_at", "id"])
      .where("token_hash", "=", sha256Hex(token))
      .executeTakeFirstOrThrow();
    expect(invitation.accepted_at).not.toBeNull();

    const state = await loadViewerState(routeRequest("/", { cookie }), handle.db);
    expect(state.kind).toBe("signed-in");
    if (state.kind !== "signed-in") return;
    expect(state.viewer.workspace.id).toBe(north.workspaceId);
    expect([...state.viewer.roles.partnerFor]).toEqual([north.agencyId]);
    expect(state.viewer.agencyId).toBe(north.agencyId);

    const events = await handle.db
      .selectFrom("audit_events")
      .select(["event", "actor_user_id", "entity_id"])
      .where("workspace_id", "=", north.workspaceId)
      .where("actor_user_id", "=", user.id)
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.event)).toEqual(["invitation.accepted", "role.granted"]);
    expect(events[0]!.entity_id).toBe(String(invitation.id));
  });

  it("shows the expired page, never an error, for a used, expired, replaced or tampered link", async () => {
    const token = await invite({ email: "una@north.test", role: "leader" });
    await register(token, {
      name: "Una",
      password: "lantern orchard velvet",
      confirm: "lantern orchard velvet",
    });

    const reused = await openLink(token);
    expect(reused.status).toBe(410);
    expect(reused.body).toEqual({ state: "invalid" });
    const reusedPost = await register(token, {
      name: "Una Again",
      password: "lantern orchard velvet",
      confirm: "lantern orchard velvet",
    });
    expect(reusedPost.status).toBe(410);
    expect(
      await handle.db.selectFrom("users").select("id").where("name", "=", "Una Again").execute(),
    ).toEqual([]);

    // Expired: made 8 days ago.
    const admin = await loadViewerState(routeRequest("/", { cookie: adminCookie }), handle.db);
    if (admin.kind !== "signed-in") throw new Error("admin not signed in");
    await createInvitation(
      admin.viewer,
      { email: "old@north.test", role: "leader" },
      { baseUrl: "http://localhost", now: new Date(Date.now() - 8 * 24 * 60 * 60 * 1000) },
    );
    const oldToken = /invitations\/(\S+)/.exec(recordedMail().at(-1)!.text)![1]!;
    expect((await openLink(oldToken)).status).toBe(410);
    expect(
      (
        await register(oldToken, {
          name: "Old",
          password: "lantern orchard velvet",
          confirm: "lantern orchard velvet",
        })
      ).status,
    ).toBe(410);

    // Inviting again replaces the earlier link.
    const first = await invite({ email: "vic@north.test", role: "leader" });
    const second = await invite({ email: "vic@north.test", role: "leader" });
    expect((await openLink(first)).status).toBe(410);
    expect((await openLink(second)).status).toBe(200);

    // Tampered: a changed secret, another workspace's id in front, or nonsense.
    const [ws, secret] = second.split(".") as [string, string];
    const changed = `${ws}.${secret.slice(0, -1)}${secret.endsWith("a") ? "b" : "a"}`;
    for (const bad of [
      changed,
      `${south.workspaceId}.${secret}`,
      `${ws}.${secret}x`,
      "nonsense",
      "0.abc",
      "99999999999.x",
      "",
    ]) {
      const opened = await openLink(bad);
      expect(opened.status, bad).toBe(404);
      expect(opened.body).toEqual({ state: "invalid" });
      const posted = await register(bad, {
        name: "Mallory",
        password: "lantern orchard velvet",
        confirm: "lantern orchard velvet",
      });
      expect(posted.status, bad).toBe(404);
    }
    expect(INVALID_INVITATION_MESSAGE).toBe("This invitation link has expired or has already been used");
  });

  it("lets only one of two simultaneous acceptances through", async () => {
    const token = await invite({ email: "rae@north.test", role: "leader" });
    const form = { name: "Rae", password: "lantern orchard velvet", confirm: "lantern orchard velvet" };
    const results = await Promise.all([register(token, form), register(token, form)]);
    expect(results.map((r) => r.status).sort()).toEqual([302, 410]);
    const grants = await handle.db
      .selectFrom("role_grants")
      .innerJoin("users", "users.id", "role_grants.user_id")
      .select("role_grants.id")
      .where("users.email", "=", "rae@north.test")
      .execute();
    expect(grants).toHaveLength(1);
  });
});

describe("accepting with an existing account", () => {
  let samId: number;
  let samSouthCookie: string;

  beforeAll(async () => {
    samId = (
      await insertUser(handle.db, south.workspaceId, { email: "sam@south.test" }, [{ role: "leader" }])
    ).id;
    samSouthCookie = await signedIn(handle.db, samId, south.workspaceId);
  });

  it("asks a signed-out person to sign in, and will not make a second account", async () => {
    const token = await invite({ email: "sam@south.test", role: "member", boardId: String(north.boardId) });
    const page = await openLink(token);
    expect(page.body).toMatchObject({
      mode: "sign-in",
      signInHref: `/sign-in?redirectTo=${encodeURIComponent(`/invitations/${token}`)}`,
    });

    const attempt = await register(token, {
      name: "Impostor",
      password: "lantern orchard velvet",
      confirm: "lantern orchard velvet",
    });
    expect(attempt.status).toBe(409);
    const reply = (attempt.body as { result: { error: Record<string, string[]> } }).result;
    expect(reply.error[""]).toEqual([
      "There is already an account for this email address. Sign in to accept the invitation",
    ]);
    // The link still works.
    expect((await openLink(token)).status).toBe(200);
    expect(
      (await handle.db.selectFrom("users").select("name").where("id", "=", samId).executeTakeFirstOrThrow())
        .name,
    ).not.toBe("Impostor");
  });

  it("adds the workspace and role once they are signed in, with a new session", async () => {
    const token = await invite({ email: "sam@south.test", role: "member", boardId: String(north.boardId) });
    const page = await openLink(token, samSouthCookie);
    expect(page.body).toMatchObject({ mode: "join", signedInAs: "sam@south.test" });

    const joined = await callRoute(invitationPage, {
      method: "POST",
      path: `/invitations/${token}`,
      cookie: samSouthCookie,
      form: { intent: "join" },
      params: {
        token,
      },
    });
    expect(joined.status).toBe(302);
    const cookie = cookieFromSetCookie(joined.headers?.get("Set-Cookie"));
    // The old session ended; the new one is in the invited workspace, with two-factor carried over.
    expect((await loadViewerState(routeRequest("/", { cookie: samSouthCookie }), handle.db)).kind).toBe(
      "signed-out",
    );
    const state = await loadViewerState(routeRequest("/", { cookie }), handle.db);
    if (state.kind !== "signed-in") throw new Error(`expected signed-in, got ${state.kind}`);
    expect(state.viewer.workspace.id).toBe(north.workspaceId);
    expect(state.viewer.session.twoFactorVerified).toBe(true);
    expect([...state.viewer.roles.memberOf]).toEqual([north.boardId]);
    expect(state.viewer.workspaces.map((w) => w.id).sort()).toEqual(
      [north.workspaceId, south.workspaceId].sort(),
    );
    // The account keeps its password and name; nothing was recreated.
    expect(
      await handle.db.selectFrom("users").select("id").where("email", "=", "sam@south.test").execute(),
    ).toHaveLength(1);
    samSouthCookie = cookie;
  });

  it("does not let someone signed in as another person accept it", async () => {
    const token = await invite({ email: "zoe@south.test", role: "leader" });
    const zoeId = (await insertUser(handle.db, south.workspaceId, { email: "zoe@south.test" }, [])).id;
    expect(zoeId).toBeGreaterThan(0);
    const page = await openLink(token, leaderCookie);
    expect(page.body).toMatchObject({
      mode: "wrong-account",
      signedInAs: "lee@north.test",
      email: "zoe@south.test",
    });
    const joined = await callRoute(invitationPage, {
      method: "POST",
      path: `/invitations/${token}`,
      cookie: leaderCookie,
      form: { intent: "join" },
      params: { token },
    });
    expect(joined.status).toBe(403);
    expect((await openLink(token)).status).toBe(200);
  });
});
