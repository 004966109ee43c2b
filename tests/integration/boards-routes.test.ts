import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as root from "~/root";
import * as index from "~/routes/_index";
import * as notFoundRoute from "~/routes/$";
import * as boardsList from "~/routes/boards._index";
import * as board from "~/routes/boards.$boardId";
import * as healthz from "~/routes/healthz";
import type { Database } from "../../db/schema";
import { callRoute } from "../routes";
import { type AdminFixture, adminFixture } from "./admin-fixture";

/*
 * The boards pages' loaders as the framework calls them, with real session cookies:
 * where the start page sends each role, who gets the boards list and a board page, and
 * the 404s. Also the root loader, the catch-all 404 route and the health check.
 */

let f: AdminFixture;
let foreignBoard: number;

beforeAll(async () => {
  f = await adminFixture("boardroutes");
  useDatabaseForTests(f.handle);
  foreignBoard = (
    await f.otherDb
      .insertInto("boards")
      .values({
        workspace_id: f.otherWs,
        name: "Elsewhere board",
        slug: "elsewhere",
        type: "csp",
        level: "local",
        frequency: "monthly",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
});

afterAll(() => f?.handle.close());

describe("the start page", () => {
  it("sends a signed-out visitor to sign in", async () => {
    expect(await callRoute(index, { path: "/" })).toMatchObject({ status: 302, location: "/sign-in" });
  });

  it("sends those who may see boards to /boards, and partners to /actions", async () => {
    for (const role of ["admin", "leader", "secretary", "member"] as const) {
      expect(await callRoute(index, { path: "/", cookie: f.cookies[role] })).toMatchObject({
        status: 302,
        location: "/boards",
      });
    }
    expect(await callRoute(index, { path: "/", cookie: f.cookies.partner })).toMatchObject({
      status: 302,
      location: "/actions",
    });
  });
});

describe("the root loader", () => {
  it("answers null for a signed-out visitor", async () => {
    expect(await callRoute(root, { path: "/boards" })).toMatchObject({ status: 200, body: { viewer: null } });
  });

  it("gives the signed-in viewer's name, workspace and navigation", async () => {
    const outcome = await callRoute(root, { path: "/boards", cookie: f.cookies.partner });
    expect(outcome.body).toEqual({
      viewer: {
        name: "partner user",
        workspaceName: "boardroutes partnership",
        canSwitchWorkspace: false,
        navigation: [{ href: "/actions", label: "Actions" }],
      },
    });
  });
});

describe("/boards", () => {
  it("sends a signed-out visitor to sign in and back", async () => {
    expect(await callRoute(boardsList, { path: "/boards?sort=members" })).toMatchObject({
      status: 302,
      location: "/sign-in?redirectTo=%2Fboards%3Fsort%3Dmembers",
    });
  });

  it("lists the workspace's boards for an admin, ignoring a sort it does not know", async () => {
    const outcome = await callRoute(boardsList, {
      path: "/boards?sort=password&dir=up",
      cookie: f.cookies.admin,
    });
    expect(outcome.status).toBe(200);
    expect(outcome.body).toMatchObject({
      sort: { sort: "name", dir: "asc" },
      list: { total: 1, page: 1, rows: [{ id: f.boardId, name: "Local Criminal Justice Board" }] },
    });
  });

  it("shows a partner an empty list rather than an error", async () => {
    const outcome = await callRoute(boardsList, { path: "/boards", cookie: f.cookies.partner });
    expect(outcome).toMatchObject({ status: 200, body: { list: { rows: [], total: 0 } } });
  });

  it("sends a page past the end to the last page, keeping the sort", async () => {
    expect(
      await callRoute(boardsList, { path: "/boards?sort=members&dir=desc&page=9", cookie: f.cookies.admin }),
    ).toMatchObject({ status: 302, location: "/boards?sort=members&dir=desc&page=1" });
  });
});

describe("/boards/:boardId", () => {
  const open = (boardId: string, cookie: string) =>
    callRoute(board, { path: `/boards/${boardId}`, params: { boardId }, cookie });

  it("shows a board to those who may read it", async () => {
    for (const role of ["admin", "leader", "secretary", "member"] as const) {
      const outcome = await open(String(f.boardId), f.cookies[role]);
      expect(outcome.status).toBe(200);
      expect(outcome.body).toMatchObject({ board: { id: f.boardId, name: "Local Criminal Justice Board" } });
    }
  });

  it("answers 404 to a partner, for another workspace's board and for a malformed id", async () => {
    expect((await open(String(f.boardId), f.cookies.partner)).status).toBe(404);
    expect((await open(String(foreignBoard), f.cookies.admin)).status).toBe(404);
    expect((await open("1e3", f.cookies.admin)).status).toBe(404);
    expect((await open("99999999999999999999", f.cookies.admin)).status).toBe(404);
  });
});

describe("any other address", () => {
  it("answers 404 to every method", async () => {
    expect((await callRoute(notFoundRoute, { path: "/no/such/page" })).status).toBe(404);
    expect((await callRoute(notFoundRoute, { path: "/no/such/page", method: "POST", form: {} })).status).toBe(
      404,
    );
  });
});

describe("/healthz", () => {
  it("answers 200 ok, never cached, while the database answers", async () => {
    const response = await healthz.loader();
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("answers 503 when the database does not answer within 2 seconds", async () => {
    // A database whose connections never come.
    const hanging: Driver = {
      init: async () => {},
      acquireConnection: () => new Promise<DatabaseConnection>(() => {}),
      beginTransaction: async () => {},
      commitTransaction: async () => {},
      rollbackTransaction: async () => {},
      releaseConnection: async () => {},
      destroy: async () => {},
    };
    const db = new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => hanging,
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    useDatabaseForTests({ db, engine: "postgres", close: async () => {} });
    try {
      const started = Date.now();
      const response = await healthz.loader();
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(response.status).toBe(503);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      expect(await response.json()).toEqual({ status: "unavailable", database: "unavailable" });
    } finally {
      useDatabaseForTests(f.handle);
    }
  });

  it("answers 503 when the database refuses", async () => {
    const failing: DatabaseConnection = {
      executeQuery: async <R>(_query: CompiledQuery): Promise<QueryResult<R>> => {
        throw new Error("connection refused");
      },
      // biome-ignore lint/correctness/useYield: never streams
      streamQuery: async function* () {
        throw new Error("connection refused");
      },
    };
    const db = new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => ({
          init: async () => {},
          acquireConnection: async () => failing,
          beginTransaction: async () => {},
          commitTransaction: async () => {},
          rollbackTransaction: async () => {},
          releaseConnection: async () => {},
          destroy: async () => {},
        }),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    useDatabaseForTests({ db, engine: "postgres", close: async () => {} });
    try {
      const response = await healthz.loader();
      expect(response.status).toBe(503);
    } finally {
      useDatabaseForTests(f.handle);
    }
  });
});
