import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { database, serviceUnavailable, useDatabaseForTests } from "~/db.server";
import { enqueueJob } from "~/jobs/queue.server";
import { loggablePath } from "~/observability.server";
import { runWithRequestContext } from "~/request-context.server";
import * as boardsList from "~/routes/boards._index";
import * as healthz from "~/routes/healthz";
import * as metrics from "~/routes/metrics";
import { type DatabaseHandle, isDatabaseUnavailable, openDatabase } from "../../db/client";
import { freshDatabase } from "../database";
import { callRoute, cookieFor } from "../routes";

/*
 * Operations, called as the framework would: /metrics behind its token (with the job
 * queue's counts), and what every page and the API answer while the database is down
 * (503, never a 500), on PGlite and PostgreSQL. The real outage, with PostgreSQL stopped and
 * started under a running server, is tests/server/postgres-outage.test.ts.
 */

let handle: DatabaseHandle;
const TOKEN = "scraper-token-for-tests";

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
});
afterAll(() => handle.close());
afterEach(() => {
  delete process.env.METRICS_TOKEN;
  useDatabaseForTests(handle);
});

describe("/metrics", () => {
  it("is not found without a configured token, nor with a wrong one", async () => {
    expect((await callRoute(metrics, { path: "/metrics" })).status).toBe(404);
    expect(
      (await callRoute(metrics, { path: "/metrics", headers: { Authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(404);
    process.env.METRICS_TOKEN = TOKEN;
    expect((await callRoute(metrics, { path: "/metrics" })).status).toBe(404);
    expect(
      (await callRoute(metrics, { path: "/metrics", headers: { Authorization: `Bearer ${TOKEN}x` } })).status,
    ).toBe(404);
  });

  it("counts the job queue by queue and status for the scraper holding the token", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    await enqueueJob(handle.db, { queue: "mail.metrics_test", payload: {}, dedupeKey: "metrics-1" });
    await enqueueJob(handle.db, { queue: "mail.metrics_test", payload: {}, dedupeKey: "metrics-2" });
    await enqueueJob(handle.db, { queue: "mail.metrics_test", payload: {}, dedupeKey: "metrics-2" });
    await handle.db
      .updateTable("jobs")
      .set({ status: "failed" })
      .where("dedupe_key", "=", "metrics-2")
      .execute();
    const outcome = await callRoute(metrics, {
      path: "/metrics",
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(outcome.status).toBe(200);
    expect(outcome.headers?.get("Content-Type")).toMatch(/^text\/plain/);
    const text = String(outcome.body);
    expect(text).toMatch(/^boardledger_jobs\{queue="mail\.metrics_test",status="pending"\} 1$/m);
    expect(text).toMatch(/^boardledger_jobs\{queue="mail\.metrics_test",status="failed"\} 1$/m);
    expect(text).toMatch(/^boardledger_database_up 1$/m);
  });
});

describe("request log paths", () => {
  it("fill in ids but never a token, and keep splats as typed patterns", () => {
    expect(loggablePath("/boards/:boardId", { boardId: "12" })).toBe("/boards/12");
    expect(loggablePath("/invitations/:token", { token: "1.secret" })).toBe("/invitations/:token");
    expect(loggablePath("/*", { "*": "reset-password/abc" })).toBe("/*");
  });
});

describe("while the database cannot be reached", () => {
  // Nothing listens on port 1: every connection is refused at once.
  const unreachable = () =>
    openDatabase({
      databaseUrl: "postgres://postgres@127.0.0.1:1/boardledger",
      poolSize: 1,
      whenUnavailable: () => serviceUnavailable(),
    });

  it("tells an unreachable database from a wrong query", () => {
    expect(
      isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
    ).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("terminating connection"), { code: "57P01" }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("syntax error"), { code: "42601" }))).toBe(false);
  });

  it("a signed-in page answers 503 (the 'service unavailable' page), not 500", async () => {
    const cookie = await (async () => {
      const ws = await handle.db
        .insertInto("workspaces")
        .values({ slug: "outage", name: "Outage" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const user = await handle.db
        .insertInto("users")
        .values({ email: "outage@example.test", name: "Outage" })
        .returning("id")
        .executeTakeFirstOrThrow();
      await handle.db
        .insertInto("workspace_users")
        .values({ workspace_id: ws.id, user_id: user.id })
        .execute();
      return cookieFor(handle.db, "outage@example.test");
    })();
    const down = unreachable();
    useDatabaseForTests(down);
    try {
      const outcome = await callRoute(boardsList, { path: "/boards", cookie });
      expect(outcome.status).toBe(503);
      expect(outcome.headers?.get("Retry-After")).toBe("5");
      const health = await healthz.loader();
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: "unavailable", database: "unavailable" });
    } finally {
      await down.close();
    }
  });

  it("the API answers problem+json 503", async () => {
    const response = runWithRequestContext(new Request("http://localhost/api/v1/boards"), () =>
      serviceUnavailable(),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 503, title: "Service unavailable" });
  });

  it("a failed start is not remembered: the next request opens the database again", async () => {
    const url = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/boardledger";
    const state = globalThis as { __boardledgerDb?: unknown };
    state.__boardledgerDb = undefined;
    try {
      const first = await database().catch((error: unknown) => error);
      expect(first).toBeInstanceOf(Response);
      expect((first as Response).status).toBe(503);
      // Let the failed start clear itself.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(state.__boardledgerDb).toBeUndefined();
    } finally {
      if (url === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = url;
    }
  });
});
