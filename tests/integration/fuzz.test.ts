import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import type { DatabaseHandle } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";
import { WORKSPACE_TABLES } from "../../db/tenancy";
import { freshDatabase } from "../database";
import { callRoute, cookieFor, type RouteModule, type RouteOutcome, routeArgs } from "../routes";

/*
 * Hostile input at every form action: fast-check builds forms from the action's own field
 * names (read from the zod schemas the route uses) filled with huge strings, control
 * characters, NUL bytes, SQL and HTML injection, absurd numbers and dates, other
 * workspaces' ids, wrong types (repeated fields), and missing fields. For every one:
 * - never a 500 (an unhandled error fails the property);
 * - a refusal (4xx) writes nothing: every table's contents are unchanged (only the
 *   "access.refused" audit event a 404 records may appear);
 * - a refusal of the form says why, in a sentence, and never leaks a database error;
 * - an accepted change (2xx/3xx) that changed data left an audit event.
 *
 * A route file with an action and no entry here fails the test, as in the authorisation
 * matrix: adding a form means adding one line. FUZZ_RUNS sets the runs per route (default 8).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
const ROUTES_DIR = path.resolve("app/routes");

interface Fixture {
  boardId: number;
  meetingId: number;
  itemId: number;
  actionId: number;
  /** An LCJB plan and one of its objectives. */
  planId: number;
  objectiveId: number;
  agencyId: number;
  personId: number;
  userId: number;
  /** Ids of another workspace's board, meeting, agency, person, user. */
  foreignIds: number[];
}

interface Entry {
  route: string;
  path: (f: Fixture) => string;
  params?: (f: Fixture) => Record<string, string>;
  /** Who posts: a role that may, so validation is reached (null: signed out). */
  as?: "admin" | "secretary" | "partner" | null;
  /** Field names beyond those found in the route's schemas (nested or computed forms). */
  fields?: string[];
  /** A JSON API endpoint: the fields go as a JSON body with the admin's write token. */
  api?: boolean;
}

const meeting = (f: Fixture) => ({ meetingId: String(f.meetingId) });
const board = (f: Fixture) => ({ boardId: String(f.boardId) });

