import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as actionsList from "~/routes/api.v1.actions._index";
import * as boardsList from "~/routes/api.v1.boards._index";
import * as boardMeetings from "~/routes/api.v1.boards.$boardId.meetings";
import type { DatabaseHandle } from "../../db/client";
import { type ApiModule, callApi, tokenFor } from "../api";
import { freshDatabase } from "../database";
import { insertAgency, insertBoard, insertMeeting, insertUser, insertWorkspace } from "../factories";

/*
 * Cursor pagination walks a long list without a gap or a repeat, even while rows are added
 * ahead of and behind the cursor: 3,000 actions over 30 due dates (so a hundred share each
 * date and the id decides), boards by name, and a board's meetings both ways in time.
 */

let handle: DatabaseHandle;
let ws: number;
let boardId: number;
let agencyId: number;
let token: string;

const ACTIONS = 3_000;

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const db = handle.db;
  ws = (await insertWorkspace(db, { slug: "paging" })).id;
  agencyId = (await insertAgency(db, ws, { name: "Police" })).id;
  // Names whose byte order and id order differ.
  for (const name of ["delta", "Alpha", "charlie", "Bravo", "echo", "alpha", "Foxtrot"]) {
    await insertBoard(db, ws, { name });
  }
  boardId = (await insertBoard(db, ws, { name: "Golf" })).id;
  await insertUser(db, ws, { email: "leader@paging.test" }, [{ role: "leader" }]);
  token = (await tokenFor(db, "leader@paging.test", "read")).token;
  await sql`
    insert into actions (workspace_id, board_id, title, owner_agency_id, due_date, status)
    select ${ws}, ${boardId}, 'Action ' || n, ${agencyId}, date '2027-01-01' + (n * 7919 % 30), 'open'
    from generate_series(1, ${ACTIONS}) as n`.execute(db);
});
afterAll(() => handle?.close());

async function page(module: ApiModule, path: string, params: Record<string, string> = {}) {
  const outcome = await callApi(module, { path, params, token });
  expect(outcome.status, JSON.stringify(outcome.json)).toBe(200);
  return outcome.json as {
    data: { id: number; due_date?: string; name?: string; starts_at?: string }[];
    next_cursor: string | null;
  };
}

async function addAction(dueDate: string) {
  const row = await handle.db
    .insertInto("actions")
    .values({
      workspace_id: ws,
      board_id: boardId,
      title: "Added while paging",
      owner_agency_id: agencyId,
      due_date: dueDate,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("cursor pagination", () => {
  it("walks 3,000 actions in due-date order without a gap or a repeat while others are added", async () => {
    const original = await handle.db
      .selectFrom("actions")
      .select(["id", "due_date"])
      .where("workspace_id", "=", ws)
      .orderBy("due_date")
      .orderBy("id")
      .execute();
    const seen: { id: number; due_date: string }[] = [];
    const addedAhead: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : "?limit=100";
      const body = await page(actionsList, `/api/v1/actions${query}`);
      seen.push(...body.data.map((a) => ({ id: a.id, due_date: a.due_date as string })));
      cursor = body.next_cursor;
      pages++;
      if (pages === 5) {
        // Behind the cursor (an earlier date): never shown on a later page, nor does it shift one.
        await addAction("2027-01-01");
        // Ahead of it (the last date): shown in its place.
        addedAhead.push(await addAction("2027-01-30"));
      }
    } while (cursor !== null && pages < 100);

    expect(pages).toBe(31);
    const ids = seen.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !addedAhead.includes(id))).toEqual(original.map((a) => Number(a.id)));
    expect(ids).toContain(addedAhead[0]);
    // In order: due date, then id.
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      expect(a.due_date < b.due_date || (a.due_date === b.due_date && a.id < b.id)).toBe(true);
    }
  });

  it("keeps the filters across pages", async () => {
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=40&due_from=2027-01-05&due_to=2027-01-06${cursor ? `&cursor=${cursor}` : ""}`;
      const body = await page(actionsList, `/api/v1/actions${query}`);
      ids.push(...body.data.map((a) => a.id));
      cursor = body.next_cursor;
    } while (cursor);
    const expected = await handle.db
      .selectFrom("actions")
      .select("id")
      .where("workspace_id", "=", ws)
      .where("due_date", ">=", "2027-01-05")
      .where("due_date", "<=", "2027-01-06")
      .orderBy("due_date")
      .orderBy("id")
      .execute();
    expect(ids).toEqual(expected.map((a) => Number(a.id)));
  });

  it("walks the boards in name order two at a time", async () => {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const body = await page(boardsList, `/api/v1/boards?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(body.data.length).toBeLessThanOrEqual(2);
      names.push(...body.data.map((b) => b.name as string));
      cursor = body.next_cursor;
    } while (cursor);
    expect(names.map((n) => n.toLowerCase())).toEqual([
      "alpha",
      "alpha",
      "bravo",
      "charlie",
      "delta",
      "echo",
      "foxtrot",
      "golf",
    ]);
    expect(new Set(names).size).toBe(8);
  });

  it("walks a board's meetings both ways in time, and refuses one list's cursor in another", async () => {
    const now = Date.now();
    for (let i = 1; i <= 12; i++) {
      // Two meetings at each time, so the id decides between them.
      for (const sign of [1, -1]) {
        await insertMeeting(handle.db, ws, {
          board_id: boardId,
          starts_at: new Date(now + sign * Math.ceil(i / 2) * 86_400_000),
        });
      }
    }
    const walk = async (when: "upcoming" | "past") => {
      const seen: { id: number; starts_at: string }[] = [];
      let cursor: string | null = null;
      do {
        const body = await page(
          boardMeetings,
          `/api/v1/boards/${boardId}/meetings?when=${when}&limit=5${cursor ? `&cursor=${cursor}` : ""}`,
          { boardId: String(boardId) },
        );
        seen.push(...body.data.map((m) => ({ id: m.id, starts_at: m.starts_at as string })));
        cursor = body.next_cursor;
      } while (cursor);
      return seen;
    };
    const upcoming = await walk("upcoming");
    const past = await walk("past");
    expect(upcoming).toHaveLength(12);
    expect(past).toHaveLength(12);
    expect(new Set([...upcoming, ...past].map((m) => m.id)).size).toBe(24);
    const time = (m: { starts_at: string }) => Date.parse(m.starts_at);
    for (let i = 1; i < 12; i++) {
      expect(time(upcoming[i]!)).toBeGreaterThanOrEqual(time(upcoming[i - 1]!));
      expect(time(past[i]!)).toBeLessThanOrEqual(time(past[i - 1]!));
    }

    const first = await page(boardMeetings, `/api/v1/boards/${boardId}/meetings?when=past&limit=5`, {
      boardId: String(boardId),
    });
    const crossed = await callApi(boardMeetings, {
      path: `/api/v1/boards/${boardId}/meetings?when=upcoming&cursor=${first.next_cursor}`,
      params: { boardId: String(boardId) },
      token,
    });
    expect(crossed.status).toBe(422);
    const actions = await callApi(actionsList, {
      path: `/api/v1/actions?cursor=${first.next_cursor}`,
      token,
    });
    expect(actions.status).toBe(422);
  });
});
