import { readdirSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "~/api/openapi";
import { useDatabaseForTests } from "~/db.server";
import * as actionsList from "~/routes/api.v1.actions._index";
import * as actionDetail from "~/routes/api.v1.actions.$actionId._index";
import * as actionUpdates from "~/routes/api.v1.actions.$actionId.updates";
import * as agencyRollup from "~/routes/api.v1.agencies.$agencyId.rollup";
import * as boardsList from "~/routes/api.v1.boards._index";
import * as boardDetail from "~/routes/api.v1.boards.$boardId._index";
import * as boardMeetings from "~/routes/api.v1.boards.$boardId.meetings";
import * as boardPlan from "~/routes/api.v1.boards.$boardId.plan";
import * as boardRollup from "~/routes/api.v1.boards.$boardId.rollup";
import * as meetingDetail from "~/routes/api.v1.meetings.$meetingId._index";
import * as meetingCost from "~/routes/api.v1.meetings.$meetingId.cost";
import * as openApiRoute from "~/routes/api.v1.openapi[.]json";
import { type ApiModule, type ApiOutcome, callApi, tokenFor } from "../api";
import { type ActionsFixture, actionsFixture } from "./actions-fixture";

/*
 * The OpenAPI document: valid OpenAPI 3.1 by an independent validator, served as the code
 * writes it, and true. Every documented operation is called here, for its success and for
 * each problem it documents that a test can provoke, and every real answer is checked
 * against the schema documented for its status (ajv, JSON Schema 2020-12). An endpoint
 * added without a row here, or a route file left out of the document, fails.
 */

type Json = Record<string, unknown>;
let f: ActionsFixture;
let doc: Json;
let ajv: Ajv2020;
const tokens = {} as Record<"admin" | "member" | "partner" | "adminRead", string>;

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  f = await actionsFixture("openapi");
  useDatabaseForTests(f.handle);
  tokens.admin = (await tokenFor(f.root, "admin@openapi.test", "write")).token;
  tokens.adminRead = (await tokenFor(f.root, "admin@openapi.test", "read")).token;
  tokens.member = (await tokenFor(f.root, "member@openapi.test", "write")).token;
  tokens.partner = (await tokenFor(f.root, "partner@openapi.test", "write")).token;
  const served = await callApi(openApiRoute as unknown as ApiModule, { path: "/api/v1/openapi.json" });
  doc = served.json as Json;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "openapi.json", components: doc.components }, "openapi.json");
});
afterAll(() => f?.handle.close());

/** The operation object for a method and path. */
function operationOf(method: string, template: string): Json {
  const pathItem = (doc.paths as Record<string, Json>)[template];
  const operation = pathItem?.[method.toLowerCase()] as Json | undefined;
  if (!operation) throw new Error(`${method} ${template} is not documented`);
  return operation;
}

/** The documented response for a status, following a $ref into components.responses. */
function documentedResponse(operation: Json, status: number): Json | undefined {
  let response = (operation.responses as Record<string, Json>)[String(status)];
  const ref = response?.$ref;
  if (typeof ref === "string") {
    response = (doc.components as { responses: Record<string, Json> }).responses[
      ref.split("/").at(-1) as string
    ];
  }
  return response;
}

const checked = new Map<string, Set<number>>();

