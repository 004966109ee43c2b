import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { meetingCost } from "~/costs/costs.server";
import { meetingVerdict } from "~/costs/rollups.server";
import { useDatabaseForTests } from "~/db.server";
import { getMeetingPage } from "~/meetings/meetings.server";
import * as unknownApi from "~/routes/api.v1.$";
import * as actionsList from "~/routes/api.v1.actions._index";
import * as actionDetail from "~/routes/api.v1.actions.$actionId._index";
import * as actionUpdates from "~/routes/api.v1.actions.$actionId.updates";
import * as boardsList from "~/routes/api.v1.boards._index";
import * as boardDetail from "~/routes/api.v1.boards.$boardId._index";
import * as boardMeetings from "~/routes/api.v1.boards.$boardId.meetings";
import * as boardPlanRoute from "~/routes/api.v1.boards.$boardId.plan";
import * as meetingDetail from "~/routes/api.v1.meetings.$meetingId._index";
import * as meetingCostRoute from "~/routes/api.v1.meetings.$meetingId.cost";
import { scopeToWorkspace } from "../../db/tenancy";
import { type ApiModule, type ApiOutcome, callApi, tokenFor } from "../api";
import { insertAttendance, insertMeeting } from "../factories";
import { type ActionsFixture, actionsFixture, type FixtureRole, SENSITIVE_TEXT } from "./actions-fixture";

/*
 * The JSON API with real tokens: every endpoint for every role (and another workspace's
 * token, which finds nothing here), read against write scope, expired and revoked tokens,
 * bad input answered with problem details and nothing written, the rate limit, and the
 * formats (pence, timestamps with offset, dates). The partnership is actions-fixture.ts.
 */

let f: ActionsFixture;
const ROLES = ["admin", "leader", "secretary", "member", "partner", "outsider"] as const;
type Role = (typeof ROLES)[number] | "anonymous";
const write = {} as Record<FixtureRole, string>;
const read = {} as Record<FixtureRole, string>;
let futureMeeting: number;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  f = await actionsFixture("apitest");
  useDatabaseForTests(f.handle);
  for (const role of ROLES) {
    write[role] = (await tokenFor(f.root, `${role}@apitest.test`, "write")).token;
    read[role] = (await tokenFor(f.root, `${role}@apitest.test`, "read")).token;
  }
  // A costed attendee on the Alpha meeting: Priya (police) at a grade with a salary.
  const grade = await f.root
    .insertInto("grades")
    .values({ workspace_id: f.ws, agency_id: f.agencies.police, name: "Inspector" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await f.root
    .insertInto("grade_rates")
    .values({
      workspace_id: f.ws,
      grade_id: grade.id,
      effective_from: "2020-01-01",
      annual_salary_pence: 5_500_000,
    })
    .execute();
  await f.root.updateTable("people").set({ grade_id: grade.id }).where("id", "=", f.people.priya).execute();
  await insertAttendance(f.root, f.ws, {
    meeting_id: f.alphaMeeting,
    person_id: f.people.priya,
    status: "attended",
    travel_minutes: 30,
    miles: 12.5,
  });
  await insertAttendance(f.root, f.ws, {
    meeting_id: f.alphaMeeting,
    person_id: f.people.cara,
    status: "apologies",
  });
  await f.root
    .updateTable("meetings")
    .set({ venue_cost_pence: 4_500 })
    .where("id", "=", f.alphaMeeting)
    .execute();
  futureMeeting = (
    await insertMeeting(f.root, f.ws, {
      board_id: f.boards.alpha,
      starts_at: new Date(Date.now() + 30 * 86_400_000),
    })
  ).id;
});
afterAll(() => f?.handle.close());

async function as(
  role: Role,
  module: ApiModule,
  path: string,
  params: Record<string, string> = {},
  options: { method?: string; body?: unknown; scope?: "read" | "write" } = {},
): Promise<ApiOutcome> {
  const token = role === "anonymous" ? null : (options.scope === "read" ? read : write)[role];
  return callApi(module, { path, params, token, method: options.method, body: options.body });
}

type Expect = Record<Role, number>;
const all = (status: number): Expect => ({
  anonymous: 401,
  admin: status,
  leader: status,
  secretary: status,
  member: status,
  partner: status,
  outsider: status,
});

interface Row {
  name: string;
  module: ApiModule;
  path: () => string;
  params: () => Record<string, string>;
  method?: string;
  body?: () => unknown;
  expect: Expect;
}

