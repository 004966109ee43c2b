import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  findPasswordReset,
  RESET_EMAILS_PER_HOUR,
  RESET_LIFETIME_MS,
  requestPasswordReset,
  resetPassword,
} from "~/auth/password-reset.server";
import { verifyPassword } from "~/auth/passwords.server";
import { signIn } from "~/auth/sign-in.server";
import { loadViewerState } from "~/auth/viewer.server";
import { useDatabaseForTests } from "~/db.server";
import { clearRecordedMail, recordedMail } from "~/mail/mailer.server";
import * as forgotPage from "~/routes/forgot-password";
import * as resetPage from "~/routes/reset-password.$token";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import { insertPartnership, insertUser, PASSWORD } from "../factories";
import { callRoute, fieldErrors, routeRequest, signedIn } from "../routes";

let handle: DatabaseHandle;
let north: Awaited<ReturnType<typeof insertPartnership>>;
let south: Awaited<ReturnType<typeof insertPartnership>>;
let robinId: number;

const NEW_PASSWORD = "quiet harbour lanterns";
const sha256Hex = (text: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(text)));

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  north = await insertPartnership(handle.db, "north");
  south = await insertPartnership(handle.db, "south");
  // Robin belongs to two workspaces.
  robinId = (
    await insertUser(handle.db, north.workspaceId, { email: "robin@north.test" }, [{ role: "leader" }])
  ).id;
  await insertUser(handle.db, south.workspaceId, { email: "robin@north.test" }, [{ role: "leader" }]);
});
afterAll(() => handle.close());
beforeEach(() => clearRecordedMail());

function ask(email: string) {
  return callRoute(forgotPage, { method: "POST", path: "/forgot-password", form: { email } });
}

function linkToken(): string {
  const match = /http:\/\/localhost\/reset-password\/([a-z2-7]+)/.exec(recordedMail().at(-1)?.text ?? "");
  if (!match) throw new Error("no reset link was sent");
  return match[1]!;
}

function submit(token: string, form: Record<string, string>) {
  return callRoute(resetPage, { method: "POST", path: `/reset-password/${token}`, form, params: { token } });
}

describe("asking for a reset link", () => {
  it("answers the same for an account that exists and one that does not", async () => {
    const known = await ask("Robin@North.test");
    const unknown = await ask("nobody@north.test");
    expect(known).toEqual(unknown);
    expect(known.status).toBe(200);
    expect(known.body).toEqual({
      sent: true,
      message: "If an account exists for that address, we have sent a link",
    });
    expect(recordedMail().map((m) => m.to)).toEqual(["robin@north.test"]);
  });

  it("stores only the hash of a token that works once, for an hour", async () => {
    const before = Date.now();
    await ask("robin@north.test");
    const token = linkToken();
    const row = await handle.db
      .selectFrom("one_time_tokens")
      .selectAll()
      .where("token_hash", "=", sha256Hex(token))
      .executeTakeFirstOrThrow();
    expect(row.purpose).toBe("password_reset");
    expect(row.user_id).toBe(robinId);
    expect(row.used_at).toBeNull();
    expect(row.expires_at.getTime() - before).toBeGreaterThanOrEqual(RESET_LIFETIME_MS - 1000);
    expect(row.expires_at.getTime() - Date.now()).toBeLessThanOrEqual(RESET_LIFETIME_MS);
    const everything = await handle.db.selectFrom("one_time_tokens").selectAll().execute();
    expect(JSON.stringify(everything)).not.toContain(token);
  });

  it("refuses an address that is not an email address, keeping what was typed", async () => {
    const bad = await ask("robin at north");
    expect(bad.status).toBe(400);
    expect(fieldErrors(bad.body, "email")).toEqual([
      "Enter an email address in the correct format, like name@example.org",
    ]);
    expect((bad.body as { result: { initialValue: { email: string } } }).result.initialValue.email).toBe(
      "robin at north",
    );
  });

  it("sends at most 3 links an hour to one address, without saying so", async () => {
    const throttled = (await insertUser(handle.db, north.workspaceId, { email: "tess@north.test" })).id;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await ask("tess@north.test"));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(recordedMail().filter((m) => m.to === "tess@north.test")).toHaveLength(RESET_EMAILS_PER_HOUR);

    // An hour later, another may be sent.
    clearRecordedMail();
    const later = new Date(Date.now() + 61 * 60 * 1000);
    await requestPasswordReset(handle.db, { email: "tess@north.test", baseUrl: "http://localhost" }, later);
    expect(recordedMail()).toHaveLength(1);
    expect(throttled).toBeGreaterThan(0);
  });

  it("sends nothing to a disabled account", async () => {
    const id = (await insertUser(handle.db, north.workspaceId, { email: "dee@north.test" })).id;
    await handle.db.updateTable("users").set({ disabled_at: new Date() }).where("id", "=", id).execute();
    const answer = await ask("dee@north.test");
    expect(answer.status).toBe(200);
    expect(recordedMail()).toHaveLength(0);
  });
});

