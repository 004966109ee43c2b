import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../../tests/database";
import { FLAG_UP, SoftwareAuthenticator } from "../../tests/webauthn";
import {
  authenticateWithPasskey,
  authenticationOptions,
  CHALLENGE_TTL_MS,
  countPasskeys,
  listPasskeys,
  type RelyingParty,
  registerPasskey,
  registrationOptions,
  relyingPartyFor,
  removePasskey,
  renamePasskey,
  workspacesRequiringTwoFactor,
} from "./passkeys.server";
import { createSession } from "./sessions.server";

let handle: DatabaseHandle;
let workspaceId: number;

const rp: RelyingParty = { id: "boardledger.test", name: "Boardledger", origin: "https://boardledger.test" };
const now = new Date("2026-11-23T10:00:00Z");
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

interface TestUser {
  id: number;
  email: string;
  name: string;
}

let seq = 0;
async function newUser(role?: "admin" | "leader"): Promise<TestUser> {
  seq += 1;
  const email = `user${seq}@north.test`;
  const user = await handle.db
    .insertInto("users")
    .values({ email, name: `User ${seq}` })
    .returning(["id", "email", "name"])
    .executeTakeFirstOrThrow();
  await handle.db
    .insertInto("workspace_users")
    .values({ workspace_id: workspaceId, user_id: user.id })
    .execute();
  if (role)
    await handle.db
      .insertInto("role_grants")
      .values({ workspace_id: workspaceId, user_id: user.id, role })
      .execute();
  return user;
}

async function newSession(userId: number, twoFactorVerified = false): Promise<string> {
  const { session } = await createSession(handle.db, { userId, workspaceId, twoFactorVerified }, now);
  return session.id;
}

async function sessionVerified(sessionId: string): Promise<boolean> {
  const row = await handle.db
    .selectFrom("sessions")
    .select("two_factor_verified")
    .where("id", "=", sessionId)
    .executeTakeFirstOrThrow();
  return row.two_factor_verified;
}

/** Registers a software authenticator's passkey for a user, as the account page does. */
async function enrol(user: TestUser, authenticator: SoftwareAuthenticator, name = "Work laptop") {
  const sessionId = await newSession(user.id, true);
  const options = await registrationOptions(handle.db, { user, sessionId, rp }, now);
  const result = await registerPasskey(
    handle.db,
    { userId: user.id, sessionId, rp, name, response: authenticator.register(options, rp.origin) },
    now,
  );
  expect(result.kind).toBe("added");
  return result;
}

/** A password-only session at the second step, and fresh options for it. */
async function secondStep(user: TestUser, at = now) {
  const sessionId = await newSession(user.id, false);
  const options = await authenticationOptions(handle.db, { userId: user.id, sessionId, rp }, at);
  return { sessionId, options };
}

