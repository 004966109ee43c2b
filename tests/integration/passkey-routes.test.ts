import { generateTOTP } from "@oslojs/otp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { displayKey, newTotpKey } from "~/auth/two-factor.server";
import { loadViewerState } from "~/auth/viewer.server";
import type { CreationOptionsJSON, RequestOptionsJSON } from "~/auth/webauthn";
import { useDatabaseForTests } from "~/db.server";
import * as passkeysPage from "~/routes/account.passkeys";
import * as secondStepPage from "~/routes/sign-in.two-factor";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import { insertUser, insertWorkspace } from "../factories";
import { callRoute, cookieFor, routeRequest, startSession } from "../routes";
import { SoftwareAuthenticator } from "../webauthn";

/*
 * The passkey pages end to end, with a software authenticator standing in for the browser:
 * add one on /account/passkeys, use it at /sign-in/two-factor, rename and remove it.
 */

const ORIGIN = "http://localhost"; // callRoute's requests are for http://localhost/…
let handle: DatabaseHandle;
let workspaceId: number;
let userId: number;
const savedAppUrl = process.env.APP_URL;

beforeAll(async () => {
  delete process.env.APP_URL;
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  workspaceId = (await insertWorkspace(handle.db, { slug: "north", name: "North" })).id;
  userId = (await insertUser(handle.db, workspaceId, { email: "ada@north.test" }, [{ role: "admin" }])).id;
});
afterAll(async () => {
  if (savedAppUrl !== undefined) process.env.APP_URL = savedAppUrl;
  await handle.close();
});

/** The reasons of the latest refused passkey uses, for failure messages. */
async function lastRefusals() {
  const rows = await handle.db
    .selectFrom("audit_events")
    .select(["event", "changes"])
    .where("event", "=", "sign_in.passkey_refused")
    .orderBy("id", "desc")
    .limit(3)
    .execute();
  return rows.map((r) => r.changes);
}

/** A session as it is straight after the password step: second step not yet passed. */
function passwordOnlySession() {
  return startSession(handle.db, userId, workspaceId, { twoFactorVerified: false });
}

async function verified(sessionId: string) {
  const row = await handle.db
    .selectFrom("sessions")
    .select("two_factor_verified")
    .where("id", "=", sessionId)
    .executeTakeFirst();
  return row?.two_factor_verified ?? null;
}

const authenticator = new SoftwareAuthenticator({ counter: 1 });
let ref = "";