describe("choosing a new password", () => {
  it("sets it, ends every session, voids other links and records it in each workspace", async () => {
    const northCookie = await signedIn(handle.db, robinId, north.workspaceId);
    const southCookie = await signedIn(handle.db, robinId, south.workspaceId);
    await ask("robin@north.test");
    const older = linkToken();
    await ask("robin@north.test");
    const token = linkToken();

    const page = await callRoute(resetPage, { path: `/reset-password/${token}`, params: { token } });
    expect(page).toMatchObject({ status: 200, body: { state: "valid", email: "robin@north.test" } });

    const weak = await submit(token, { password: "robin@north.test1", confirm: "robin@north.test1" });
    expect(weak.status).toBe(400);
    expect(fieldErrors(weak.body, "password")).toEqual(["Your password must not contain your email address"]);
    const short = await submit(token, { password: "short", confirm: "short" });
    expect(fieldErrors(short.body, "password")[0]).toMatch(/at least 8 characters/);
    const mismatch = await submit(token, { password: NEW_PASSWORD, confirm: "something else" });
    expect(fieldErrors(mismatch.body, "confirm")).toEqual(["Enter the same password twice"]);
    const empty = await submit(token, {});
    expect(fieldErrors(empty.body, "password")).toEqual(["Enter a new password"]);
    // A refused password does not use up the link.
    expect((await findPasswordReset(handle.db, token)).state).toBe("valid");

    const started = new Date();
    const done = await submit(token, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(done.status).toBe(302);
    expect(done.location).toBe("/reset-password/done");

    const user = await handle.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", robinId)
      .executeTakeFirstOrThrow();
    expect(await verifyPassword(user.password_hash!, NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(user.password_hash!, PASSWORD)).toBe(false);
    expect(user.password_changed_at!.getTime()).toBeGreaterThanOrEqual(started.getTime() - 1000);

    for (const cookie of [northCookie, southCookie]) {
      expect((await loadViewerState(routeRequest("/", { cookie }), handle.db)).kind).toBe("signed-out");
    }
    expect(
      await handle.db.selectFrom("sessions").select("id").where("user_id", "=", robinId).execute(),
    ).toEqual([]);

    // Used, and the earlier link is void too.
    for (const used of [token, older]) {
      const again = await callRoute(resetPage, { path: `/reset-password/${used}`, params: { token: used } });
      expect(again).toMatchObject({ status: 410, body: { state: "invalid" } });
      expect(
        (await submit(used, { password: "another fine passphrase", confirm: "another fine passphrase" }))
          .status,
      ).toBe(410);
    }

    const events = await handle.db
      .selectFrom("audit_events")
      .select(["workspace_id", "actor_user_id", "changes"])
      .where("event", "=", "password.reset")
      .execute();
    expect(events.map((e) => e.workspace_id).sort()).toEqual([north.workspaceId, south.workspaceId].sort());
    expect(events.every((e) => e.actor_user_id === robinId)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(NEW_PASSWORD);

    const signedInAgain = await signIn(handle.db, {
      email: "robin@north.test",
      password: NEW_PASSWORD,
      ip: "192.0.2.50",
    });
    expect(signedInAgain.kind).toBe("signed-in");
  });

  it("refuses an expired, tampered or unknown link with the expired page", async () => {
    const uma = (await insertUser(handle.db, north.workspaceId, { email: "uma@north.test" })).id;
    const hourAndABitAgo = new Date(Date.now() - RESET_LIFETIME_MS - 60_000);
    await requestPasswordReset(
      handle.db,
      { email: "uma@north.test", baseUrl: "http://localhost" },
      hourAndABitAgo,
    );
    const expired = linkToken();
    await ask("uma@north.test");
    const fresh = linkToken();
    const tampered = `${fresh.slice(0, -1)}${fresh.endsWith("a") ? "b" : "a"}`;
    for (const token of [expired, tampered, "not-a-token", "a".repeat(52), ""]) {
      const page = await callRoute(resetPage, { path: `/reset-password/${token}`, params: { token } });
      expect(page, token).toMatchObject({ status: 410, body: { state: "invalid" } });
      expect((await submit(token, { password: NEW_PASSWORD, confirm: NEW_PASSWORD })).status).toBe(410);
    }
    const user = await handle.db
      .selectFrom("users")
      .select("password_hash")
      .where("id", "=", uma)
      .executeTakeFirstOrThrow();
    expect(await verifyPassword(user.password_hash!, PASSWORD)).toBe(true);
  });

  it("refuses a link once the account is disabled", async () => {
    const id = (await insertUser(handle.db, north.workspaceId, { email: "vera@north.test" })).id;
    await ask("vera@north.test");
    const token = linkToken();
    await handle.db.updateTable("users").set({ disabled_at: new Date() }).where("id", "=", id).execute();
    expect((await findPasswordReset(handle.db, token)).state).toBe("invalid");
    const result = await resetPassword(handle.db, token, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it("lets only one of two simultaneous resets through", async () => {
    await insertUser(handle.db, north.workspaceId, { email: "wyn@north.test" });
    await ask("wyn@north.test");
    const token = linkToken();
    const results = await Promise.all([
      submit(token, { password: NEW_PASSWORD, confirm: NEW_PASSWORD }),
      submit(token, { password: "a different passphrase", confirm: "a different passphrase" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([302, 410]);
  });
});
