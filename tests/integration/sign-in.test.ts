import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSED_MESSAGE, signIn, THROTTLE } from "~/auth/sign-in.server";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import { insertUser, insertWorkspace } from "../factories";

let handle: DatabaseHandle;
let workspaceId: number;

beforeAll(async () => {
  handle = await freshDatabase();
  workspaceId = (await insertWorkspace(handle.db, { slug: "north", name: "North" })).id;
  for (const email of ["pat@north.test", "lee@north.test", "kim@north.test"]) {
    await insertUser(handle.db, workspaceId, { email, name: email, password: "a fine long passphrase" });
  }
});
afterAll(() => handle.close());

const now = new Date("2026-11-23T10:00:00Z");
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

describe("sign-in", () => {
  it("signs in with the right password, in any letter case of the email", async () => {
    const result = await signIn(
      handle.db,
      { email: " PAT@north.test ", password: "a fine long passphrase", ip: "10.0.0.1" },
      now,
    );
    expect(result.kind).toBe("signed-in");
  });

  it("gives the same refusal for a wrong password and an unknown account", async () => {
    const wrong = await signIn(handle.db, { email: "pat@north.test", password: "nope", ip: "10.0.0.2" }, now);
    const unknown = await signIn(
      handle.db,
      { email: "nobody@north.test", password: "nope", ip: "10.0.0.2" },
      now,
    );
    expect(wrong).toEqual({ kind: "refused", message: REFUSED_MESSAGE });
    expect(unknown).toEqual({ kind: "refused", message: REFUSED_MESSAGE });
  });

  it("throttles one account after repeated failures, the same way for accounts that do not exist", async () => {
    for (const email of ["lee@north.test", "ghost@north.test"]) {
      for (let i = 0; i < THROTTLE.perAccount; i++) {
        const r = await signIn(handle.db, { email, password: "wrong", ip: `10.1.0.${i}` }, at(i));
        expect(r.kind).toBe("refused");
      }
      const blocked = await signIn(
        handle.db,
        { email, password: "a fine long passphrase", ip: "10.1.1.1" },
        at(5),
      );
      expect(blocked).toEqual({
        kind: "throttled",
        retryAfterMinutes: 10,
        message: "Too many attempts to sign in. Try again in 10 minutes",
      });
    }
    // Once the oldest failure leaves the 15-minute window, the right password works again.
    const after = await signIn(
      handle.db,
      { email: "lee@north.test", password: "a fine long passphrase", ip: "10.1.1.1" },
      at(16),
    );
    expect(after.kind).toBe("signed-in");
  });

  it("throttles one address trying many accounts", async () => {
    for (let i = 0; i < THROTTLE.perAddress; i++) {
      await signIn(handle.db, { email: `guess${i}@north.test`, password: "wrong", ip: "192.0.2.9" }, at(100));
    }
    const blocked = await signIn(
      handle.db,
      { email: "kim@north.test", password: "a fine long passphrase", ip: "192.0.2.9" },
      at(101),
    );
    expect(blocked.kind).toBe("throttled");
    const elsewhere = await signIn(
      handle.db,
      { email: "kim@north.test", password: "a fine long passphrase", ip: "192.0.2.10" },
      at(101),
    );
    expect(elsewhere.kind).toBe("signed-in");
  });

  it("records sign-ins and failures in the audit trail without the password", async () => {
    const events = await handle.db
      .selectFrom("audit_events")
      .select(["event", "changes", "actor_label"])
      .where("workspace_id", "=", workspaceId)
      .execute();
    expect(events.some((e) => e.event === "sign_in.failed" && e.actor_label === "pat@north.test")).toBe(true);
    expect(events.some((e) => e.event === "sign_in.succeeded")).toBe(true);
    expect(JSON.stringify(events)).not.toContain("a fine long passphrase");
  });
});