const rows: Row[] = [
  {
    name: "GET /boards",
    module: boardsList,
    path: () => "/api/v1/boards",
    params: () => ({}),
    expect: all(200),
  },
  {
    name: "GET /boards/{alpha}",
    module: boardDetail,
    path: () => `/api/v1/boards/${f.boards.alpha}`,
    params: () => ({ boardId: String(f.boards.alpha) }),
    expect: { ...all(200), partner: 404, outsider: 404 },
  },
  {
    name: "GET /boards/{bravo}",
    module: boardDetail,
    path: () => `/api/v1/boards/${f.boards.bravo}`,
    params: () => ({ boardId: String(f.boards.bravo) }),
    expect: { ...all(404), anonymous: 401, admin: 200, leader: 200 },
  },
  {
    name: "GET /boards/{alpha}/meetings",
    module: boardMeetings,
    path: () => `/api/v1/boards/${f.boards.alpha}/meetings`,
    params: () => ({ boardId: String(f.boards.alpha) }),
    expect: { ...all(200), partner: 404, outsider: 404 },
  },
  {
    name: "GET /boards/{bravo}/meetings",
    module: boardMeetings,
    path: () => `/api/v1/boards/${f.boards.bravo}/meetings?when=past`,
    params: () => ({ boardId: String(f.boards.bravo) }),
    expect: { ...all(404), anonymous: 401, admin: 200, leader: 200 },
  },
  {
    name: "GET /boards/{alpha}/plan",
    module: boardPlanRoute,
    path: () => `/api/v1/boards/${f.boards.alpha}/plan`,
    params: () => ({ boardId: String(f.boards.alpha) }),
    expect: { ...all(200), partner: 404, outsider: 404 },
  },
  {
    name: "GET /meetings/{alpha meeting}",
    module: meetingDetail,
    path: () => `/api/v1/meetings/${f.alphaMeeting}`,
    params: () => ({ meetingId: String(f.alphaMeeting) }),
    expect: { ...all(200), partner: 404, outsider: 404 },
  },
  {
    name: "GET /meetings/{alpha meeting}/cost",
    module: meetingCostRoute,
    path: () => `/api/v1/meetings/${f.alphaMeeting}/cost`,
    params: () => ({ meetingId: String(f.alphaMeeting) }),
    expect: { ...all(200), partner: 404, outsider: 404 },
  },
  {
    name: "GET /actions",
    module: actionsList,
    path: () => "/api/v1/actions",
    params: () => ({}),
    expect: all(200),
  },
  {
    name: "GET /actions/{alphaPolice}",
    module: actionDetail,
    path: () => `/api/v1/actions/${f.actions.alphaPolice}`,
    params: () => ({ actionId: String(f.actions.alphaPolice) }),
    expect: { ...all(200), outsider: 404 },
  },
  {
    name: "GET /actions/{charlieCouncil}",
    module: actionDetail,
    path: () => `/api/v1/actions/${f.actions.charlieCouncil}`,
    params: () => ({ actionId: String(f.actions.charlieCouncil) }),
    // The member's agency (the council) leads it; the secretary and partner have nothing to do with it.
    expect: { ...all(404), anonymous: 401, admin: 200, leader: 200, member: 200 },
  },
  {
    name: "GET /actions/{foreign}",
    module: actionDetail,
    path: () => `/api/v1/actions/${f.actions.foreign}`,
    params: () => ({ actionId: String(f.actions.foreign) }),
    expect: { ...all(404), anonymous: 401, outsider: 200 },
  },
  {
    // A stale version, so nothing is written: those who may update hear 409, the rest 404.
    name: "POST /actions/{alphaPolice}/updates",
    module: actionUpdates,
    method: "POST",
    path: () => `/api/v1/actions/${f.actions.alphaPolice}/updates`,
    params: () => ({ actionId: String(f.actions.alphaPolice) }),
    body: () => ({ body: "Matrix update", version: 999_999 }),
    expect: { ...all(404), anonymous: 401, admin: 409, secretary: 409, partner: 409 },
  },
];