const entries: Entry[] = [
  { route: "$", path: () => "/no-such-page", params: () => ({ "*": "no-such-page" }) },
  { route: "account._index", path: () => "/account" },
  { route: "account.reminders", path: () => "/account/reminders" },
  { route: "account.tokens", path: () => "/account/tokens" },
  { route: "admin.jobs", path: () => "/admin/jobs", fields: ["jobId"] },
  {
    route: "api.v1.$",
    path: () => "/api/v1/no-such-thing",
    params: () => ({ "*": "no-such-thing" }),
    api: true,
    fields: ["anything"],
  },
  {
    route: "api.v1.actions.$actionId.updates",
    path: (f) => `/api/v1/actions/${f.actionId}/updates`,
    params: (f) => ({ actionId: String(f.actionId) }),
    api: true,
    fields: ["body", "status", "version", "outcome"],
  },
  { route: "api.v1.openapi[.]json", path: () => "/api/v1/openapi.json", api: true, fields: ["anything"] },
  // Read-only endpoints: a POST is refused (405) with a problem document, whatever it holds.
  ...(
    [
      ["api.v1.actions._index", () => "/api/v1/actions", () => ({})],
      [
        "api.v1.agencies.$agencyId.rollup",
        (f) => `/api/v1/agencies/${f.agencyId}/rollup`,
        (f) => ({ agencyId: String(f.agencyId) }),
      ],
      [
        "api.v1.actions.$actionId._index",
        (f) => `/api/v1/actions/${f.actionId}`,
        (f) => ({ actionId: String(f.actionId) }),
      ],
      ["api.v1.boards._index", () => "/api/v1/boards", () => ({})],
      ["api.v1.boards.$boardId._index", (f) => `/api/v1/boards/${f.boardId}`, board],
      ["api.v1.boards.$boardId.meetings", (f) => `/api/v1/boards/${f.boardId}/meetings`, board],
      ["api.v1.boards.$boardId.plan", (f) => `/api/v1/boards/${f.boardId}/plan`, board],
      ["api.v1.boards.$boardId.rollup", (f) => `/api/v1/boards/${f.boardId}/rollup`, board],
      ["api.v1.meetings.$meetingId._index", (f) => `/api/v1/meetings/${f.meetingId}`, meeting],
      ["api.v1.meetings.$meetingId.cost", (f) => `/api/v1/meetings/${f.meetingId}/cost`, meeting],
    ] as [string, (f: Fixture) => string, (f: Fixture) => Record<string, string>][]
  ).map(([route, path, params]): Entry => ({ route, path, params, api: true, fields: ["anything", "id"] })),
  { route: "account.passkeys", path: () => "/account/passkeys" },
  { route: "account.password", path: () => "/account/password" },
  { route: "account.two-factor", path: () => "/account/two-factor" },
  {
    route: "actions.$actionId",
    path: (f) => `/actions/${f.actionId}`,
    params: (f) => ({ actionId: String(f.actionId) }),
    as: "partner",
  },
  {
    route: "actions.$actionId_.objectives",
    path: (f) => `/actions/${f.actionId}/objectives`,
    params: (f) => ({ actionId: String(f.actionId) }),
    as: "secretary",
  },
  {
    route: "admin.agencies.$agencyId",
    path: (f) => `/admin/agencies/${f.agencyId}`,
    params: (f) => ({ agencyId: String(f.agencyId) }),
  },
  { route: "admin.agencies.new", path: () => "/admin/agencies/new" },
  { route: "admin.audit", path: () => "/admin/audit" },
  {
    route: "admin.people.$personId",
    path: (f) => `/admin/people/${f.personId}`,
    params: (f) => ({ personId: String(f.personId) }),
  },
  {
    route: "admin.people.$personId_.interests",
    path: (f) => `/admin/people/${f.personId}/interests`,
    params: (f) => ({ personId: String(f.personId) }),
  },
  { route: "admin.people.new", path: () => "/admin/people/new" },
  { route: "admin.security", path: () => "/admin/security" },
  { route: "admin.settings", path: () => "/admin/settings" },
  { route: "admin.users._index", path: () => "/admin/users" },
  { route: "admin.users.invite", path: () => "/admin/users/invite" },
  {
    route: "boards.$boardId_.edit",
    path: (f) => `/boards/${f.boardId}/edit`,
    params: board,
    as: "secretary",
  },
  {
    route: "boards.$boardId_.meetings.new",
    path: (f) => `/boards/${f.boardId}/meetings/new`,
    params: board,
    as: "secretary",
  },
  { route: "boards.$boardId_.members", path: (f) => `/boards/${f.boardId}/members`, params: board },
  {
    route: "boards.$boardId_.plans._index",
    path: (f) => `/boards/${f.boardId}/plans`,
    params: board,
    as: "secretary",
  },
  {
    route: "boards.$boardId_.plans.$planId",
    path: (f) => `/boards/${f.boardId}/plans/${f.planId}`,
    params: (f) => ({ boardId: String(f.boardId), planId: String(f.planId) }),
    as: "secretary",
  },
  {
    route: "boards.$boardId_.plans.$planId_.objectives.$objectiveId",
    path: (f) => `/boards/${f.boardId}/plans/${f.planId}/objectives/${f.objectiveId}`,
    params: (f) => ({
      boardId: String(f.boardId),
      planId: String(f.planId),
      objectiveId: String(f.objectiveId),
    }),
    as: "secretary",
  },
  { route: "boards.new", path: () => "/boards/new" },
  { route: "forgot-password", path: () => "/forgot-password", as: null },
  {
    route: "invitations.$token",
    path: () => "/invitations/1.forged",
    params: () => ({ token: "1.forged" }),
    as: null,
  },
  {
    route: "meetings.$meetingId.agenda",
    path: (f) => `/meetings/${f.meetingId}/agenda`,
    params: meeting,
    as: "secretary",
  },
  {
    route: "meetings.$meetingId.agenda_.$itemId",
    path: (f) => `/meetings/${f.meetingId}/agenda/${f.itemId}`,
    params: (f) => ({ meetingId: String(f.meetingId), itemId: String(f.itemId) }),
    as: "secretary",
  },
  { route: "meetings.$meetingId.cancel", path: (f) => `/meetings/${f.meetingId}/cancel`, params: meeting },
  {
    route: "meetings.$meetingId.declarations",
    path: (f) => `/meetings/${f.meetingId}/declarations`,
    params: meeting,
    as: "secretary",
  },
  { route: "meetings.$meetingId.edit", path: (f) => `/meetings/${f.meetingId}/edit`, params: meeting },
  // The latest held LCJB meeting, which the demo secretary attended: the form is theirs to answer.
  {
    route: "meetings.$meetingId.feedback",
    path: (f) => `/meetings/${f.meetingId}/feedback`,
    params: meeting,
    as: "secretary",
  },
  {
    route: "meetings.$meetingId.register",
    path: (f) => `/meetings/${f.meetingId}/register`,
    params: meeting,
    as: "secretary",
    fields: ["rows[0].id", "rows[0].status", "rows[0].minutesPresent", "rows[0].mode", "rows[1].deputy"],
  },
  {
    // The latest held LCJB meeting: its minutes are not written yet, so a lucky form creates them.
    route: "meetings.$meetingId.minutes.edit",
    path: (f) => `/meetings/${f.meetingId}/minutes/edit`,
    params: meeting,
    as: "secretary",
    fields: [
      "items[0].id",
      "items[0].discussion",
      "items[0].newDecision",
      "items[0].decisions[0].id",
      "items[0].decisions[0].text",
      "items[0].actions[0].id",
      "items[0].actions[0].remove",
      "items[0].newAction.title",
      "items[0].newAction.ownerAgency",
      "items[0].newAction.ownerPerson",
      "items[0].newAction.dueDate",
    ],
  },
  {
    route: "meetings.$meetingId.minutes._index",
    path: (f) => `/meetings/${f.meetingId}/minutes`,
    params: meeting,
    as: "secretary",
  },
  {
    route: "reset-password.$token",
    path: () => "/reset-password/forged",
    params: () => ({ token: "forged" }),
    as: null,
  },
  { route: "sign-in._index", path: () => "/sign-in", as: null },
  { route: "sign-in.two-factor", path: () => "/sign-in/two-factor", as: null },
  { route: "sign-out", path: () => "/sign-out" },
  { route: "workspace", path: () => "/workspace", fields: ["workspaceId"] },
];