beforeAll(async () => {
  handle = await freshDatabase();
  workspaceId = (
    await handle.db
      .insertInto("workspaces")
      .values({ slug: "north", name: "North Partnership" })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => handle.close());

describe("the relying party", () => {
  const saved = process.env.APP_URL;
  beforeEach(() => {
    delete process.env.APP_URL;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.APP_URL;
    else process.env.APP_URL = saved;
  });

  it("is APP_URL's host and origin when set", () => {
    process.env.APP_URL = "https://boards.example.gov.uk/";
    expect(relyingPartyFor(new Request("http://internal:3000/account/passkeys"))).toEqual({
      id: "boards.example.gov.uk",
      name: "Boardledger",
      origin: "https://boards.example.gov.uk",
    });
  });

  it("is the request's host otherwise, upgraded to https behind a TLS proxy", () => {
    expect(relyingPartyFor(new Request("http://localhost:5173/x")).origin).toBe("http://localhost:5173");
    const proxied = new Request("http://boardledger.fly.dev/x", {
      headers: { "X-Forwarded-Proto": "https" },
    });
    expect(relyingPartyFor(proxied)).toMatchObject({
      id: "boardledger.fly.dev",
      origin: "https://boardledger.fly.dev",
    });
  });
});

describe("registration", () => {
  it("stores an ES256 passkey's credential id, SEC1 public key, algorithm and name", async () => {
    const user = await newUser();
    const authenticator = new SoftwareAuthenticator({ counter: 3 });
    const sessionId = await newSession(user.id, false);
    const options = await registrationOptions(handle.db, { user, sessionId, rp }, now);
    expect(options).toMatchObject({
      rp: { id: "boardledger.test" },
      user: { name: user.email, displayName: user.name },
      attestation: "none",
      authenticatorSelection: { userVerification: "required" },
      excludeCredentials: [],
    });
    expect(Buffer.from(options.challenge, "base64url")).toHaveLength(32);

    const result = await registerPasskey(
      handle.db,
      {
        userId: user.id,
        sessionId,
        rp,
        name: "  Work laptop ",
        response: authenticator.register(options, rp.origin),
      },
      now,
    );
    expect(result).toMatchObject({
      kind: "added",
      passkey: { name: "Work laptop" },
      firstSecondFactor: true,
    });

    const row = await handle.db
      .selectFrom("passkeys")
      .selectAll()
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(row.id).equals(authenticator.credentialId)).toBe(true);
    expect(row.algorithm).toBe(-7);
    expect(row.public_key).toHaveLength(65);
    expect(row.public_key[0]).toBe(0x04);
    expect(Number(row.sign_count)).toBe(3);
    expect(row.name).toBe("Work laptop");
    // Proving the passkey counts as the second step for this session.
    expect(await sessionVerified(sessionId)).toBe(true);

    const audit = await handle.db
      .selectFrom("audit_events")
      .select(["event", "changes"])
      .where("actor_user_id", "=", user.id)
      .execute();
    expect(audit).toEqual([{ event: "passkey.added", changes: { name: "Work laptop", algorithm: "ES256" } }]);

    // The challenge was stored hashed, and only once.
    const tokens = await handle.db
      .selectFrom("one_time_tokens")
      .select(["token_hash", "used_at"])
      .where("user_id", "=", user.id)
      .execute();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.token_hash).not.toContain(options.challenge);
    expect(tokens[0]?.used_at).not.toBeNull();
  });

  it("lists a user's passkeys in the next options so the browser will not make a second on the same device", async () => {
    const user = await newUser();
    const authenticator = new SoftwareAuthenticator();
    await enrol(user, authenticator);
    const options = await registrationOptions(
      handle.db,
      { user, sessionId: await newSession(user.id, true), rp },
      now,
    );
    expect(options.excludeCredentials).toEqual([
      { type: "public-key", id: authenticator.credentialId.toString("base64url") },
    ]);
  });

  it("refuses the same credential twice", async () => {
    const user = await newUser();
    const authenticator = new SoftwareAuthenticator();
    await enrol(user, authenticator);
    const sessionId = await newSession(user.id, true);
    const options = await registrationOptions(handle.db, { user, sessionId, rp }, now);
    const again = await registerPasskey(
      handle.db,
      { userId: user.id, sessionId, rp, name: "Again", response: authenticator.register(options, rp.origin) },
      now,
    );
    expect(again).toMatchObject({ kind: "refused", reason: "duplicate" });
    expect(await countPasskeys(handle.db, user.id)).toBe(1);
  });

  it.each([
    [
      "a challenge that was never issued",
      { challenge: Buffer.alloc(32, 7).toString("base64url") },
      "challenge",
    ],
    ["another origin", { origin: "https://boardledger.test.evil.example" }, "origin"],
    ["another relying party", { rpId: "evil.example" }, "rp"],
    ["no user verification", { flags: FLAG_UP | 0x40 }, "flags"],
    ["an assertion's client data type", { type: "webauthn.get" }, "type"],
  ] as const)("refuses %s", async (_label, overrides, reason) => {
    const user = await newUser();
    const sessionId = await newSession(user.id, true);
    const options = await registrationOptions(handle.db, { user, sessionId, rp }, now);
    const response = new SoftwareAuthenticator().register(options, rp.origin, overrides);
    const result = await registerPasskey(
      handle.db,
      { userId: user.id, sessionId, rp, name: "Key", response },
      now,
    );
    expect(result).toMatchObject({ kind: "refused", reason });
    expect(await countPasskeys(handle.db, user.id)).toBe(0);
  });

  it("refuses a challenge after 5 minutes, and one issued to another session", async () => {
    const user = await newUser();
    const sessionId = await newSession(user.id, true);
    const authenticator = new SoftwareAuthenticator();
    const options = await registrationOptions(handle.db, { user, sessionId, rp }, now);
    const late = await registerPasskey(
      handle.db,
      { userId: user.id, sessionId, rp, name: "Key", response: authenticator.register(options, rp.origin) },
      new Date(now.getTime() + CHALLENGE_TTL_MS + 1),
    );
    expect(late).toMatchObject({ kind: "refused", reason: "challenge" });

    const fresh = await registrationOptions(handle.db, { user, sessionId, rp }, now);
    const elsewhere = await registerPasskey(
      handle.db,
      {
        userId: user.id,
        sessionId: await newSession(user.id, true),
        rp,
        name: "Key",
        response: authenticator.register(fresh, rp.origin),
      },
      now,
    );
    expect(elsewhere).toMatchObject({ kind: "refused", reason: "challenge" });
  });

  it("refuses a response that is not valid JSON of the right shape", async () => {
    const user = await newUser();
    const sessionId = await newSession(user.id, true);
    for (const response of [
      "",
      "not json",
      "{}",
      JSON.stringify({ id: "x", rawId: "x", type: "public-key" }),
    ]) {
      const result = await registerPasskey(
        handle.db,
        { userId: user.id, sessionId, rp, name: "Key", response },
        now,
      );
      expect(result).toMatchObject({ kind: "refused", reason: "malformed" });
    }
  });
});