describe("every endpoint for every role", () => {
  for (const row of rows) {
    it(row.name, async () => {
      const actual = {} as Expect;
      for (const role of ["anonymous", ...ROLES] as const) {
        const outcome = await as(role, row.module, row.path(), row.params(), {
          method: row.method,
          body: row.body?.(),
        });
        actual[role] = outcome.status;
        expect(outcome.contentType).toBe(
          outcome.status < 300 ? "application/json" : "application/problem+json",
        );
      }
      expect(actual).toEqual(row.expect);
    });
  }

  it("gives a read token everything a write token reads, and refuses it every write with 403", async () => {
    for (const row of rows) {
      for (const role of ROLES) {
        const outcome = await as(role, row.module, row.path(), row.params(), {
          method: row.method,
          body: row.body?.(),
          scope: "read",
        });
        if (row.method === "POST") {
          expect(outcome.status).toBe(403);
          expect(outcome.headers.get("WWW-Authenticate")).toContain('error="insufficient_scope"');
        } else expect(outcome.status, `${row.name} as ${role}`).toBe(row.expect[role]);
      }
    }
  });
});

describe("what each role sees", () => {
  const ids = (outcome: ApiOutcome) =>
    ((outcome.json as { data: { id: number }[] }).data ?? []).map((a) => a.id);

  it("lists the boards each role reads (none for a partner or another workspace's admin)", async () => {
    const names = async (role: Role) =>
      ((await as(role, boardsList, "/api/v1/boards")).json as { data: { name: string }[] }).data.map(
        (b) => b.name,
      );
    expect(await names("admin")).toEqual(["Alpha board", "Bravo board", "Charlie board"]);
    expect(await names("leader")).toEqual(["Alpha board", "Bravo board", "Charlie board"]);
    expect(await names("secretary")).toEqual(["Alpha board"]);
    expect(await names("member")).toEqual(["Alpha board"]);
    expect(await names("partner")).toEqual([]);
    expect(await names("outsider")).toEqual(["Foreign board"]);
  });

  it("lists exactly the actions the web's action log shows each role, restricted ones without their text", async () => {
    const list = async (role: Role) => as(role, actionsList, "/api/v1/actions?limit=100");
    const a = f.actions;
    expect(ids(await list("partner")).sort()).toEqual([a.alphaPolice, a.bravoSecret, a.bravoSupport].sort());
    expect(ids(await list("member")).sort()).toEqual(
      [a.alphaPolice, a.alphaSecret, a.bravoCouncil, a.charlieCouncil].sort(),
    );
    expect(ids(await list("secretary")).sort()).toEqual([a.alphaPolice, a.alphaSecret, a.charlieFire].sort());
    expect(ids(await list("outsider"))).toEqual([a.foreign]);
    expect(ids(await list("admin"))).toHaveLength(7);

    const partner = (await list("partner")).json as {
      data: { id: number; title: string; restricted: boolean }[];
    };
    const secret = partner.data.find((row) => row.id === a.bravoSecret);
    expect(secret).toMatchObject({ title: "Restricted action", restricted: true, latest_update: null });
    for (const text of Object.values(SENSITIVE_TEXT)) expect(JSON.stringify(partner)).not.toContain(text);

    const detail = await as("partner", actionDetail, `/api/v1/actions/${a.bravoSecret}`, {
      actionId: String(a.bravoSecret),
    });
    expect(detail.json).toMatchObject({ restricted: true, description: null, updates: [], update_count: 1 });
    for (const text of Object.values(SENSITIVE_TEXT)) expect(JSON.stringify(detail.json)).not.toContain(text);
    // The leader reads it whole.
    const whole = await as("leader", actionDetail, `/api/v1/actions/${a.bravoSecret}`, {
      actionId: String(a.bravoSecret),
    });
    expect(whole.json).toMatchObject({
      title: SENSITIVE_TEXT.bravoSecretTitle,
      description: SENSITIVE_TEXT.bravoSecretDescription,
      restricted: false,
    });
  });

  it("filters as the action log does", async () => {
    const a = f.actions;
    const query = async (q: string) => ids(await as("admin", actionsList, `/api/v1/actions?${q}`)).sort();
    expect(await query(`board=${f.boards.bravo}`)).toEqual(
      [a.bravoSecret, a.bravoSupport, a.bravoCouncil].sort(),
    );
    expect(await query(`agency=${f.agencies.police}`)).toEqual(
      [a.alphaPolice, a.bravoSecret, a.bravoSupport].sort(),
    );
    expect(await query(`owner=${f.people.cara}`)).toEqual([a.charlieCouncil]);
    expect(await query("status=done&status=dropped")).toEqual([a.bravoCouncil, a.charlieCouncil].sort());
    expect(await query("rag=complete")).toEqual([a.bravoCouncil]);
    expect(await query("due_from=2026-06-10&due_to=2026-06-14")).toEqual(
      [a.bravoSecret, a.alphaSecret].sort(),
    );
    expect(await query("q=referral")).toEqual([a.bravoSupport]);
    expect(await query(`q=ACT-${a.charlieFire}`)).toEqual([a.charlieFire]);
    expect(ids(await as("partner", actionsList, "/api/v1/actions?owner=me")).sort()).toEqual(
      [a.alphaPolice, a.bravoSecret].sort(),
    );
  });

  it("gives the meeting's cost to the penny as the meeting page does: per attendee only to admins and leaders", async () => {
    const expected = await meetingCost(scopeToWorkspace(f.root, f.ws), f.alphaMeeting);
    expect(expected?.totalPence).toBeGreaterThan(4_500);
    // The verdict beside the cost, as the meeting page shows it.
    const verdict = await meetingVerdict(scopeToWorkspace(f.root, f.ws), f.alphaMeeting);
    const judged = {
      verdict: verdict?.verdict ?? null,
      verdict_reasons: verdict?.reasons ?? [],
      feedback_count: verdict?.feedbackCount ?? 0,
      feedback_average: verdict?.feedbackAverage ?? null,
    };
    expect(judged.verdict).not.toBeNull(); // a held meeting: judged, with its reasons
    expect(judged.verdict_reasons.length).toBeGreaterThan(0);
    for (const role of ["admin", "leader"] as const) {
      const cost = await as(role, meetingCostRoute, `/api/v1/meetings/${f.alphaMeeting}/cost`, {
        meetingId: String(f.alphaMeeting),
      });
      expect(cost.json).toEqual({
        meeting_id: f.alphaMeeting,
        detail: "breakdown",
        total_pence: expected?.totalPence,
        ...judged,
        attendees_pence: expected?.attendeesPence,
        venue_pence: 4_500,
        catering_pence: 0,
        attendees: [
          expect.objectContaining({
            name: "Priya Constable",
            grade_name: "Inspector",
            cost_pence: expected?.attendees[0]?.cost_pence,
            miles: 12.5,
          }),
        ],
      });
    }
    for (const role of ["secretary", "member"] as const) {
      const cost = await as(role, meetingCostRoute, `/api/v1/meetings/${f.alphaMeeting}/cost`, {
        meetingId: String(f.alphaMeeting),
      });
      expect(cost.json).toEqual({
        meeting_id: f.alphaMeeting,
        detail: "total",
        total_pence: expected?.totalPence,
        ...judged,
      });
      const meeting = await as(role, meetingDetail, `/api/v1/meetings/${f.alphaMeeting}`, {
        meetingId: String(f.alphaMeeting),
      });
      expect(JSON.stringify(meeting.json)).not.toMatch(/Inspector|attendees_pence|grade/);
      expect((meeting.json as { cost: unknown }).cost).toEqual(cost.json);
    }
    // And the page says the same.
    const page = await getMeetingPage(f.viewers.leader, f.alphaMeeting);
    expect(page.cost.totalPence).toBe(expected?.totalPence);
  });

  it("gives the meeting's agenda and register to its board's readers", async () => {
    await f.root
      .insertInto("agenda_items")
      .values({
        workspace_id: f.ws,
        meeting_id: f.alphaMeeting,
        position: 0,
        title: "Sensitive case review",
        purpose: "discussion",
        classification: "official_sensitive",
      })
      .execute();
    const meeting = await as("member", meetingDetail, `/api/v1/meetings/${f.alphaMeeting}`, {
      meetingId: String(f.alphaMeeting),
    });
    expect(meeting.json).toMatchObject({
      id: f.alphaMeeting,
      board_id: f.boards.alpha,
      status: "held",
      starts_at: "2026-05-12T10:00:00+01:00",
      agenda: [
        { title: "Sensitive case review", classification: "official_sensitive", purpose: "discussion" },
      ],
      register: { invited: 2, attended: ["Priya Constable"], apologies: ["Cara Council"], not_recorded: 0 },
      can_run: false,
    });
  });

  it("gives a board's plan with each objective's progress from its linked actions", async () => {
    const plan = await f.root
      .insertInto("plans")
      .values({
        workspace_id: f.ws,
        board_id: f.boards.alpha,
        period: "2026/27",
        title: "Alpha plan",
        starts_on: "2026-04-01",
        ends_on: "2027-03-31",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const priority = await f.root
      .insertInto("plan_priorities")
      .values({ workspace_id: f.ws, plan_id: plan.id, position: 0, title: "Safer streets" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const objective = await f.root
      .insertInto("plan_objectives")
      .values({
        workspace_id: f.ws,
        priority_id: priority.id,
        position: 0,
        title: "Fewer repeat offences",
        measure: "Reoffending rate",
        target: "25%",
        current_value: "28%",
        rag: "amber",
        owner_agency_id: f.agencies.police,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const action_id of [f.actions.alphaSecret, f.actions.charlieCouncil, f.actions.bravoCouncil]) {
      await f.root
        .insertInto("objective_actions")
        .values({ workspace_id: f.ws, objective_id: objective.id, action_id })
        .execute();
    }
    const outcome = await as(
      "member",
      boardPlanRoute,
      `/api/v1/boards/${f.boards.alpha}/plan?period=2026/27`,
      {
        boardId: String(f.boards.alpha),
      },
    );
    expect(outcome.json).toEqual({
      board_id: f.boards.alpha,
      periods: [{ id: plan.id, period: "2026/27" }],
      plan: {
        id: plan.id,
        period: "2026/27",
        title: "Alpha plan",
        starts_on: "2026-04-01",
        ends_on: "2027-03-31",
        priorities: [
          {
            id: priority.id,
            position: 0,
            title: "Safer streets",
            objectives: [
              {
                id: objective.id,
                position: 0,
                title: "Fewer repeat offences",
                measure: "Reoffending rate",
                target: "25%",
                current_value: "28%",
                rag: "amber",
                owner_agency: { id: f.agencies.police, name: "Northshire Police" },
                // alphaSecret is open and past due (14 June 2026); the others dropped and done.
                progress: {
                  linked: 3,
                  done: 1,
                  open: 1,
                  in_progress: 0,
                  overdue: 1,
                  dropped: 1,
                  done_on_time: 0,
                },
              },
            ],
          },
        ],
      },
    });
    const none = await as("member", boardPlanRoute, `/api/v1/boards/${f.boards.alpha}/plan?period=2030/31`, {
      boardId: String(f.boards.alpha),
    });
    expect(none.json).toMatchObject({ plan: null });
  });

  it("lists a board's upcoming and past meetings", async () => {
    const list = async (query: string) =>
      ids(
        await as("secretary", boardMeetings, `/api/v1/boards/${f.boards.alpha}/meetings${query}`, {
          boardId: String(f.boards.alpha),
        }),
      );
    expect(await list("")).toEqual([futureMeeting]);
    expect(await list("?when=past")).toEqual([f.alphaMeeting]);
    expect(await list("?when=past&status=cancelled")).toEqual([]);
    expect(await list("?when=past&from=2026-05-12&to=2026-05-12")).toEqual([f.alphaMeeting]);
  });
});

describe("posting an update", () => {
  const post = (role: Role, actionId: number, body: unknown, scope: "read" | "write" = "write") =>
    as(
      role,
      actionUpdates,
      `/api/v1/actions/${actionId}/updates`,
      { actionId: String(actionId) },
      {
        method: "POST",
        body,
        scope,
      },
    );

  async function counts() {
    const [updates, audit, versions] = await Promise.all([
      f.root
        .selectFrom("action_updates")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
      f.root
        .selectFrom("audit_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
      f.root.selectFrom("actions").select(["id", "version", "status"]).orderBy("id").execute(),
    ]);
    return { updates: Number(updates.n), audit: Number(audit.n), versions };
  }

  async function version(actionId: number) {
    const row = await f.root
      .selectFrom("actions")
      .select("version")
      .where("id", "=", actionId)
      .executeTakeFirstOrThrow();
    return row.version;
  }

  it("posts the partner's update and status change, with its audit event", async () => {
    const id = f.actions.alphaPolice;
    const before = await version(id);
    const outcome = await post("partner", id, {
      body: "  Plan drafted with the force  ",
      status: "in_progress",
      version: before,
    });
    expect(outcome.status).toBe(201);
    const json = outcome.json as {
      update: { id: number; body: string; status_to: string; author_name: string; at: string };
      action: { version: number; status: string; updates: { id: number }[] };
    };
    expect(json.update).toMatchObject({
      body: "Plan drafted with the force",
      status_to: "in_progress",
      author_name: "Partner User",
    });
    expect(json.update.at).toMatch(TIMESTAMP);
    expect(json.action).toMatchObject({ version: before + 1, status: "in_progress" });
    expect(json.action.updates[0]?.id).toBe(json.update.id);
    const audit = await f.root
      .selectFrom("audit_events")
      .select(["event", "actor_label", "changes"])
      .where("entity_type", "=", "action")
      .where("entity_id", "=", String(id))
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ event: "action.status_changed", actor_label: "partner@apitest.test" });
  });

  it("lets a partner update an OFFICIAL-SENSITIVE action of their agency without revealing its text", async () => {
    const id = f.actions.bravoSecret;
    const outcome = await post("partner", id, { body: "Done our part", version: await version(id) });
    expect(outcome.status).toBe(201);
    expect(outcome.json).toMatchObject({
      update: { body: "Done our part" },
      action: { restricted: true, updates: [] },
    });
    for (const text of Object.values(SENSITIVE_TEXT))
      expect(JSON.stringify(outcome.json)).not.toContain(text);
  });

  it("answers bad input with every field's problem, and writes nothing", async () => {
    const id = f.actions.alphaPolice;
    const before = await counts();
    const cases: { body: unknown; fields: string[] }[] = [
      { body: {}, fields: ["body", "version"] },
      {
        body: { body: "   ", status: "finished", version: "two", colour: "red" },
        fields: ["body", "status", "version", "colour"],
      },
      { body: { body: "x".repeat(10_001), version: 1, outcome: 5 }, fields: ["body", "outcome"] },
      { body: [], fields: ["(request)"] },
      // Closing needs an outcome: the domain module's own rule, answered the same way.
      { body: { body: "All done", status: "done", version: await version(id) }, fields: ["outcome"] },
    ];
    for (const { body, fields } of cases) {
      const outcome = await post("partner", id, body);
      expect(outcome.status, JSON.stringify(body)).toBe(422);
      expect(outcome.contentType).toBe("application/problem+json");
      const problem = outcome.json as {
        type: string;
        title: string;
        status: number;
        detail: string;
        instance: string;
        errors: { field: string; in: string; pointer: string; message: string }[];
      };
      expect(problem).toMatchObject({
        type: "/api/v1/problems/validation",
        status: 422,
        instance: `/api/v1/actions/${id}/updates`,
      });
      expect([...new Set(problem.errors.map((e) => e.field))].sort()).toEqual([...fields].sort());
      for (const error of problem.errors) {
        expect(error.in).toBe("body");
        expect(error.message.length).toBeGreaterThan(0);
        if (error.field !== "(request)") expect(error.pointer).toBe(`/${error.field}`);
      }
    }
    expect(await counts()).toEqual(before);
  });

  it("refuses malformed JSON (400), other media types (415) and huge bodies (413), writing nothing", async () => {
    const id = f.actions.alphaPolice;
    const before = await counts();
    const request = (body: string, contentType: string) =>
      callApi(actionUpdates, {
        method: "POST",
        path: `/api/v1/actions/${id}/updates`,
        params: { actionId: String(id) },
        token: write.partner,
        body,
        headers: { "Content-Type": contentType },
      });
    expect((await request("{ not json", "application/json")).status).toBe(400);
    expect((await request("body=hello&version=1", "application/x-www-form-urlencoded")).status).toBe(415);
    expect(
      (await request(JSON.stringify({ body: "x".repeat(70_000), version: 1 }), "application/json")).status,
    ).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it("refuses a stale version with 409 and the action's current version", async () => {
    const id = f.actions.charlieFire;
    const current = await version(id);
    const before = await counts();
    const outcome = await post("admin", id, {
      body: "Late news",
      version: current - 1 < 1 ? current + 5 : current - 1,
    });
    expect(outcome.status).toBe(409);
    expect(outcome.json).toMatchObject({
      type: "/api/v1/problems/version-conflict",
      current_version: current,
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses a read token (403) and a token whose user may not update the action (404), writing nothing", async () => {
    const before = await counts();
    const id = f.actions.alphaPolice;
    expect(
      (await post("partner", id, { body: "Read only", version: await version(id) }, "read")).status,
    ).toBe(403);
    expect((await post("leader", id, { body: "Leaders read", version: await version(id) })).status).toBe(404);
    expect((await post("outsider", id, { body: "Elsewhere", version: await version(id) })).status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe("tokens", () => {
  it("refuses a request with no token, a malformed one, or only a session cookie, with WWW-Authenticate", async () => {
    const none = await callApi(actionsList, { path: "/api/v1/actions" });
    expect(none.status).toBe(401);
    expect(none.headers.get("WWW-Authenticate")).toBe('Bearer realm="Boardledger API"');
    expect(none.json).toMatchObject({ status: 401, title: "Unauthorized", instance: "/api/v1/actions" });

    const cookie = await callApi(actionsList, {
      path: "/api/v1/actions",
      headers: { Cookie: f.cookies.admin },
    });
    expect(cookie.status).toBe(401);

    for (const authorization of [
      "Bearer",
      "Basic YWRtaW46YWRtaW4=",
      "Bearer blpat_nope",
      `Bearer ${write.admin}x`,
    ]) {
      const outcome = await callApi(actionsList, {
        path: "/api/v1/actions",
        headers: { Authorization: authorization },
      });
      expect(outcome.status, authorization).toBe(401);
      expect(outcome.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    }
  });

  it("refuses an expired token", async () => {
    const { token } = await tokenFor(f.root, "admin@apitest.test", "read", {
      expiresInDays: 1,
      now: new Date(Date.now() - 2 * 86_400_000),
    });
    const outcome = await callApi(actionsList, { path: "/api/v1/actions", token });
    expect(outcome.status).toBe(401);
  });

  it("refuses a revoked token at once, and a disabled user's", async () => {
    const { token, id } = await tokenFor(f.root, "member@apitest.test", "read");
    expect((await callApi(actionsList, { path: "/api/v1/actions", token })).status).toBe(200);
    await f.root.updateTable("api_tokens").set({ revoked_at: new Date() }).where("id", "=", id).execute();
    expect((await callApi(actionsList, { path: "/api/v1/actions", token })).status).toBe(401);

    const leader = await tokenFor(f.root, "leader@apitest.test", "read");
    await f.root
      .updateTable("users")
      .set({ disabled_at: new Date() })
      .where("id", "=", f.users.leader)
      .execute();
    try {
      expect((await callApi(actionsList, { path: "/api/v1/actions", token: leader.token })).status).toBe(401);
    } finally {
      await f.root.updateTable("users").set({ disabled_at: null }).where("id", "=", f.users.leader).execute();
    }
  });

  it("follows its user's roles as they change", async () => {
    const { token } = await tokenFor(f.root, "secretary@apitest.test", "read");
    const path = `/api/v1/boards/${f.boards.charlie}`;
    const params = { boardId: String(f.boards.charlie) };
    expect((await callApi(boardDetail, { path, params, token })).status).toBe(404);
    const grant = await f.root
      .insertInto("role_grants")
      .values({ workspace_id: f.ws, user_id: f.users.secretary, role: "member", board_id: f.boards.charlie })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect((await callApi(boardDetail, { path, params, token })).status).toBe(200);
    await f.root.deleteFrom("role_grants").where("id", "=", grant.id).execute();
    expect((await callApi(boardDetail, { path, params, token })).status).toBe(404);
  });

  it("records when a token was last used", async () => {
    const { token, id } = await tokenFor(f.root, "member@apitest.test", "read");
    const before = await f.root
      .selectFrom("api_tokens")
      .select("last_used_at")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(before.last_used_at).toBeNull();
    await callApi(boardsList, { path: "/api/v1/boards", token });
    const after = await f.root
      .selectFrom("api_tokens")
      .select("last_used_at")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(after.last_used_at).toBeInstanceOf(Date);
  });

  it("limits each token's requests a minute: 429 with Retry-After, other tokens unaffected", async () => {
    const { token, id } = await tokenFor(f.root, "partner@apitest.test", "read");
    const first = await callApi(boardsList, { path: "/api/v1/boards", token });
    expect(first.status).toBe(200);
    const limit = Number(first.headers.get("RateLimit-Limit"));
    expect(limit).toBeGreaterThan(0);
    expect(Number(first.headers.get("RateLimit-Remaining"))).toBe(limit - 1);
    // Use up the rest of this minute's allowance.
    await f.root
      .updateTable("rate_limit_buckets")
      .set({ hits: limit })
      .where("key", "=", `api-token:${id}`)
      .execute();
    const refused = await callApi(boardsList, { path: "/api/v1/boards", token });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.json).toMatchObject({ status: 429, type: "/api/v1/problems/rate-limited" });
    expect((await callApi(boardsList, { path: "/api/v1/boards", token: read.partner })).status).toBe(200);
  });
});

describe("HTTP", () => {
  it("answers other methods with 405 and Allow", async () => {
    const get = await callApi(actionsList, { path: "/api/v1/actions", method: "DELETE", token: write.admin });
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("GET, HEAD");
    const post = await callApi(actionUpdates, {
      path: `/api/v1/actions/${f.actions.alphaPolice}/updates`,
      params: { actionId: String(f.actions.alphaPolice) },
      token: write.admin,
    });
    expect(post.status).toBe(405);
    expect(post.headers.get("Allow")).toBe("POST");
  });

  it("answers a client that will not take JSON with 406", async () => {
    const outcome = await callApi(actionsList, {
      path: "/api/v1/actions",
      token: write.admin,
      headers: { Accept: "text/html" },
    });
    expect(outcome.status).toBe(406);
    const ok = await callApi(actionsList, {
      path: "/api/v1/actions",
      token: write.admin,
      headers: { Accept: "text/html, application/json;q=0.9" },
    });
    expect(ok.status).toBe(200);
  });

  it("answers unknown API paths and ids that are not ids with a 404 problem", async () => {
    const unknown = await callApi(unknownApi, { path: "/api/v1/nothing", params: { "*": "nothing" } });
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toBe("application/problem+json");
    const notAnId = await callApi(actionDetail, {
      path: "/api/v1/actions/abc",
      params: { actionId: "abc" },
      token: write.admin,
    });
    expect(notAnId.status).toBe(404);
  });

  it("lists each wrong query parameter", async () => {
    const outcome = await callApi(actionsList, {
      path: "/api/v1/actions?limit=0&status=finished&due_from=2027-02-30&owner=someone&sort=due",
      token: write.admin,
    });
    expect(outcome.status).toBe(422);
    const problem = outcome.json as { errors: { in: string; field: string }[] };
    expect(problem.errors.every((e) => e.in === "query")).toBe(true);
    expect(problem.errors.map((e) => e.field).sort()).toEqual([
      "due_from",
      "limit",
      "owner",
      "sort",
      "status.0",
    ]);
    const cursor = await callApi(actionsList, {
      path: "/api/v1/actions?cursor=bm90LWEtY3Vyc29y",
      token: write.admin,
    });
    expect(cursor.status).toBe(422);
    expect((cursor.json as { errors: { field: string }[] }).errors[0]?.field).toBe("cursor");
  });

  it("answers a server error with a 500 problem that reveals nothing", async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    const handle = f.handle;
    // A database that fails every query.
    useDatabaseForTests({
      ...handle,
      db: new Proxy(handle.db, {
        get: () => () => {
          throw new Error("connection to 10.0.0.7 refused; password=hunter2");
        },
      }),
    });
    try {
      const outcome = await callApi(actionsList, { path: "/api/v1/actions", token: write.admin });
      expect(outcome.status).toBe(500);
      expect(outcome.contentType).toBe("application/problem+json");
      const text = JSON.stringify(outcome.json);
      expect(text).not.toMatch(/10\.0\.0\.7|hunter2|password|connection|\.ts:/);
      expect(outcome.json).toMatchObject({ status: 500, error_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(errors).toHaveLength(1);
    } finally {
      console.error = original;
      useDatabaseForTests(handle);
    }
  });
});

describe("formats", () => {
  it("gives money as integer pence, instants with an offset and dates as YYYY-MM-DD", async () => {
    const action = await as("admin", actionDetail, `/api/v1/actions/${f.actions.alphaPolice}`, {
      actionId: String(f.actions.alphaPolice),
    });
    const json = action.json as Record<string, unknown> & {
      meeting: { starts_at: string };
      updates: { at: string }[];
    };
    expect(json.due_date).toBe("2026-06-20");
    expect(json.due_date).toMatch(DATE);
    expect(json.created_at).toBe("2026-05-12T12:00:00+01:00");
    expect(json.meeting.starts_at).toMatch(TIMESTAMP);
    for (const update of json.updates) expect(update.at).toMatch(TIMESTAMP);
    const winter = await as("admin", meetingDetail, `/api/v1/meetings/${futureMeeting}`, {
      meetingId: String(futureMeeting),
    });
    expect((winter.json as { starts_at: string }).starts_at).toMatch(TIMESTAMP);

    const cost = (
      await as("admin", meetingCostRoute, `/api/v1/meetings/${f.alphaMeeting}/cost`, {
        meetingId: String(f.alphaMeeting),
      })
    ).json as Record<string, unknown>;
    for (const [key, value] of Object.entries(cost)) {
      if (key.endsWith("_pence")) expect(Number.isInteger(value), key).toBe(true);
    }
    const keys = JSON.stringify([json, cost]).match(/"([a-z_]+)":/g) ?? [];
    for (const key of keys) expect(key).toMatch(/^"[a-z][a-z0-9_]*":$/);
  });
});
