import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "~/api/cursor";
import { API_RATE_LIMIT } from "~/api/handler.server";
import { useDatabaseForTests } from "~/db.server";
import * as catchAll from "~/routes/api.v1.$";
import * as actions from "~/routes/api.v1.actions._index";
import * as action from "~/routes/api.v1.actions.$actionId._index";
import * as boards from "~/routes/api.v1.boards._index";
import * as board from "~/routes/api.v1.boards.$boardId._index";
import * as boardMeetings from "~/routes/api.v1.boards.$boardId.meetings";
import * as boardPlan from "~/routes/api.v1.boards.$boardId.plan";
import * as meeting from "~/routes/api.v1.meetings.$meetingId._index";
import * as meetingCost from "~/routes/api.v1.meetings.$meetingId.cost";
import * as openapi from "~/routes/api.v1.openapi[.]json";
import type { DatabaseHandle } from "../../db/client";
import { type ApiModule, callApi, tokenFor } from "../api";
import { freshDatabase } from "../database";
import { insertAgency, insertBoard, insertMeeting, insertUser, insertWorkspace } from "../factories";

/*
 * Hostile query strings and path ids at every GET endpoint of the JSON API: fast-check
 * builds query strings from the endpoints' own parameter names and from nonsense, with
 * huge strings, control characters and NUL bytes, broken percent-encoding, SQL and HTML
 * injection, absurd numbers and dates, repeated parameters, tampered and foreign cursors
 * (valid base64 JSON of the wrong kind, or with hostile keys), and the ids of another
 * workspace's records. For every request, as an admin and as a partner:
 * - never a 5xx;
 * - a refusal is an RFC 9457 problem document (application/problem+json) whose status is
 *   the response's, with a title and a detail in words;
 * - nothing of the other workspace comes back.
 * API_FUZZ_RUNS sets the runs per endpoint (default 40).
 */

const RUNS = Number(process.env.API_FUZZ_RUNS ?? 40);
const FOREIGN_MARK = "Zanzibar";

let handle: DatabaseHandle;
const ids = { board: 0, meeting: 0, action: 0, agency: 0 };
const foreign = { board: 0, meeting: 0, action: 0, agency: 0 };
const tokens: Record<"admin" | "partner", string> = { admin: "", partner: "" };

