import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as minutesRoute from "~/routes/meetings.$meetingId.minutes._index";
import * as boardFeed from "~/routes/public.$workspaceSlug.boards.$boardSlug.minutes[.]atom";
import * as workspaceFeed from "~/routes/public.$workspaceSlug.minutes[.]atom";
import { insertBoard } from "../factories";
import { callRoute } from "../routes";
import { type MinutesFixture, minutesFixture, publishThroughRoutes } from "./minutes-fixture";

/*
 * The Atom feeds answer feed readers from an ETag and Last-Modified worked out before the
 * feed is built (the latest publication, the public boards, the workspace), with 304 when
 * nothing changed, and keep the built feed for unconditional requests. These tests change
 * each thing a feed depends on and check that the ETag moves with it, so nobody is left
 * with a stale feed: a correction republished, a board renamed, its sensitive-items
 * setting changed, a board made private.
 */

let f: MinutesFixture;
const ws = "feedcache";
const boardSlug = "lcjb";

beforeAll(async () => {
  f = await minutesFixture(ws);
  useDatabaseForTests(f.handle);
  await f.handle.db
    .updateTable("boards")
    .set({ visibility: "public", sensitive_items_public: "restricted" })
    .where("id", "=", f.boardId)
    .execute();
  await publishThroughRoutes(f, ["Agreed.", "Case review.", "Compliance is at 82%."]);
});

afterAll(() => f?.handle.close());

async function get(which: "board" | "workspace", headers: Record<string, string> = {}) {
  const answer =
    which === "board"
      ? await callRoute(boardFeed, {
          path: `/public/${ws}/boards/${boardSlug}/minutes.atom`,
          params: { workspaceSlug: ws, boardSlug },
          headers,
        })
      : await callRoute(workspaceFeed, {
          path: `/public/${ws}/minutes.atom`,
          params: { workspaceSlug: ws },
          headers,
        });
  return {
    status: answer.status,
    body: answer.status === 200 ? String(answer.body) : "",
    etag: answer.headers?.get("ETag") ?? "",
    lastModified: answer.headers?.get("Last-Modified") ?? "",
    cacheControl: answer.headers?.get("Cache-Control") ?? "",
  };
}

async function latestPublication(): Promise<Date> {
  const row = await f.handle.db
    .selectFrom("minute_versions")
    .select((eb) => eb.fn.max("created_at").as("at"))
    .where("workspace_id", "=", f.ws)
    .where("status", "=", "published")
    .executeTakeFirstOrThrow();
  return new Date(row.at as Date);
}

describe("the Atom feeds' caching", () => {
  it("answers 304 to a reader with the current ETag or a Last-Modified no older than the latest publication", async () => {
    for (const which of ["board", "workspace"] as const) {
      const first = await get(which);
      expect(first.status).toBe(200);
      expect(first.cacheControl).toBe("public, max-age=900");
      expect(first.etag).toMatch(/^"[\w-]{32}"$/);
      expect(first.lastModified).toBe((await latestPublication()).toUTCString());

      expect((await get(which, { "If-None-Match": first.etag })).status).toBe(304);
      expect((await get(which, { "If-None-Match": `"other", W/${first.etag}` })).status).toBe(304);
      expect((await get(which, { "If-Modified-Since": first.lastModified })).status).toBe(304);
      const earlier = new Date(Date.parse(first.lastModified) - 1000).toUTCString();
      expect((await get(which, { "If-Modified-Since": earlier })).status).toBe(200);
      // An ETag that does not match wins over a date that would.
      expect(
        (await get(which, { "If-None-Match": '"stale"', "If-Modified-Since": first.lastModified })).status,
      ).toBe(200);
      // Asked again without a validator: the same feed (kept since it was built).
      const again = await get(which);
      expect(again.body).toBe(first.body);
      expect(again.etag).toBe(first.etag);
    }
  });

  it("changes both feeds when corrected minutes are republished", async () => {
    const before = { board: await get("board"), workspace: await get("workspace") };
    const version = (
      await f.db
        .selectFrom("minutes")
        .select("version")
        .where("meeting_id", "=", f.meetingId)
        .executeTakeFirstOrThrow()
    ).version;
    const reopen = await callRoute(minutesRoute, {
      method: "POST",
      path: `/meetings/${f.meetingId}/minutes`,
      params: { meetingId: String(f.meetingId) },
      cookie: f.cookies.secretary,
      form: { intent: "reopen", version: String(version), reason: "Correct the compliance figure" },
    });
    expect(reopen.status).toBe(302);
    // Re-opened but not yet republished: the feeds have not changed.
    expect((await get("board", { "If-None-Match": before.board.etag })).status).toBe(304);

    await publishThroughRoutes(f, ["Agreed.", "Case review.", "Compliance is at 78% (corrected)."]);
    for (const which of ["board", "workspace"] as const) {
      const after = await get(which, { "If-None-Match": before[which].etag });
      expect(after.status).toBe(200);
      expect(after.etag).not.toBe(before[which].etag);
      expect(after.body).toContain("78% (corrected)");
      expect(after.body).not.toContain("82%");
      expect(Date.parse(after.lastModified)).toBeGreaterThanOrEqual(Date.parse(before[which].lastModified));
    }
  });

  it("changes both feeds when the board is renamed or shows its sensitive items differently", async () => {
    for (const change of [
      { name: "Northshire Criminal Justice Board" },
      { sensitive_items_public: "hidden" as const },
    ]) {
      const before = { board: await get("board"), workspace: await get("workspace") };
      await f.handle.db.updateTable("boards").set(change).where("id", "=", f.boardId).execute();
      for (const which of ["board", "workspace"] as const) {
        const after = await get(which, { "If-None-Match": before[which].etag });
        expect(after.status, JSON.stringify(change)).toBe(200);
        expect(after.etag).not.toBe(before[which].etag);
      }
    }
    expect((await get("workspace")).body).toContain("Northshire Criminal Justice Board");
    expect((await get("board")).body).not.toContain("Prolific offender case review");
  });

  it("drops a board made private from the workspace's feed at once, and its own feed answers 404", async () => {
    // A second public board keeps the workspace public.
    await insertBoard(f.handle.db, f.ws, {
      name: "Community Safety Partnership",
      slug: "csp",
      visibility: "public",
    });
    const before = await get("workspace");
    expect(before.body).toContain("<entry>");
    await f.handle.db
      .updateTable("boards")
      .set({ visibility: "private" })
      .where("id", "=", f.boardId)
      .execute();
    const after = await get("workspace", { "If-None-Match": before.etag });
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(before.etag);
    expect(after.body).not.toContain("<entry>");
    expect((await get("board")).status).toBe(404);
  });
});