describe("signing in with a passkey", () => {
  it("verifies the assertion, marks the session two-factor verified and audits it", async () => {
    const user = await newUser();
    const authenticator = new SoftwareAuthenticator({ counter: 10 });
    await enrol(user, authenticator, "Security key");
    const { sessionId, options } = await secondStep(user);
    expect(options.rpId).toBe("boardledger.test");
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials).toEqual([
      { type: "public-key", id: authenticator.credentialId.toString("base64url") },
    ]);
    expect(await sessionVerified(sessionId)).toBe(false);

    const result = await authenticateWithPasskey(
      handle.db,
      { userId: user.id, sessionId, rp, response: authenticator.assert(options, rp.origin), ip: "10.0.0.1" },
      later(1),
    );
    expect(result).toMatchObject({ kind: "verified", passkey: { name: "Security key" } });
    expect(await sessionVerified(sessionId)).toBe(true);

    const row = await handle.db
      .selectFrom("passkeys")
      .select(["sign_count", "last_used_at"])
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.sign_count)).toBe(11);
    expect(row.last_used_at?.toISOString()).toBe(later(1).toISOString());
    const events = await handle.db
      .selectFrom("audit_events")
      .select(["event", "ip"])
      .where("actor_user_id", "=", user.id)
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.event)).toEqual(["passkey.added", "sign_in.passkey"]);
    expect(events[1]?.ip).toBe("10.0.0.1");
  });

  it("accepts an authenticator that keeps no counter (always 0), and a user handle that matches", async () => {
    const user = await newUser();
    const authenticator = new SoftwareAuthenticator({ counter: 0 });
    await enrol(user, authenticator);
    for (let i = 0; i < 2; i++) {
      const { sessionId, options } = await secondStep(user);
      const response = authenticator.assert(options, rp.origin, {
        userHandle: Buffer.from(`u${user.id}`).toString("base64url"),
      });
      const result = await authenticateWithPasskey(
        handle.db,
        { userId: user.id, sessionId, rp, response },
        now,
      );
      expect(result.kind).toBe("verified");
    }
  });

  it("works with an RS256 passkey", async () => {
    const user = await newUser();
    const authenticator = new SoftwareAuthenticator({ algorithm: "RS256", counter: 1 });
    await enrol(user, authenticator);
    expect((await listPasskeys(handle.db, user.id))[0]?.algorithm).toBe("RS256");
    const { sessionId, options } = await secondStep(user);
    const result = await authenticateWithPasskey(
      handle.db,
      { userId: user.id, sessionId, rp, response: authenticator.assert(options, rp.origin) },
      now,
    );
    expect(result.kind).toBe("verified");
    const { sessionId: s2, options: o2 } = await secondStep(user);
    const tampered = await authenticateWithPasskey(
      handle.db,
      {
        userId: user.id,
        sessionId: s2,
        rp,
        response: authenticator.assert(o2, rp.origin, { tamper: "signature" }),
      },
      now,
    );
    expect(tampered).toMatchObject({ kind: "refused", reason: "signature" });
  });

  it.each([
    ["a wrong challenge", { challenge: Buffer.alloc(32, 9).toString("base64url") }, "challenge"],
    ["a wrong origin", { origin: "https://boardledger-login.example" }, "origin"],
    ["a wrong relying party id", { rpId: "boardledger-login.example" }, "rp"],
    ["a tampered signature", { tamper: "signature" }, "signature"],
    ["tampered authenticator data", { tamper: "authenticatorData" }, "signature"],
    ["a user who was not verified", { flags: FLAG_UP }, "flags"],
    ["a registration's client data type", { type: "webauthn.create" }, "type"],
    ["another user's handle", { userHandle: Buffer.from("u999999").toString("base64url") }, "unknown"],
  ] as const)("refuses %s and leaves the session unverified", async (_label, overrides, reason) => {
    const user = await newUser();
    const authenticator = new SoftwareAuthenticator({ counter: 5 });
    await enrol(user, authenticator);
    const { sessionId, options } = await secondStep(user);
    const response = authenticator.assert(options, rp.origin, overrides);
    const result = await authenticateWithPasskey(
      handle.db,
      { userId: user.id, sessionId, rp, response },
      now,
    );
    expect(result).toMatchObject({ kind: "refused", reason });
    expect(result.kind === "refused" && result.message.length > 0).toBe(true);
    expect(await sessionVerified(sessionId)).toBe(false);
    const refused = await handle.db
      .selectFrom("audit_events")
      .select("changes")
      .where("actor_user_id", "=", user.id)
      .where("event", "=", "sign_in.passkey_refused")
      .executeTakeFirstOrThrow();
    expect(refused.changes).toEqual({ reason });
  });

  it("refuses a reused challenge, even the second time a valid response is sent", async () => {
    const user = await newUser();
    const authenticator = new SoftwareAuthenticator({ counter: 0 });
    await enrol(user, authenticator);
    const { sessionId, options } = await secondStep(user);
    const response = authenticator.assert(options, rp.origin);
    const first = await authenticateWithPasskey(handle.db, { userId: user.id, sessionId, rp, response }, now);
    expect(first.kind).toBe("verified");
    const replay = await authenticateWithPasskey(
      handle.db,
      { userId: user.id, sessionId, rp, response },
      now,
    );
    expect(replay).toMatchObject({ kind: "refused", reason: "challenge" });

    // A failed try spends the challenge too.
    const next = await secondStep(user);
    const wrong = authenticator.assert(next.options, rp.origin, { origin: "https://elsewhere.example" });
    expect(
      await authenticateWithPasskey(
        handle.db,
        { userId: user.id, sessionId: next.sessionId, rp, response: wrong },
        now,
      ),
    ).toMatchObject({ reason: "origin" });
    const right = authenticator.assert(next.options, rp.origin);
    expect(
      await authenticateWithPasskey(
        handle.db,
        { userId: user.id, sessionId: next.sessionId, rp, response: right },
        now,
      ),
    ).toMatchObject({ reason: "challenge" });
  });

  it("refuses an expired challenge, a registration challenge, and one issued to another session", async () => {
    const user = await newUser();
    const authenticator = new SoftwareAuthenticator({ counter: 0 });
    await enrol(user, authenticator);

    const { sessionId, options } = await secondStep(user);
    const late = await authenticateWithPasskey(
      handle.db,
      { userId: user.id, sessionId, rp, response: authenticator.assert(options, rp.origin) },
      later(6),
    );
    expect(late).toMatchObject({ kind: "refused", reason: "challenge" });

    const registration = await registrationOptions(handle.db, { user, sessionId, rp }, now);
    const crossed = await authenticateWithPasskey(
      handle.db,
      {
        userId: user.id,
        sessionId,
        rp,
        response: authenticator.assert(options, rp.origin, { challenge: registration.challenge }),
      },
      now,
    );
    expect(crossed).toMatchObject({ kind: "refused", reason: "challenge" });

    const other = await secondStep(user);
    const stolen = await authenticateWithPasskey(
      handle.db,
      { userId: user.id, sessionId, rp, response: authenticator.assert(other.options, rp.origin) },
      now,
    );
    expect(stolen).toMatchObject({ kind: "refused", reason: "challenge" });
    expect(await sessionVerified(sessionId)).toBe(false);
  });

  it("refuses a signature counter that goes backwards or stands still", async () => {
    const user = await newUser();
    const authenticator = new SoftwareAuthenticator({ counter: 10 });
    await enrol(user, authenticator);
    const ok = await secondStep(user);
    expect(
      (
        await authenticateWithPasskey(
          handle.db,
          {
            userId: user.id,
            sessionId: ok.sessionId,
            rp,
            response: authenticator.assert(ok.options, rp.origin, { counter: 20 }),
          },
          now,
        )
      ).kind,
    ).toBe("verified");

    for (const counter of [5, 20, 0]) {
      const attempt = await secondStep(user);
      const result = await authenticateWithPasskey(
        handle.db,
        {
          userId: user.id,
          sessionId: attempt.sessionId,
          rp,
          response: authenticator.assert(attempt.options, rp.origin, { counter }),
        },
        now,
      );
      expect(result).toMatchObject({ kind: "refused", reason: "counter" });
      expect(await sessionVerified(attempt.sessionId)).toBe(false);
    }
    const row = await handle.db
      .selectFrom("passkeys")
      .select("sign_count")
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.sign_count)).toBe(20);
  });

  it("refuses another user's passkey", async () => {
    const owner = await newUser();
    const authenticator = new SoftwareAuthenticator({ counter: 0 });
    await enrol(owner, authenticator);
    const intruder = await newUser();
    await enrol(intruder, new SoftwareAuthenticator());
    const { sessionId, options } = await secondStep(intruder);
    const result = await authenticateWithPasskey(
      handle.db,
      { userId: intruder.id, sessionId, rp, response: authenticator.assert(options, rp.origin) },
      now,
    );
    expect(result).toMatchObject({ kind: "refused", reason: "unknown" });
  });
});