async function workspaceWithData(slug: string, mark: string) {
  const db = handle.db;
  const ws = (await insertWorkspace(db, { slug, name: `${mark} partnership` })).id;
  const agency = (await insertAgency(db, ws, { name: `${mark} Police`, type: "police" })).id;
  const boardId = (await insertBoard(db, ws, { name: `${mark} Board` })).id;
  const meetingId = (
    await insertMeeting(db, ws, { board_id: boardId, starts_at: "2026-10-08T09:00:00Z", status: "held" })
  ).id;
  const actionId = (
    await db
      .insertInto("actions")
      .values({
        workspace_id: ws,
        board_id: boardId,
        meeting_id: meetingId,
        title: `${mark} action`,
        owner_agency_id: agency,
        due_date: "2027-01-15",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  return { ws, board: boardId, meeting: meetingId, action: actionId, agency };
}

beforeAll(async () => {
  // Hundreds of requests a minute from one token: past the rate limit, which would answer
  // 429 before any of the input is read.
  API_RATE_LIMIT.limit = 1_000_000;
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const home = await workspaceWithData("home", "Northshire");
  const away = await workspaceWithData("away", FOREIGN_MARK);
  Object.assign(ids, home);
  Object.assign(foreign, away);
  await insertUser(handle.db, home.ws, { email: "admin@home.test" }, [{ role: "admin" }]);
  await insertUser(handle.db, home.ws, { email: "partner@home.test" }, [
    { role: "partner", agency_id: home.agency },
  ]);
  tokens.admin = (await tokenFor(handle.db, "admin@home.test", "read")).token;
  tokens.partner = (await tokenFor(handle.db, "partner@home.test", "read")).token;
});
afterAll(() => handle?.close());

// ── Hostile values ───────────────────────────────────────────────────────────────────────

const HOSTILE = [
  "",
  " ",
  "0",
  "-1",
  "1.5",
  "1e308",
  "-1e308",
  "NaN",
  "Infinity",
  "0x10",
  "9007199254740993",
  "99999999999999999999999999",
  "2027-02-30",
  "2027-13-01",
  "0000-01-01",
  "0001-01-01",
  "9999-12-31",
  "275760-09-13",
  "2027-01-01T25:00:00Z",
  "0000-01-01T00:00:00Z",
  "true",
  "null",
  "[]",
  "{}",
  "' or 1=1--",
  "1; drop table actions;--",
  "%' union select password_hash from users --",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "\u0000",
  "a\u0000b",
  "\u0007\u001b[31m",
  "\uFEFF",
  "\uD800",
  "../../etc/passwd",
  "me",
  "open",
  "red",
  "past",
  "2026/27",
  "ACT-1",
];

/** Percent-encoded as a client might send it, or deliberately broken. */
const encodings = (value: string) =>
  fc.constantFrom(
    encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, "?")),
    value.replace(/[&#%\s]/g, ""),
    "%E0%A4%A",
    "%",
    "%zz",
    "%00",
    "%C0%AF",
  );

const foreignId = () => fc.constantFrom(foreign.board, foreign.meeting, foreign.action, foreign.agency);

const value = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom("x".repeat(501), "ü".repeat(5000)) },
    { weight: 1, arbitrary: fc.integer().map(String) },
    { weight: 1, arbitrary: foreignId().map(String) },
  );

/** Cursors: garbage, ones of another list, and well-formed ones holding hostile keys. */
const cursor = () =>
  fc.oneof(
    value().map(String),
    fc.constantFrom("boards", "actions", "meetings:upcoming", "meetings:past", "other").chain((kind) =>
      fc
        .record({
          name: value(),
          id: fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 63), foreignId(), value()),
          due_date: fc.oneof(value(), fc.constantFrom("0000-01-01", "9999-12-31", "2027-02-29")),
          starts_at: fc.oneof(
            value(),
            fc.constantFrom("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "+275760-09-13T00:00:00Z"),
          ),
        })
        .map((key) => encodeCursor(kind, key as Record<string, string | number>)),
    ),
  );

const PAGING = ["cursor", "limit"];
const UNKNOWN = ["id", "workspace_id", "__proto__", "constructor", "sort", "q[]"];

/**
 * A query string: mostly the endpoint's own parameters (so the values reach validation and
 * the queries, rather than being refused for an unknown name), sometimes unknown ones,
 * repeated at times, with hostile values, raw or encoded.
 */