/** Checks a real answer against the document: its status is documented, its body fits the schema. */
function expectDocumented(operationId: string, method: string, template: string, outcome: ApiOutcome) {
  const operation = operationOf(method, template);
  expect(operation.operationId).toBe(operationId);
  const response = documentedResponse(operation, outcome.status);
  expect(response, `${operationId} answered ${outcome.status}, which it does not document`).toBeDefined();
  const contentType = outcome.contentType ?? "";
  const content = response
    ? (response.content as Record<string, { schema: { $ref: string } }>)[contentType]
    : undefined;
  expect(content, `${operationId} ${outcome.status} as ${contentType} is not documented`).toBeDefined();
  const validate = ajv.compile({ $ref: `openapi.json${content?.schema.$ref}` });
  const valid = validate(outcome.json);
  expect(valid, `${operationId} ${outcome.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  for (const name of Object.keys((response?.headers as Json | undefined) ?? {})) {
    if (name === "WWW-Authenticate" || name === "Retry-After" || outcome.status < 300) {
      expect(outcome.headers.get(name), `${operationId} ${outcome.status} header ${name}`).not.toBeNull();
    }
  }
  const statuses = checked.get(operationId) ?? new Set<number>();
  statuses.add(outcome.status);
  checked.set(operationId, statuses);
}

interface Call {
  method?: string;
  path: string;
  params?: Record<string, string>;
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

interface OperationCase {
  template: string;
  method: "GET" | "POST";
  module: ApiModule;
  /** Calls answering each status this operation documents. */
  calls: () => Promise<Record<number, Call>>;
}

async function actionVersion(id: number): Promise<number> {
  return (await f.root.selectFrom("actions").select("version").where("id", "=", id).executeTakeFirstOrThrow())
    .version;
}

/** One row per documented operation; the test below fails if the two lists ever differ. */
const cases: Record<string, OperationCase> = {
  listBoards: {
    template: "/api/v1/boards",
    method: "GET",
    module: boardsList,
    calls: async () => ({
      200: { path: "/api/v1/boards?limit=2", token: tokens.admin },
      422: { path: "/api/v1/boards?limit=500", token: tokens.admin },
    }),
  },
  getBoard: {
    template: "/api/v1/boards/{boardId}",
    method: "GET",
    module: boardDetail,
    calls: async () => ({
      200: {
        path: `/api/v1/boards/${f.boards.alpha}`,
        params: { boardId: String(f.boards.alpha) },
        token: tokens.member,
      },
      404: {
        path: `/api/v1/boards/${f.boards.bravo}`,
        params: { boardId: String(f.boards.bravo) },
        token: tokens.member,
      },
      422: {
        path: `/api/v1/boards/${f.boards.alpha}?extra=1`,
        params: { boardId: String(f.boards.alpha) },
        token: tokens.member,
      },
    }),
  },
  listBoardMeetings: {
    template: "/api/v1/boards/{boardId}/meetings",
    method: "GET",
    module: boardMeetings,
    calls: async () => ({
      200: {
        path: `/api/v1/boards/${f.boards.alpha}/meetings?when=past`,
        params: { boardId: String(f.boards.alpha) },
        token: tokens.member,
      },
      404: { path: "/api/v1/boards/999999/meetings", params: { boardId: "999999" }, token: tokens.admin },
      422: {
        path: `/api/v1/boards/${f.boards.alpha}/meetings?when=later&from=2027-01-02&to=2027-01-01`,
        params: { boardId: String(f.boards.alpha) },
        token: tokens.admin,
      },
    }),
  },
  getBoardRollup: {
    template: "/api/v1/boards/{boardId}/rollup",
    method: "GET",
    module: boardRollup,
    calls: async () => ({
      200: {
        path: `/api/v1/boards/${f.boards.alpha}/rollup`,
        params: { boardId: String(f.boards.alpha) },
        token: tokens.member,
      },
      404: {
        path: `/api/v1/boards/${f.boards.bravo}/rollup`,
        params: { boardId: String(f.boards.bravo) },
        token: tokens.member,
      },
      422: {
        path: `/api/v1/boards/${f.boards.alpha}/rollup?extra=1`,
        params: { boardId: String(f.boards.alpha) },
        token: tokens.member,
      },
    }),
  },
  getAgencyRollup: {
    template: "/api/v1/agencies/{agencyId}/rollup",
    method: "GET",
    module: agencyRollup,
    calls: async () => ({
      200: {
        path: `/api/v1/agencies/${f.agencies.police}/rollup?from=2026-01-01`,
        params: { agencyId: String(f.agencies.police) },
        token: tokens.admin,
      },
      // Salary-level detail: a board member may not see it.
      404: {
        path: `/api/v1/agencies/${f.agencies.police}/rollup`,
        params: { agencyId: String(f.agencies.police) },
        token: tokens.member,
      },
      422: {
        path: `/api/v1/agencies/${f.agencies.police}/rollup?from=2027-01-02&to=2027-01-01`,
        params: { agencyId: String(f.agencies.police) },
        token: tokens.admin,
      },
    }),
  },
  getBoardPlan: {
    template: "/api/v1/boards/{boardId}/plan",
    method: "GET",
    module: boardPlan,
    calls: async () => {
      const plan = await f.root
        .insertInto("plans")
        .values({
          workspace_id: f.ws,
          board_id: f.boards.alpha,
          period: "2026/27",
          title: "Plan",
          starts_on: "2026-04-01",
          ends_on: "2027-03-31",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const priority = await f.root
        .insertInto("plan_priorities")
        .values({ workspace_id: f.ws, plan_id: plan.id, position: 0, title: "Priority" })
        .returning("id")
        .executeTakeFirstOrThrow();
      await f.root
        .insertInto("plan_objectives")
        .values({
          workspace_id: f.ws,
          priority_id: priority.id,
          position: 0,
          title: "Objective",
          rag: "green",
        })
        .execute();
      const params = { boardId: String(f.boards.alpha) };
      return {
        200: { path: `/api/v1/boards/${f.boards.alpha}/plan`, params, token: tokens.member },
        404: { path: `/api/v1/boards/${f.boards.alpha}/plan`, params, token: tokens.partner },
        422: { path: `/api/v1/boards/${f.boards.alpha}/plan?period=2026`, params, token: tokens.member },
      };
    },
  },
  getMeeting: {
    template: "/api/v1/meetings/{meetingId}",
    method: "GET",
    module: meetingDetail,
    calls: async () => ({
      200: {
        path: `/api/v1/meetings/${f.alphaMeeting}`,
        params: { meetingId: String(f.alphaMeeting) },
        token: tokens.admin,
      },
      404: {
        path: `/api/v1/meetings/${f.alphaMeeting}`,
        params: { meetingId: String(f.alphaMeeting) },
        token: tokens.partner,
      },
      422: {
        path: `/api/v1/meetings/${f.alphaMeeting}?page=2`,
        params: { meetingId: String(f.alphaMeeting) },
        token: tokens.admin,
      },
    }),
  },
  getMeetingCost: {
    template: "/api/v1/meetings/{meetingId}/cost",
    method: "GET",
    module: meetingCost,
    calls: async () => ({
      200: {
        path: `/api/v1/meetings/${f.alphaMeeting}/cost`,
        params: { meetingId: String(f.alphaMeeting) },
        token: tokens.member,
      },
      404: { path: "/api/v1/meetings/0/cost", params: { meetingId: "0" }, token: tokens.admin },
      422: {
        path: `/api/v1/meetings/${f.alphaMeeting}/cost?detail=all`,
        params: { meetingId: String(f.alphaMeeting) },
        token: tokens.admin,
      },
    }),
  },
  listActions: {
    template: "/api/v1/actions",
    method: "GET",
    module: actionsList,
    calls: async () => ({
      200: { path: "/api/v1/actions?limit=3", token: tokens.partner },
      401: { path: "/api/v1/actions" },
      406: { path: "/api/v1/actions", token: tokens.admin, headers: { Accept: "text/csv" } },
      422: { path: "/api/v1/actions?rag=purple&due_to=yesterday", token: tokens.admin },
    }),
  },
  getAction: {
    template: "/api/v1/actions/{actionId}",
    method: "GET",
    module: actionDetail,
    calls: async () => ({
      200: {
        path: `/api/v1/actions/${f.actions.bravoSecret}`,
        params: { actionId: String(f.actions.bravoSecret) },
        token: tokens.partner,
      },
      401: {
        path: `/api/v1/actions/${f.actions.alphaPolice}`,
        params: { actionId: String(f.actions.alphaPolice) },
        token: "blpat_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      },
      404: {
        path: `/api/v1/actions/${f.actions.foreign}`,
        params: { actionId: String(f.actions.foreign) },
        token: tokens.admin,
      },
      422: {
        path: `/api/v1/actions/${f.actions.alphaPolice}?fields=all`,
        params: { actionId: String(f.actions.alphaPolice) },
        token: tokens.admin,
      },
    }),
  },
  postActionUpdate: {
    template: "/api/v1/actions/{actionId}/updates",
    method: "POST",
    module: actionUpdates,
    calls: async () => {
      const id = f.actions.alphaPolice;
      const base = {
        method: "POST",
        path: `/api/v1/actions/${id}/updates`,
        params: { actionId: String(id) },
      };
      return {
        201: {
          ...base,
          token: tokens.partner,
          body: { body: "Progress", status: "in_progress", version: await actionVersion(id) },
        },
        400: { ...base, token: tokens.partner, body: "{", headers: { "Content-Type": "application/json" } },
        403: { ...base, token: tokens.adminRead, body: { body: "No", version: 1 } },
        404: { ...base, token: tokens.member, body: { body: "Not mine", version: 1 } },
        409: { ...base, token: tokens.partner, body: { body: "Stale", version: 1 } },
        413: { ...base, token: tokens.partner, body: { body: "x".repeat(70_000), version: 1 } },
        415: { ...base, token: tokens.partner, body: "body=x", headers: { "Content-Type": "text/plain" } },
        422: { ...base, token: tokens.partner, body: { body: "", version: 0 } },
      };
    },
  },
};

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("is what the code writes, and every component schema compiles as JSON Schema 2020-12", () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    for (const id of Object.keys((doc.components as { schemas: Json }).schemas)) {
      expect(() => ajv.compile({ $ref: `openapi.json#/components/schemas/${id}` }), id).not.toThrow();
    }
  });

  it("documents every API route file, and this test calls every documented operation", () => {
    const operations = Object.values(doc.paths as Record<string, Record<string, Json>>).flatMap((item) =>
      Object.values(item).map((operation) => operation.operationId as string),
    );
    expect([...operations].sort()).toEqual(Object.keys(cases).sort());
    const routeFiles = readdirSync(path.resolve("app/routes"))
      .filter((file) => file.startsWith("api.v1.") && !/openapi|api\.v1\.\$/.test(file))
      .map((file) => file.replace(/\.tsx?$/, ""));
    const documented = Object.values(cases).map(
      (c) =>
        `api.v1.${c.template
          .replace("/api/v1/", "")
          .split("/")
          .map((segment) => segment.replace(/^\{(\w+)\}$/, "$$$1"))
          .join(".")}`,
    );
    for (const file of routeFiles) {
      expect(
        documented.some((route) => file === route || file === `${route}._index`),
        `${file} is not in the OpenAPI document`,
      ).toBe(true);
    }
  });

  for (const [operationId, operationCase] of Object.entries(cases)) {
    it(`${operationId}: every documented answer a test can provoke matches its schema`, async () => {
      const operation = operationOf(operationCase.method, operationCase.template);
      const calls = await operationCase.calls();
      for (const [status, call] of Object.entries(calls)) {
        const outcome = await callApi(operationCase.module, { method: operationCase.method, ...call });
        expect(outcome.status, `${operationId} expected ${status}: ${JSON.stringify(outcome.json)}`).toBe(
          Number(status),
        );
        expectDocumented(operationId, operationCase.method, operationCase.template, outcome);
      }
      // Its success is among them, and so is every problem it documents but 429 and 500 (tested elsewhere).
      const documentedStatuses = Object.keys(operation.responses as Json).map(Number);
      const provoked = checked.get(operationId) ?? new Set();
      for (const status of documentedStatuses) {
        if (status === 429 || status === 500 || status === 401 || status === 406) continue;
        expect(provoked.has(status), `${operationId} documents ${status} but no call provoked it`).toBe(true);
      }
    });
  }

  it("documents the rate limit's and a server error's answers as they are sent", async () => {
    const { token, id } = await tokenFor(f.root, "member@openapi.test", "read");
    await callApi(boardsList, { path: "/api/v1/boards", token });
    await f.root
      .updateTable("rate_limit_buckets")
      .set({ hits: 100_000 })
      .where("key", "=", `api-token:${id}`)
      .execute();
    const limited = await callApi(boardsList, { path: "/api/v1/boards", token });
    expect(limited.status).toBe(429);
    expectDocumented("listBoards", "GET", "/api/v1/boards", limited);
    const unauthorised = await callApi(boardsList, { path: "/api/v1/boards" });
    expectDocumented("listBoards", "GET", "/api/v1/boards", unauthorised);
  });
});
