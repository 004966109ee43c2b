import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadViewerState } from "~/auth/viewer.server";
import { useDatabaseForTests } from "~/db.server";
import * as policyPage from "~/routes/admin.security";
import * as secondStepPage from "~/routes/sign-in.two-factor";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import { insertUser, insertWorkspace, type TestGrant } from "../factories";
import { callRoute, cookieFor, routeRequest, startSession } from "../routes";

/*
 * /admin/security: the workspace's "two-factor sign-in for admins and leaders" policy.
 * Admins set it; anyone else gets 404; once on, a leader without a second factor is sent
 * to set one up before anything else.
 */

let handle: DatabaseHandle;
let workspaceId: number;
let otherWorkspaceId: number;
const ids: Record<string, number> = {};

/** A session as it is straight after the password step: second step not yet passed. */
async function passwordOnlyCookie(email: string, workspace = workspaceId): Promise<string> {
  return (await startSession(handle.db, ids[email] ?? 0, workspace, { twoFactorVerified: false })).cookie;
}

const request = (cookie: string) => routeRequest("/boards", { cookie });

async function policy(id = workspaceId): Promise<boolean> {
  const row = await handle.db
    .selectFrom("workspaces")
    .select("require_two_factor_for_privileged")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return row.require_two_factor_for_privileged;
}

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  workspaceId = (await insertWorkspace(handle.db, { slug: "north", name: "North" })).id;
  otherWorkspaceId = (await insertWorkspace(handle.db, { slug: "south", name: "South" })).id;
  const users: [string, number, TestGrant[]][] = [
    ["ada@north.test", workspaceId, [{ role: "admin" }]],
    ["lee@north.test", workspaceId, [{ role: "leader" }]],
    ["tom@north.test", workspaceId, []],
    ["sam@south.test", otherWorkspaceId, [{ role: "leader" }]],
  ];
  for (const [email, workspace, grants] of users) {
    ids[email] = (await insertUser(handle.db, workspace, { email, name: email.split("@")[0] }, grants)).id;
  }
  // Ada already has an authenticator app.
  await handle.db
    .updateTable("users")
    .set({ totp_key: new Uint8Array(20).fill(1) })
    .where("id", "=", ids["ada@north.test"] ?? 0)
    .execute();
});
afterAll(() => handle.close());

describe("/admin/security", () => {
  it("shows an admin the policy and who among the admins and leaders has no second factor", async () => {
    const outcome = await callRoute(policyPage, {
      path: "/admin/security",
      cookie: await cookieFor(handle.db, "ada@north.test"),
    });
    expect(outcome.status).toBe(200);
    expect(outcome.body).toMatchObject({
      required: false,
      // Lee only: Ada has an app, Tom is neither admin nor leader, Sam is in another workspace.
      without: [{ name: "lee", email: "lee@north.test", roles: "Leader" }],
      viewerWithout: false,
    });
  });

  it("answers 404 to a leader and to someone with no role, for the page and the form", async () => {
    for (const email of ["lee@north.test", "tom@north.test"]) {
      const cookie = await cookieFor(handle.db, email);
      expect((await callRoute(policyPage, { path: "/admin/security", cookie })).status).toBe(404);
      const post = await callRoute(policyPage, {
        method: "POST",
        path: "/admin/security",
        cookie,
        form: { requireTwoFactor: "on" },
      });
      expect(post.status).toBe(404);
    }
    expect(await policy()).toBe(false);
  });

  it("sends someone signed out to sign in", async () => {
    const outcome = await callRoute(policyPage, { path: "/admin/security" });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe("/sign-in?redirectTo=%2Fadmin%2Fsecurity");
  });

  it("lets an admin require two-factor sign-in, audited, for this workspace only", async () => {
    // Before: Lee signs in with a password alone and is let in.
    const leeCookie = await passwordOnlyCookie("lee@north.test");
    expect((await loadViewerState(request(leeCookie), handle.db)).kind).toBe("signed-in");

    const cookie = await cookieFor(handle.db, "ada@north.test");
    const saved = await callRoute(policyPage, {
      method: "POST",
      path: "/admin/security",
      cookie,
      form: { requireTwoFactor: "on" },
    });
    expect(saved).toMatchObject({ status: 302, location: "/admin/security?saved=1" });
    expect(await policy()).toBe(true);
    expect(await policy(otherWorkspaceId)).toBe(false);

    const audit = await handle.db
      .selectFrom("audit_events")
      .select(["workspace_id", "event", "entity_type", "entity_id", "actor_label", "changes"])
      .where("event", "=", "settings.changed")
      .execute();
    expect(audit).toEqual([
      {
        workspace_id: workspaceId,
        event: "settings.changed",
        entity_type: "workspace",
        entity_id: String(workspaceId),
        actor_label: "ada@north.test",
        changes: { require_two_factor_for_privileged: { from: false, to: true } },
      },
    ]);

    const page = await callRoute(policyPage, { path: "/admin/security?saved=1", cookie });
    expect(page.body).toMatchObject({ required: true, saved: true });

    // Saving the same value again changes nothing and audits nothing.
    await callRoute(policyPage, {
      method: "POST",
      path: "/admin/security",
      cookie,
      form: { requireTwoFactor: "on" },
    });
    const count = await handle.db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("event", "=", "settings.changed")
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("then sends a leader without a second factor to set one up", async () => {
    const leeCookie = await passwordOnlyCookie("lee@north.test");
    const state = await loadViewerState(request(leeCookie), handle.db);
    expect(state).toMatchObject({ kind: "needs-two-factor", userId: ids["lee@north.test"] });

    // The second-step page offers enrolment: a passkey, or an authenticator app.
    const page = await callRoute(secondStepPage, {
      path: "/sign-in/two-factor?redirectTo=%2Fboards",
      cookie: leeCookie,
    });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      mode: "enrol",
      passkey: { rp: { id: "localhost" }, attestation: "none" },
    });

    // Someone with no role is not affected.
    expect((await loadViewerState(request(await passwordOnlyCookie("tom@north.test")), handle.db)).kind).toBe(
      "signed-in",
    );
    // Nor is a leader of a workspace without the policy.
    const samCookie = await passwordOnlyCookie("sam@south.test", otherWorkspaceId);
    expect((await loadViewerState(request(samCookie), handle.db)).kind).toBe("signed-in");
  });

  it("lets an admin turn it off again (an unticked box sends nothing)", async () => {
    const cookie = await cookieFor(handle.db, "ada@north.test");
    const saved = await callRoute(policyPage, { method: "POST", path: "/admin/security", cookie, form: {} });
    expect(saved.status).toBe(302);
    expect(await policy()).toBe(false);
    const leeCookie = await passwordOnlyCookie("lee@north.test");
    expect((await loadViewerState(request(leeCookie), handle.db)).kind).toBe("signed-in");
  });
});