const queryString = (names: readonly string[]) =>
  fc
    .array(
      fc.tuple(
        fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom(...names, ...PAGING) },
          { weight: 1, arbitrary: fc.constantFrom(...UNKNOWN) },
          { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
        ),
        fc.oneof(value().chain(encodings), cursor()),
      ),
      { maxLength: 4 },
    )
    .map((pairs) =>
      pairs.length === 0 ? "" : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join("&")}`,
    );

/** A path id: ours, another workspace's, or nonsense. */
const pathId = (own: () => number) =>
  fc.oneof(
    fc.constant(String(own())),
    foreignId().map(String),
    fc.constantFrom("0", "-1", "1e3", "01", "1.0", "9007199254740993", "99999999999999999999", "1 or 1=1"),
    fc.string({ maxLength: 30 }),
  );

// ── The endpoints ────────────────────────────────────────────────────────────────────────

interface Target {
  name: string;
  module: ApiModule;
  path: string;
  /** The path parameter and whose id is ours, if any. */
  param?: { name: string; own: () => number };
  /** Its query parameters besides cursor and limit. */
  query?: string[];
}

const targets: Target[] = [
  { name: "GET /boards", module: boards as unknown as ApiModule, path: "/api/v1/boards" },
  {
    name: "GET /boards/{id}",
    module: board as unknown as ApiModule,
    path: "/api/v1/boards/:id",
    param: { name: "boardId", own: () => ids.board },
  },
  {
    name: "GET /boards/{id}/meetings",
    module: boardMeetings as unknown as ApiModule,
    path: "/api/v1/boards/:id/meetings",
    param: { name: "boardId", own: () => ids.board },
    query: ["when", "status", "from", "to"],
  },
  {
    name: "GET /boards/{id}/plan",
    module: boardPlan as unknown as ApiModule,
    path: "/api/v1/boards/:id/plan",
    param: { name: "boardId", own: () => ids.board },
    query: ["period"],
  },
  {
    name: "GET /actions",
    module: actions as unknown as ApiModule,
    path: "/api/v1/actions",
    query: ["q", "board", "agency", "owner", "status", "rag", "due_from", "due_to"],
  },
  {
    name: "GET /actions/{id}",
    module: action as unknown as ApiModule,
    path: "/api/v1/actions/:id",
    param: { name: "actionId", own: () => ids.action },
  },
  {
    name: "GET /meetings/{id}",
    module: meeting as unknown as ApiModule,
    path: "/api/v1/meetings/:id",
    param: { name: "meetingId", own: () => ids.meeting },
  },
  {
    name: "GET /meetings/{id}/cost",
    module: meetingCost as unknown as ApiModule,
    path: "/api/v1/meetings/:id/cost",
    param: { name: "meetingId", own: () => ids.meeting },
  },
  { name: "GET /openapi.json", module: openapi as unknown as ApiModule, path: "/api/v1/openapi.json" },
  {
    name: "GET an unknown path",
    module: catchAll as unknown as ApiModule,
    path: "/api/v1/:id",
    param: { name: "*", own: () => ids.board },
  },
];

async function check(target: Target, who: "admin" | "partner", id: string | null, query: string) {
  const path = target.path.replace(":id", encodeURIComponent(id ?? ""));
  const params: Record<string, string> = target.param && id !== null ? { [target.param.name]: id } : {};
  const outcome = await callApi(target.module, { path: `${path}${query}`, params, token: tokens[who] });
  const context = `${target.name} as ${who}: ${path}${query} → ${outcome.status} ${JSON.stringify(outcome.json)?.slice(0, 300)}`;
  expect(outcome.status, context).toBeLessThan(500);
  expect(outcome.status, context).not.toBe(429);
  const text = JSON.stringify(outcome.json) ?? "";
  expect(text, context).not.toContain(FOREIGN_MARK);
  if (outcome.status >= 400) {
    expect(outcome.contentType, context).toMatch(/^application\/problem\+json/);
    const problem = outcome.json as { status: number; title: string; detail: string; type: string };
    expect(problem.status, context).toBe(outcome.status);
    expect(problem.title, context).toMatch(/\w/);
    expect(problem.detail, context).toMatch(/\w/);
    expect(text, context).not.toMatch(/syntax error|violates|invalid input|out of range for type|stack/i);
  } else {
    expect(outcome.status, context).toBe(200);
    expect(outcome.contentType, context).toMatch(/json/);
  }
}

describe("hostile query strings and ids at every GET endpoint of the API", () => {
  for (const target of targets) {
    it(`${target.name}: never a 5xx, refusals as problem+json, nothing of another workspace`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("admin" as const, "partner" as const),
          target.param ? pathId(target.param.own) : fc.constant(null),
          queryString(target.query ?? []),
          (who, id, query) => check(target, who, id, query),
        ),
        { numRuns: RUNS },
      );
    });
  }

  it("survives the inputs most likely to reach the database badly", async () => {
    const nasty = [
      "?q=%00",
      "?q=a%00b",
      "?q=%25%5F%5C",
      "?q=ACT-99999999999999999",
      "?due_from=0000-01-01",
      "?due_from=0001-01-01&due_to=9999-12-31",
      "?due_to=2027-02-29",
      `?owner=${"9".repeat(15)}`,
      `?board=${"9".repeat(15)}&agency=${"9".repeat(15)}`,
      "?status=open&status=open&status=done&rag=red&rag=red",
      `?cursor=${encodeCursor("actions", { due_date: "0000-01-01", id: 1 })}`,
      `?cursor=${encodeCursor("actions", { due_date: "2027-01-01", id: 2 ** 62 })}`,
      `?cursor=${encodeCursor("actions", { due_date: "2027-01-01", id: -1 })}`,
      `?cursor=${encodeCursor("boards", { name: "a\u0000b", id: 1 })}`,
      `?cursor=${encodeCursor("meetings:upcoming", { starts_at: "2027-01-01T00:00:00Z", id: 1 })}`,
      "?limit=100&limit=1",
    ];
    // Found by this test: a NUL in a filter, and the year 0000, used to fail in PostgreSQL (500).
    for (const [query, field] of [
      ["?q=a%00b", "q"],
      ["?due_from=0000-01-01", "due_from"],
    ] as const) {
      const refused = await callApi(actions as unknown as ApiModule, {
        path: `/api/v1/actions${query}`,
        token: tokens.admin,
      });
      expect(refused.status, query).toBe(422);
      const problem = refused.json as { errors: { in: string; field: string; message: string }[] };
      expect(problem.errors.map((e) => [e.in, e.field])).toContainEqual(["query", field]);
    }
    for (const query of nasty) {
      await check(targets[4]!, "admin", null, query);
      await check(targets[0]!, "partner", null, query.replace(/due_|owner|board=|agency=/g, "x"));
    }
    for (const query of [
      "?from=0000-01-01",
      "?from=0001-01-01&to=9999-12-31",
      "?when=past&from=2026-01-01&to=2026-12-31",
      `?cursor=${encodeCursor("meetings:upcoming", { starts_at: "0000-01-01T00:00:00Z", id: 1 })}`,
      `?cursor=${encodeCursor("meetings:past", { starts_at: "+275760-09-13T00:00:00Z", id: 1 })}`,
      `?when=past&cursor=${encodeCursor("meetings:past", { starts_at: "9999-12-31T23:59:59.999Z", id: 2 ** 62 })}`,
    ]) {
      await check(targets[2]!, "admin", String(ids.board), query);
    }
    for (const period of ["0000/00", "9999/99", "2026/27"]) {
      await check(targets[3]!, "admin", String(ids.board), `?period=${encodeURIComponent(period)}`);
    }
  });

  it("refuses another workspace's ids in the path and in filters with 404 or an empty list", async () => {
    for (const who of ["admin", "partner"] as const) {
      for (const [target, id] of [
        [targets[1]!, foreign.board],
        [targets[2]!, foreign.board],
        [targets[3]!, foreign.board],
        [targets[5]!, foreign.action],
        [targets[6]!, foreign.meeting],
        [targets[7]!, foreign.meeting],
      ] as const) {
        const path = target.path.replace(":id", String(id));
        const outcome = await callApi(target.module, {
          path,
          params: { [target.param!.name]: String(id) },
          token: tokens[who],
        });
        expect(outcome.status, `${target.name} as ${who}`).toBe(404);
        expect(outcome.contentType).toMatch(/^application\/problem\+json/);
      }
      for (const query of [
        `?board=${foreign.board}`,
        `?agency=${foreign.agency}`,
        `?owner=${foreign.action}`,
      ]) {
        const outcome = await callApi(actions as unknown as ApiModule, {
          path: `/api/v1/actions${query}`,
          token: tokens[who],
        });
        expect(outcome.status, query).toBe(200);
        expect((outcome.json as { data: unknown[] }).data, query).toEqual([]);
      }
    }
  });
});