describe("passkey pages", () => {
  it("adds a passkey from /account/passkeys", async () => {
    const cookie = await cookieFor(handle.db, "ada@north.test");
    const page = await callRoute(passkeysPage, { path: "/account/passkeys", cookie });
    expect(page.status).toBe(200);
    const body = page.body as { passkeys: unknown[]; options: CreationOptionsJSON };
    expect(body.passkeys).toEqual([]);
    expect(body.options.rp.id).toBe("localhost");

    // A missing name is refused before the passkey is looked at.
    const unnamed = await callRoute(passkeysPage, {
      method: "POST",
      path: "/account/passkeys",
      cookie,
      form: { intent: "add", name: " ", credential: authenticator.register(body.options, ORIGIN) },
    });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body).toMatchObject({ add: { error: { name: ["Enter a name for this passkey"] } } });

    const fresh = (await callRoute(passkeysPage, { path: "/account/passkeys", cookie })).body as {
      options: CreationOptionsJSON;
    };
    const added = await callRoute(passkeysPage, {
      method: "POST",
      path: "/account/passkeys",
      cookie,
      form: { intent: "add", name: "Work laptop", credential: authenticator.register(fresh.options, ORIGIN) },
    });
    expect(added).toMatchObject({ status: 302, location: "/account/passkeys?done=added" });

    const after = await callRoute(passkeysPage, { path: "/account/passkeys?done=added", cookie });
    const list = after.body as { passkeys: { ref: string; name: string; lastUsed: string }[]; done: string };
    expect(list.done).toBe("Passkey added");
    expect(list.passkeys).toMatchObject([{ name: "Work laptop", lastUsed: "Not used yet" }]);
    ref = list.passkeys[0]?.ref ?? "";
  });

  it("shows a refusal on the page when the browser's answer does not check out", async () => {
    const cookie = await cookieFor(handle.db, "ada@north.test");
    const page = (await callRoute(passkeysPage, { path: "/account/passkeys", cookie })).body as {
      options: CreationOptionsJSON;
    };
    const other = new SoftwareAuthenticator();
    const refused = await callRoute(passkeysPage, {
      method: "POST",
      path: "/account/passkeys",
      cookie,
      form: {
        intent: "add",
        name: "Phish",
        credential: other.register(page.options, "https://boardledger.evil.example"),
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      add: {
        error: {
          "": [
            "Your passkey was used from a different web address. Go to Boardledger's own address and try again",
          ],
        },
      },
    });
  });

  it("asks for the passkey at the second step of sign-in, and accepts it", async () => {
    const { cookie, sessionId } = await passwordOnlySession();
    const page = await callRoute(secondStepPage, {
      path: "/sign-in/two-factor?redirectTo=%2Fboards",
      cookie,
    });
    expect(page.status).toBe(200);
    const body = page.body as { mode: string; totp: boolean; passkey: RequestOptionsJSON };
    expect(body).toMatchObject({ mode: "verify", totp: false });
    expect(body.passkey.allowCredentials).toEqual([{ type: "public-key", id: ref }]);

    const wrong = await callRoute(secondStepPage, {
      method: "POST",
      path: "/sign-in/two-factor",
      cookie,
      form: {
        intent: "passkey",
        redirectTo: "/boards",
        credential: authenticator.assert(body.passkey, ORIGIN, { tamper: "signature" }),
      },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ passkeyError: "Your passkey could not be checked. Try again" });
    expect(await verified(sessionId)).toBe(false);

    const next = (await callRoute(secondStepPage, { path: "/sign-in/two-factor", cookie })).body as {
      passkey: RequestOptionsJSON;
    };
    const ok = await callRoute(secondStepPage, {
      method: "POST",
      path: "/sign-in/two-factor",
      cookie,
      form: {
        intent: "passkey",
        redirectTo: "/boards",
        credential: authenticator.assert(next.passkey, ORIGIN),
      },
    });
    // On a refusal, the audit trail's reason names the check that failed.
    expect(ok, JSON.stringify(await lastRefusals())).toMatchObject({ status: 302, location: "/boards" });
    expect(await verified(sessionId)).toBe(true);
    expect((await loadViewerState(routeRequest("/", { cookie }), handle.db)).kind).toBe("signed-in");
  });

  it("does not let someone with only a passkey skip it by setting up an authenticator app at the second step", async () => {
    const { cookie, sessionId } = await passwordOnlySession();
    const key = newTotpKey();
    const attempt = await callRoute(secondStepPage, {
      method: "POST",
      path: "/sign-in/two-factor",
      cookie,
      form: { key: displayKey(key), code: generateTOTP(key, 30, 6), redirectTo: "/" },
    });
    expect(attempt.status).toBe(400);
    expect(await verified(sessionId)).toBe(false);
    const user = await handle.db
      .selectFrom("users")
      .select("totp_key")
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    expect(user.totp_key).toBeNull();

    // Nor add a second passkey there.
    const other = new SoftwareAuthenticator();
    const options = (
      await callRoute(passkeysPage, {
        path: "/account/passkeys",
        cookie: await cookieFor(handle.db, "ada@north.test"),
      })
    ).body as { options: CreationOptionsJSON };
    const sneaky = await callRoute(secondStepPage, {
      method: "POST",
      path: "/sign-in/two-factor",
      cookie,
      form: { intent: "add-passkey", name: "Mine", credential: other.register(options.options, ORIGIN) },
    });
    expect(sneaky.status).toBe(302);
    expect(sneaky.location).toBe("/sign-in/two-factor");
    expect(await verified(sessionId)).toBe(false);
  });

  it("renames the passkey, and refuses to remove the last one while the workspace requires two-factor for admins", async () => {
    const cookie = await cookieFor(handle.db, "ada@north.test");
    const renamed = await callRoute(passkeysPage, {
      method: "POST",
      path: `/account/passkeys?rename=${ref}`,
      cookie,
      form: { intent: "rename", ref, name: "Blue security key" },
    });
    expect(renamed).toMatchObject({ status: 302, location: "/account/passkeys?done=renamed" });

    await handle.db
      .updateTable("workspaces")
      .set({ require_two_factor_for_privileged: true })
      .where("id", "=", workspaceId)
      .execute();
    const refused = await callRoute(passkeysPage, {
      method: "POST",
      path: `/account/passkeys?remove=${ref}`,
      cookie,
      form: { intent: "remove", ref },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      removeError:
        "You cannot remove your only passkey: North requires two-factor sign-in for admins and leaders. Add another passkey or an authenticator app first",
    });

    await handle.db
      .updateTable("workspaces")
      .set({ require_two_factor_for_privileged: false })
      .where("id", "=", workspaceId)
      .execute();
    const removed = await callRoute(passkeysPage, {
      method: "POST",
      path: "/account/passkeys",
      cookie,
      form: { intent: "remove", ref },
    });
    expect(removed).toMatchObject({ status: 302, location: "/account/passkeys?done=removed" });

    const events = await handle.db
      .selectFrom("audit_events")
      .select("event")
      .where("actor_user_id", "=", userId)
      .where("event", "like", "%passkey%")
      .orderBy("id")
      .execute();
    expect(
      events.map((e) => e.event),
      JSON.stringify(await lastRefusals()),
    ).toEqual([
      "passkey.added",
      "sign_in.passkey_refused",
      "sign_in.passkey",
      "passkey.renamed",
      "passkey.removed",
    ]);
  });
});