describe("managing passkeys", () => {
  it("renames and removes a user's own passkeys only", async () => {
    const user = await newUser();
    const other = await newUser();
    const a = await enrol(user, new SoftwareAuthenticator(), "Laptop");
    const b = await enrol(user, new SoftwareAuthenticator(), "Phone");
    if (a.kind !== "added" || b.kind !== "added") throw new Error("not added");
    expect(b.firstSecondFactor).toBe(false);

    expect(
      await renamePasskey(handle.db, { userId: other.id, ref: a.passkey.ref, name: "Mine now" }),
    ).toMatchObject({ ok: false });
    expect(
      await renamePasskey(handle.db, { userId: user.id, ref: a.passkey.ref, name: " Work laptop " }),
    ).toEqual({
      ok: true,
      name: "Work laptop",
    });
    expect(await removePasskey(handle.db, { userId: other.id, ref: b.passkey.ref })).toMatchObject({
      ok: false,
    });
    expect(await removePasskey(handle.db, { userId: user.id, ref: "not*a*ref" })).toMatchObject({
      ok: false,
    });
    expect(await removePasskey(handle.db, { userId: user.id, ref: b.passkey.ref })).toEqual({
      ok: true,
      name: "Phone",
    });
    expect((await listPasskeys(handle.db, user.id)).map((p) => p.name)).toEqual(["Work laptop"]);
    // Not required for this user: the last one may go too.
    expect(await removePasskey(handle.db, { userId: user.id, ref: a.passkey.ref })).toMatchObject({
      ok: true,
    });
    const events = await handle.db
      .selectFrom("audit_events")
      .select("event")
      .where("actor_user_id", "=", user.id)
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.event)).toEqual([
      "passkey.added",
      "passkey.added",
      "passkey.renamed",
      "passkey.removed",
      "passkey.removed",
    ]);
  });

  it("refuses to remove the last second factor of an admin whose workspace requires one", async () => {
    await handle.db
      .updateTable("workspaces")
      .set({ require_two_factor_for_privileged: true })
      .where("id", "=", workspaceId)
      .execute();
    try {
      const admin = await newUser("admin");
      expect(await workspacesRequiringTwoFactor(handle.db, admin.id)).toEqual(["North Partnership"]);
      const first = await enrol(admin, new SoftwareAuthenticator(), "Laptop");
      if (first.kind !== "added") throw new Error("not added");
      const refused = await removePasskey(handle.db, { userId: admin.id, ref: first.passkey.ref });
      expect(refused).toEqual({
        ok: false,
        message:
          "You cannot remove your only passkey: North Partnership requires two-factor sign-in for admins and leaders. Add another passkey or an authenticator app first",
      });
      expect(await countPasskeys(handle.db, admin.id)).toBe(1);

      // With a second passkey, either may go.
      await enrol(admin, new SoftwareAuthenticator(), "Phone");
      expect(await removePasskey(handle.db, { userId: admin.id, ref: first.passkey.ref })).toMatchObject({
        ok: true,
      });

      // Someone who is neither admin nor leader is not bound by the policy.
      const member = await newUser();
      expect(await workspacesRequiringTwoFactor(handle.db, member.id)).toEqual([]);
      const only = await enrol(member, new SoftwareAuthenticator());
      if (only.kind !== "added") throw new Error("not added");
      expect(await removePasskey(handle.db, { userId: member.id, ref: only.passkey.ref })).toMatchObject({
        ok: true,
      });
    } finally {
      await handle.db
        .updateTable("workspaces")
        .set({ require_two_factor_for_privileged: false })
        .where("id", "=", workspaceId)
        .execute();
    }
  });

  it("ends the user's other sessions when a first second factor is added", async () => {
    const user = await newUser();
    const elsewhere = await newSession(user.id, false);
    await enrol(user, new SoftwareAuthenticator());
    const left = await handle.db
      .selectFrom("sessions")
      .select("id")
      .where("id", "=", elsewhere)
      .executeTakeFirst();
    expect(left).toBeUndefined();
  });
});
