import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { type AppServer, runCli, startAppServer } from "../app-process";
import { adminUrl, withDatabaseName } from "../database-urls";

/*
 * A real database outage: the production server runs on a fresh PostgreSQL database while a
 * stream of writes (new agencies, through the real form) goes on; this machine's PostgreSQL
 * is stopped for a few seconds and started again. Requests during the outage answer 503 with
 * the friendly page, /healthz says so, the app recovers by itself within 5 seconds of the
 * database's return, and every write that was acknowledged is still there.
 *
 * It stops the machine's PostgreSQL, which other people use, so it runs only when asked:
 * PG_FAULT_TESTS=1 (.ci/run does, after the PostgreSQL suite). PostgreSQL is always started
 * again, whatever happens (and .ci/run starts it again too).
 */

const enabled = process.env.PG_FAULT_TESTS === "1";
const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const OUTAGE_MS = 3_000;
const RECOVERY_LIMIT_MS = 5_000;

function cluster(action: "start" | "stop") {
  const version = readdirSync("/etc/postgresql")[0];
  if (!version) throw new Error("No PostgreSQL cluster in /etc/postgresql");
  const args = ["--skip-systemctl-redirect", version, "main", action];
  if (action === "stop") args.push("--", "-m", "fast");
  execFileSync("pg_ctlcluster", args, { stdio: "pipe" });
}

function ensureRunning() {
  try {
    cluster("start");
  } catch {
    // Already running: pg_ctlcluster refuses to start a running cluster.
  }
}

const name = `bl_outage_${Date.now()}`;
let server: AppServer;
let cookie: string;

interface Write {
  name: string;
  status: number;
  at: number;
  body: string;
}

async function write(agencyName: string): Promise<Write> {
  const at = Date.now();
  try {
    const response = await fetch(`${server.baseUrl}/admin/agencies/new`, {
      method: "POST",
      headers: { Cookie: cookie },
      body: new URLSearchParams({ name: agencyName, type: "voluntary" }),
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
    });
    return { name: agencyName, status: response.status, at, body: await response.text() };
  } catch (error) {
    return { name: agencyName, status: 0, at, body: String(error) };
  }
}

describe.skipIf(!enabled)("a PostgreSQL outage under a stream of writes", () => {
  beforeAll(async () => {
    ensureRunning();
    const admin = openDatabase({ databaseUrl: adminUrl(serverUrl), poolSize: 1 });
    await sql.raw(`create database ${name}`).execute(admin.db);
    await admin.close();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: withDatabaseName(serverUrl, name),
      NODE_ENV: "production",
    };
    await runCli(["migrate"], env);
    await runCli(["create-workspace", "--slug", "outage", "--name", "Outage Partnership"], env);
    await runCli(
      [
        "create-user",
        ...["--workspace", "outage", "--email", "admin@outage.test", "--name", "Ada Admin"],
        ...["--role", "admin", "--password", "outage-password-9d1c"],
      ],
      env,
    );
    server = await startAppServer(env);
    const signIn = await fetch(`${server.baseUrl}/sign-in`, {
      method: "POST",
      body: new URLSearchParams({ email: "admin@outage.test", password: "outage-password-9d1c" }),
      redirect: "manual",
    });
    expect(signIn.status).toBe(302);
    cookie = /^([^;]+)/.exec(signIn.headers.get("set-cookie") ?? "")![1]!;
  });

  afterAll(async () => {
    ensureRunning();
    await server?.stop();
    const admin = openDatabase({ databaseUrl: adminUrl(serverUrl), poolSize: 1 });
    await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
    await admin.close();
  });

  it("answers 503 during the outage, recovers within 5 s, and keeps every acknowledged write", async () => {
    const writes: Write[] = [];
    let n = 0;
    let running = true;
    // Two writers, as two people saving at once.
    const writer = async () => {
      while (running) {
        writes.push(await write(`Agency ${++n}`));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const writers = [writer(), writer()];

    let stoppedAt = 0;
    let startedAt = 0;
    let outageHealth: number | undefined;
    let outagePage: Write | undefined;
    let recoveredAt = 0;
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      stoppedAt = Date.now();
      cluster("stop");
      try {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        outageHealth = (await fetch(`${server.baseUrl}/healthz`)).status;
        outagePage = await write("During the outage");
        writes.push(outagePage);
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - 1_000));
      } finally {
        cluster("start");
        startedAt = Date.now();
      }
      // Recovered: a write is acknowledged again.
      while (Date.now() - startedAt < 15_000) {
        const probe = await write(`Recovery probe ${Date.now()}`);
        writes.push(probe);
        if (probe.status === 302) {
          recoveredAt = Date.now();
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    } finally {
      running = false;
      await Promise.all(writers);
    }

    console.log(
      `PostgreSQL down ${startedAt - stoppedAt} ms; recovered ${recoveredAt - startedAt} ms after it started; ` +
        `${writes.filter((w) => w.status === 302).length} writes acknowledged, ${writes.filter((w) => w.status === 503).length} answered 503`,
    );
    expect(outageHealth).toBe(503);
    expect(outagePage?.status).toBe(503);
    expect(outagePage?.body).toContain("Sorry, the service is unavailable");
    expect(recoveredAt, "never recovered").toBeGreaterThan(0);
    expect(recoveredAt - startedAt).toBeLessThan(RECOVERY_LIMIT_MS);

    // Every answer was an acknowledgement (302) or a 503: never a 500, never a hang.
    const statuses = new Set(writes.map((w) => w.status));
    expect([...statuses].filter((s) => s !== 302 && s !== 503)).toEqual([]);
    const acknowledged = writes.filter((w) => w.status === 302).map((w) => w.name);
    expect(writes.filter((w) => w.status === 302 && w.at < stoppedAt).length).toBeGreaterThan(2);
    expect(writes.filter((w) => w.status === 503).length).toBeGreaterThan(0);

    const check = openDatabase({ databaseUrl: withDatabaseName(serverUrl, name), poolSize: 1 });
    try {
      const stored = new Set(
        (await check.db.selectFrom("agencies").select("name").execute()).map((row) => row.name),
      );
      expect(acknowledged.filter((agency) => !stored.has(agency))).toEqual([]);
    } finally {
      await check.close();
    }
    expect(server.logLines().some((line) => line.databaseUnavailable === true && line.status === 503)).toBe(
      true,
    );
  });
});