// ── Field names, from the route's own schemas ───────────────────────────────────────────

function routeSource(route: string): { file: string; text: string } {
  const file = readdirSync(ROUTES_DIR).find((f) => f.replace(/\.(tsx|ts)$/, "") === route);
  if (!file) throw new Error(`No route file for ${route}`);
  return { file, text: readFileSync(path.join(ROUTES_DIR, file), "utf8") };
}

function routesWithActions(): string[] {
  return readdirSync(ROUTES_DIR)
    .filter((f) => /\.(tsx|ts)$/.test(f) && !/\.test\.tsx?$/.test(f))
    .filter((f) =>
      /export (async )?function action\b|export const action\b/.test(
        readFileSync(path.join(ROUTES_DIR, f), "utf8"),
      ),
    )
    .map((f) => f.replace(/\.(tsx|ts)$/, ""));
}

type ZodLike = { shape?: Record<string, unknown>; _zod?: { def?: Record<string, unknown> } };

/** The top-level keys of a zod object schema, looking through refinements, pipes and unions. */
function keysOf(schema: unknown, seen = new Set<unknown>()): string[] {
  if (!schema || typeof schema !== "object" || seen.has(schema)) return [];
  seen.add(schema);
  const zod = schema as ZodLike;
  if (zod.shape && typeof zod.shape === "object") return Object.keys(zod.shape);
  const def = zod._zod?.def ?? {};
  const inner = [
    def.in,
    def.innerType,
    def.schema,
    def.left,
    def.right,
    ...((def.options as unknown[]) ?? []),
  ];
  return inner.flatMap((part) => keysOf(part, seen));
}

