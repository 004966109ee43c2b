import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ABSOLUTE_LIFETIME_MS,
  createSession,
  INACTIVITY_MS,
  invalidateSession,
  invalidateUserSessions,
  sessionCookie,
  sessionTokenFrom,
  validateSessionToken,
} from "~/auth/sessions.server";
import { loadViewerState } from "~/auth/viewer.server";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import { insertUser, insertWorkspace } from "../factories";

let handle: DatabaseHandle;
let userId: number;
let workspaceId: number;

beforeAll(async () => {
  handle = await freshDatabase();
  workspaceId = (await insertWorkspace(handle.db, { slug: "north", name: "North" })).id;
  userId = (await insertUser(handle.db, workspaceId, { email: "sam@north.test" }, [{ role: "leader" }])).id;
});
afterAll(() => handle.close());

const start = new Date("2026-11-23T09:00:00Z");
const later = (ms: number) => new Date(start.getTime() + ms);

function requestWith(token: string) {
  return new Request("http://localhost/boards", {
    headers: { Cookie: sessionCookie(token, later(ABSOLUTE_LIFETIME_MS)).split(";")[0]! },
  });
}

describe("sessions", () => {
  it("stores only a hash of the secret and refuses a tampered token", async () => {
    const { token, session } = await createSession(
      handle.db,
      { userId, workspaceId, twoFactorVerified: false },
      start,
    );
    const row = await handle.db
      .selectFrom("sessions")
      .selectAll()
      .where("id", "=", session.id)
      .executeTakeFirstOrThrow();
    const secret = token.split(".")[1]!;
    expect(Buffer.from(row.secret_hash).toString("utf8")).not.toContain(secret);
    expect(await validateSessionToken(handle.db, token, later(1000))).not.toBeNull();
    expect(
      await validateSessionToken(handle.db, `${session.id}.${"a".repeat(secret.length)}`, later(1000)),
    ).toBeNull();
    expect(await validateSessionToken(handle.db, `${session.id}`, later(1000))).toBeNull();
    expect(await validateSessionToken(handle.db, "", later(1000))).toBeNull();
  });

  it("ends after the inactivity timeout, and activity renews it", async () => {
    const { token } = await createSession(
      handle.db,
      { userId, workspaceId, twoFactorVerified: false },
      start,
    );
    // Active every 90 minutes: still alive after 4.5 hours.
    for (const step of [1, 2, 3]) {
      expect(await validateSessionToken(handle.db, token, later(step * 90 * 60_000))).not.toBeNull();
    }
    expect(await validateSessionToken(handle.db, token, later(3 * 90 * 60_000 + INACTIVITY_MS))).toBeNull();
  });

  it("ends at its absolute lifetime however active", async () => {
    const { token } = await createSession(
      handle.db,
      { userId, workspaceId, twoFactorVerified: false },
      start,
    );
    for (let minutes = 60; minutes < ABSOLUTE_LIFETIME_MS / 60_000; minutes += 60) {
      expect(await validateSessionToken(handle.db, token, later(minutes * 60_000))).not.toBeNull();
    }
    expect(await validateSessionToken(handle.db, token, later(ABSOLUTE_LIFETIME_MS))).toBeNull();
  });

  it("refuses the cookie of a signed-out session (a stolen cookie replayed)", async () => {
    const { token, session } = await createSession(handle.db, {
      userId,
      workspaceId,
      twoFactorVerified: false,
    });
    const request = requestWith(token);
    expect(sessionTokenFrom(request)).toBe(token);
    expect((await loadViewerState(request, handle.db)).kind).toBe("signed-in");
    await invalidateSession(handle.db, session.id);
    expect((await loadViewerState(request, handle.db)).kind).toBe("signed-out");
  });

  it("ends every other session of the user on request (password change)", async () => {
    const kept = await createSession(handle.db, { userId, workspaceId, twoFactorVerified: false });
    const other = await createSession(handle.db, { userId, workspaceId, twoFactorVerified: false });
    await invalidateUserSessions(handle.db, userId, kept.session.id);
    expect((await loadViewerState(requestWith(kept.token), handle.db)).kind).toBe("signed-in");
    expect((await loadViewerState(requestWith(other.token), handle.db)).kind).toBe("signed-out");
  });

  it("signs out a disabled account at once", async () => {
    const { token } = await createSession(handle.db, { userId, workspaceId, twoFactorVerified: false });
    await handle.db.updateTable("users").set({ disabled_at: new Date() }).where("id", "=", userId).execute();
    expect((await loadViewerState(requestWith(token), handle.db)).kind).toBe("signed-out");
    await handle.db.updateTable("users").set({ disabled_at: null }).where("id", "=", userId).execute();
  });
});