async function fieldsOf(entry: Entry): Promise<{ fields: string[]; intents: string[] }> {
  const { text } = routeSource(entry.route);
  const imports = new Map<string, string>();
  for (const match of text.matchAll(/import\s*\{([^}]+)\}\s*from\s*"([^"]+)"/g)) {
    for (const name of match[1]!.split(",")) imports.set(name.replace(/^\s*type\s+/, "").trim(), match[2]!);
  }
  const fields = new Set<string>(entry.fields ?? []);
  for (const match of text.matchAll(/schema:\s*([A-Za-z0-9_]+)/g)) {
    const name = match[1]!;
    const from = imports.get(name);
    if (!from) continue;
    const resolved = from.startsWith("~/")
      ? path.resolve("app", from.slice(2))
      : path.resolve(ROUTES_DIR, from);
    const module = (await import(/* @vite-ignore */ resolved)) as Record<string, unknown>;
    for (const key of keysOf(module[name])) fields.add(key);
  }
  for (const match of text.matchAll(/formData\.get\("([^"]+)"\)/g)) fields.add(match[1]!);
  const intents = [...text.matchAll(/intent\s*===\s*"([^"]+)"/g)].map((m) => m[1]!);
  for (const match of text.matchAll(/z\.literal\("([a-z-]+)"\)/g)) intents.push(match[1]!);
  if (intents.length > 0) fields.add("intent");
  return { fields: [...fields], intents: [...new Set(intents)] };
}

// ── Hostile values ──────────────────────────────────────────────────────────────────────

const NASTY = [
  "",
  " ",
  "'; drop table boards; --",
  "' or '1'='1",
  "1; select pg_sleep(10)",
  '<script>alert("x")</script>',
  '"><img src=x onerror=alert(1)>',
  "\u0000",
  "a\u0000b",
  "\u202eevil",
  "\ud800",
  "../../etc/passwd",
  "%00",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  "${7*7}{{7*7}}",
  "-1",
  "0",
  "-0",
  "1e308",
  "NaN",
  "Infinity",
  "99999999999999999999999",
  "9007199254740993",
  "0x1F",
  "12.345678",
  "£-5",
  "2026-02-30",
  "0000-00-00",
  "9999-12-31",
  "31/12/99999",
  "25:61",
  "true",
  "null",
  "[]",
  '{"a":1}',
];

function valueFor(fixture: Fixture, intents: string[]): fc.Arbitrary<string> {
  const ids = [
    fixture.boardId,
    fixture.meetingId,
    fixture.itemId,
    fixture.actionId,
    fixture.planId,
    fixture.objectiveId,
    fixture.agencyId,
    fixture.personId,
  ];
  return fc.oneof(
    { arbitrary: fc.constantFrom(...NASTY), weight: 5 },
    { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
    { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 1 },
    {
      arbitrary: fc
        .array(fc.integer({ min: 0, max: 31 }), { maxLength: 20 })
        .map((codes) => String.fromCharCode(...codes)),
      weight: 1,
    },
    { arbitrary: fc.constantFrom("x".repeat(100_000), "é".repeat(5_001), "a\n".repeat(30_000)), weight: 1 },
    { arbitrary: fc.constantFrom(...fixture.foreignIds, ...ids).map(String), weight: 3 },
    { arbitrary: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).map(String), weight: 1 },
    ...(intents.length > 0 ? [{ arbitrary: fc.constantFrom(...intents), weight: 2 }] : []),
  );
}

function formArbitrary(
  fixture: Fixture,
  fields: string[],
  intents: string[],
): fc.Arbitrary<[string, string][]> {
  const value = valueFor(fixture, intents);
  const intent = intents.length > 0 ? fc.constantFrom(...intents) : value;
  return fc
    .tuple(
      // Each field: missing, once, or repeated (a list where a value is expected).
      ...fields.map((field) =>
        fc.oneof(
          { arbitrary: fc.constant<string[]>([]), weight: 1 },
          { arbitrary: (field === "intent" ? intent : value).map((v) => [v]), weight: 4 },
          { arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }), weight: 1 },
        ),
      ),
      fc.option(fc.tuple(fc.constantFrom("unexpected", "__proto__", "constructor", "rows[99999].id"), value)),
    )
    .map(([...parts]) => {
      const extra = parts.pop() as [string, string] | null;
      const pairs = (parts as string[][]).flatMap((values, i) =>
        values.map((v) => [fields[i]!, v] as [string, string]),
      );
      return extra ? [...pairs, extra] : pairs;
    });
}

// ── What the database holds ─────────────────────────────────────────────────────────────

let handle: DatabaseHandle;
let fixture: Fixture;
let fingerprintQuery: string;
let apiToken: string;

/** A hash of every table's contents (sessions and sign-in throttling aside), and the audit trail's size. */
async function fingerprint(): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`${sql.raw(fingerprintQuery)}`.execute(handle.db);
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
}

function messagesIn(body: unknown): string[] {
  if (typeof body === "string") return body.trim() ? [body.trim()] : [];
  const found: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (typeof value === "string") {
      if (/error|message/i.test(key)) found.push(value);
      return;
    }
    if (Array.isArray(value)) for (const v of value) walk(v, key);
    else if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value)) walk(v, /error/i.test(key) ? key : k);
  };
  walk(body, "");
  return found;
}

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const { workspaceId } = await seedDemo(handle.db, { now: new Date("2026-11-23T12:00:00Z") });
  const db = handle.db;
  const lcjb = await db
    .selectFrom("boards")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("slug", "=", "lcjb")
    .executeTakeFirstOrThrow();
  const item = await db
    .selectFrom("agenda_items")
    .innerJoin("meetings", "meetings.id", "agenda_items.meeting_id")
    .select(["agenda_items.id", "agenda_items.meeting_id"])
    .where("meetings.workspace_id", "=", workspaceId)
    .where("meetings.board_id", "=", lcjb.id)
    .where("meetings.status", "=", "held")
    .orderBy("meetings.starts_at", "desc")
    .executeTakeFirstOrThrow();
  const police = await db
    .selectFrom("agencies")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("type", "=", "police")
    .executeTakeFirstOrThrow();
  const action = await db
    .selectFrom("actions")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("owner_agency_id", "=", police.id)
    .where("board_id", "=", lcjb.id)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  const person = await db
    .selectFrom("people")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  const objective = await db
    .selectFrom("plan_objectives as po")
    .innerJoin("plan_priorities as pp", "pp.id", "po.priority_id")
    .innerJoin("plans as p", "p.id", "pp.plan_id")
    .select(["po.id", "p.id as plan_id"])
    .where("p.workspace_id", "=", workspaceId)
    .where("p.board_id", "=", lcjb.id)
    .orderBy("p.starts_on", "desc")
    .orderBy("po.id")
    .executeTakeFirstOrThrow();
  const admin = await db
    .selectFrom("users")
    .select("id")
    .where("email", "=", "admin@demo.test")
    .executeTakeFirstOrThrow();

  // Another workspace, whose ids the forms are fed.
  const other = await db
    .insertInto("workspaces")
    .values({ slug: "elsewhere", name: "Elsewhere" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const otherAgency = await db
    .insertInto("agencies")
    .values({ workspace_id: other.id, name: "Their police", type: "police" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const otherPerson = await db
    .insertInto("people")
    .values({ workspace_id: other.id, agency_id: otherAgency.id, full_name: "Their person" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const otherBoard = await db
    .insertInto("boards")
    .values({
      workspace_id: other.id,
      name: "Their board",
      slug: "theirs",
      type: "csp",
      level: "local",
      frequency: "monthly",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const otherMeeting = await db
    .insertInto("meetings")
    .values({
      workspace_id: other.id,
      board_id: otherBoard.id,
      starts_at: new Date("2026-10-01T09:00:00Z"),
      duration_minutes: 60,
      format: "virtual",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const otherUser = await db
    .insertInto("users")
    .values({ email: "them@elsewhere.test", name: "Them" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("workspace_users").values({ workspace_id: other.id, user_id: otherUser.id }).execute();

  const { issueApiToken } = await import("~/auth/api-tokens.server");
  const { scopeToWorkspace } = await import("../../db/tenancy");
  apiToken = (
    await issueApiToken(
      scopeToWorkspace(db, workspaceId),
      { userId: admin.id, name: "Fuzzing", scope: "write", expiresInDays: 30 },
      { userId: admin.id, label: "admin@demo.test", ip: null },
    )
  ).token;

  fixture = {
    boardId: lcjb.id,
    meetingId: item.meeting_id,
    itemId: item.id,
    actionId: action.id,
    planId: objective.plan_id,
    objectiveId: objective.id,
    agencyId: police.id,
    personId: person.id,
    userId: admin.id,
    foreignIds: [otherAgency.id, otherPerson.id, otherBoard.id, otherMeeting.id, otherUser.id, other.id],
  };

  const tables = [...WORKSPACE_TABLES].filter((t) => t !== "audit_events");
  tables.push("workspaces", "users", "passkeys", "recovery_codes", "jobs");
  fingerprintQuery = `select ${tables
    // A token's last use is bookkeeping that every API call writes, not a change.
    .map((t) => {
      const row = t === "api_tokens" ? "(x.id, x.name, x.scope, x.expires_at, x.revoked_at)" : "x";
      return `(select coalesce(sum(hashtext(${row}::text)::bigint), 0) from ${t} x) as ${t}`;
    })
    .join(", ")}, (select count(*) from audit_events where event <> 'access.refused') as audited`;
}, 120_000);

afterAll(() => handle.close());

/** The fields as a JSON body (values sometimes numbers, lists or objects: wrong types), with a write token. */
async function callApi(module: RouteModule, entry: Entry, form: [string, string][]): Promise<RouteOutcome> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of form) {
    const typed = /^-?\d+$/.test(value) && value.length < 16 ? Number(value) : value === "[]" ? [] : value;
    body[key] = key in body ? [body[key], typed] : typed;
  }
  const request = new Request(`http://localhost${entry.path(fixture)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${apiToken}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const action = module.action as (args: unknown) => Promise<Response>;
  try {
    const response = await action(routeArgs(request, entry.params?.(fixture) ?? {}));
    return {
      status: response.status,
      location: null,
      headers: response.headers,
      body: await response.text(),
    };
  } catch (thrown) {
    if (thrown instanceof Response) {
      return { status: thrown.status, location: null, headers: thrown.headers, body: await thrown.text() };
    }
    throw thrown;
  }
}

describe("fuzzing every form action", () => {
  it("has an entry for every route with an action", () => {
    const covered = new Set(entries.map((e) => e.route));
    expect(
      routesWithActions().filter((route) => !covered.has(route)),
      "routes with an action and no fuzz entry",
    ).toEqual([]);
  });

  for (const entry of entries) {
    it(`POST ${entry.route}: never a 500, never a partial write, every refusal explained`, async () => {
      const { fields, intents } = await fieldsOf(entry);
      const module = (await import(
        /* @vite-ignore */ path.join(ROUTES_DIR, routeSource(entry.route).file)
      )) as RouteModule;
      const role = entry.as === undefined ? "admin" : entry.as;
      await fc.assert(
        fc.asyncProperty(formArbitrary(fixture, fields, intents), async (form) => {
          const cookie = role && !entry.api ? await cookieFor(handle.db, `${role}@demo.test`) : null;
          const before = await fingerprint();
          let outcome: RouteOutcome;
          try {
            outcome = entry.api
              ? await callApi(module, entry, form)
              : await callRoute(module, {
                  method: "POST",
                  path: entry.path(fixture),
                  params: entry.params?.(fixture),
                  cookie,
                  form,
                });
          } catch (error) {
            throw new Error(
              `unhandled error (a 500): ${error instanceof Error ? error.stack : String(error)}`,
            );
          }
          const after = await fingerprint();
          expect(outcome.status).toBeLessThan(500);
          const changed = Object.keys(after).filter((k) => k !== "audited" && after[k] !== before[k]);
          if (outcome.status >= 400) {
            expect(changed, `a ${outcome.status} refusal wrote to ${changed.join(", ")}`).toEqual([]);
            expect(after.audited).toBe(before.audited);
            if (entry.api) {
              // RFC 9457: a problem document that says what went wrong.
              const problem = JSON.parse(String(outcome.body)) as { title?: string; status?: number };
              expect(problem.status).toBe(outcome.status);
              expect(problem.title).toMatch(/^[A-Z]/);
            } else if ([400, 409, 422].includes(outcome.status)) {
              const messages = messagesIn(outcome.body);
              expect(
                messages.length,
                `a ${outcome.status} with no message: ${JSON.stringify(outcome.body)}`,
              ).toBeGreaterThan(0);
              for (const message of messages) {
                expect(message).toMatch(/^[A-Z‘'"]/);
                expect(message).not.toMatch(
                  /violates|constraint|syntax error|relation "|stack|at [A-Za-z]+ \(/,
                );
              }
            }
          } else if (changed.length > 0) {
            expect(after.audited, `${changed.join(", ")} changed with no audit event`).toBeGreaterThan(
              before.audited!,
            );
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    });
  }
});
