import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:http";
import os from "node:os";
import autocannon from "autocannon";
import pg from "pg";
import { openDatabase, POSTGRES_SESSION_OPTIONS } from "../db/client";
import { freePort, runCli, startAppServer } from "../tests/app-process";
import { adminUrl, withDatabaseName } from "../tests/database-urls";
import { type BenchReport, type Measure, mergeIntoLatest, writeTable } from "./report";

/*
 * `npm run bench`: the production build against a fresh PostgreSQL database loaded with
 * `generate --meetings N`, driven with autocannon at 1, 8 and 32 connections, page by page,
 * beside two floors measured in the same run:
 *   - "http floor": a bare node:http server answering the same page's bytes (what Node and
 *     the network cost with no work at all);
 *   - "sql floor": the page's own SQL (captured by running its loaders once with query
 *     logging), replayed alone through pg, with as many connections (up to the pool's 10).
 * Writes bench/results/latest.json and the table in docs/performance.md.
 *
 *   BENCH_DATABASE_URL  PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres);
 *                       a fresh database is created there and dropped afterwards
 *   BENCH_MEETINGS      meetings to generate (default 100000)
 *   BENCH_SECONDS       seconds per measurement (default 5)
 *   BENCH_CONNECTIONS   connection levels (default "1,8,32")
 *   BENCH_PAGES         only the pages whose names contain this text (or one of several, "a|b");
 *                       their rows replace those of the last run in bench/results/latest.json
 *
 * Build first (`npm run build`). Adding a page is one line in `pages` below.
 */

const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const meetings = Number(process.env.BENCH_MEETINGS ?? 100_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const levels = (process.env.BENCH_CONNECTIONS ?? "1,8,32").split(",").map(Number);
const only = process.env.BENCH_PAGES;
const name = `bl_bench_${Date.now()}`;
const databaseUrl = withDatabaseName(serverUrl, name);
const PASSWORD = "bench-password-5c1d-a7";

interface Ids {
  boardId: number;
  boardSlug: string;
  meetingId: number;
  actionId: number;
  /** A meeting of the board whose minutes are published. */
  publishedMeetingId: number;
}

interface Page {
  name: string;
  /** A list page: held to ≥ 400 req/s and p99 < 100 ms at 32 connections. */
  list: boolean;
  /** Who asks: signed in as an admin or a partner, signed out (the public pages), or the partner's API token. */
  as: "admin" | "partner" | "public" | "admin token" | "partner token";
  path: (ids: Ids) => string;
  /** The route module whose loader serves it (for capturing its SQL), with its extension when not .tsx. */
  route: string;
  params?: (ids: Ids) => Record<string, string>;
}

const allPages: Page[] = [
  { name: "boards list", list: true, as: "admin", path: () => "/boards", route: "boards._index" },
  {
    name: "a board",
    list: false,
    as: "admin",
    path: (i) => `/boards/${i.boardId}`,
    route: "boards.$boardId",
    params: (i) => ({ boardId: String(i.boardId) }),
  },
  {
    name: "a meeting",
    list: false,
    as: "admin",
    path: (i) => `/meetings/${i.meetingId}`,
    route: "meetings.$meetingId._index",
    params: (i) => ({ meetingId: String(i.meetingId) }),
  },
  { name: "meetings list", list: true, as: "admin", path: () => "/meetings", route: "meetings._index" },
  {
    name: "action log, 50 rows",
    list: true,
    as: "admin",
    path: () => "/actions?pageSize=50",
    route: "actions._index",
  },
  {
    name: "partner's actions, 50 rows",
    list: true,
    as: "partner",
    path: () => "/actions?pageSize=50",
    route: "actions._index",
  },
  { name: "dashboard", list: false, as: "admin", path: () => "/dashboard", route: "dashboard" },
  {
    name: "a board's costs",
    list: false,
    as: "admin",
    path: (i) => `/boards/${i.boardId}/costs`,
    route: "boards.$boardId_.costs",
    params: (i) => ({ boardId: String(i.boardId) }),
  },
  {
    name: "an action",
    list: false,
    as: "admin",
    path: (i) => `/actions/${i.actionId}`,
    route: "actions.$actionId",
    params: (i) => ({ actionId: String(i.actionId) }),
  },
  {
    name: "public minutes page",
    list: false,
    as: "public",
    path: (i) => `/public/bench/boards/${i.boardSlug}/minutes/${i.publishedMeetingId}`,
    route: "public.$workspaceSlug.boards.$boardSlug.minutes.$meetingId",
    params: (i) => ({
      workspaceSlug: "bench",
      boardSlug: i.boardSlug,
      meetingId: String(i.publishedMeetingId),
    }),
  },
  {
    name: "board Atom feed",
    list: false,
    as: "public",
    path: (i) => `/public/bench/boards/${i.boardSlug}/minutes.atom`,
    route: "public.$workspaceSlug.boards.$boardSlug.minutes[.]atom",
    params: (i) => ({ workspaceSlug: "bench", boardSlug: i.boardSlug }),
  },
  {
    name: "workspace Atom feed",
    list: false,
    as: "public",
    path: () => "/public/bench/minutes.atom",
    route: "public.$workspaceSlug.minutes[.]atom",
    params: () => ({ workspaceSlug: "bench" }),
  },
  {
    name: "API: partner's actions, 50",
    list: true,
    as: "partner token",
    path: () => "/api/v1/actions?limit=50",
    route: "api.v1.actions._index.ts",
  },
  {
    name: "API: boards",
    list: true,
    as: "partner token",
    path: () => "/api/v1/boards",
    route: "api.v1.boards._index.ts",
  },
  {
    name: "API: a board's meetings",
    list: true,
    as: "admin token",
    path: (i) => `/api/v1/boards/${i.boardId}/meetings`,
    route: "api.v1.boards.$boardId.meetings.ts",
    params: (i) => ({ boardId: String(i.boardId) }),
  },
];
const pages = allPages.filter((p) => !only || only.split("|").some((part) => p.name.includes(part)));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summarise(latencies: number[], elapsedMs: number, errors: number): Measure {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    reqPerSec: round((latencies.length / elapsedMs) * 1000),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.reduce((s, n) => s + n, 0) / Math.max(1, sorted.length)),
    errors,
  };
}

async function drive(
  url: string,
  connections: number,
  headers: Record<string, string> = {},
): Promise<Measure> {
  const latencies: number[] = [];
  let errors = 0;
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, headers }, (error) =>
      error ? reject(error) : resolve(),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) latencies.push(responseTime);
      else errors++;
    });
    instance.on("reqError", () => {
      errors++;
    });
  });
  return summarise(latencies, Date.now() - started, errors);
}

type Query = { sql: string; parameters: readonly unknown[] };

/** The page's queries replayed in order, `connections` at a time, for `seconds`. */
async function sqlFloor(queries: Query[], connections: number): Promise<Measure> {
  // The same session settings as the app's pool.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    options: POSTGRES_SESSION_OPTIONS,
    max: Math.min(connections, 10),
  });
  const latencies: number[] = [];
  let errors = 0;
  const started = Date.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) {
        const t = performance.now();
        const client = await pool.connect();
        try {
          for (const q of queries) await client.query(q.sql, q.parameters as unknown[]);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        } finally {
          client.release();
        }
      }
    }),
  );
  await pool.end();
  return summarise(latencies, Date.now() - started, errors);
}

/** A bare node:http server answering these bytes, as a page would be answered. */
async function httpFloor(body: Buffer, connections: number): Promise<Measure> {
  const port = await freePort();
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  try {
    return await drive(`http://127.0.0.1:${port}/`, connections);
  } finally {
    server.close();
  }
}

/** Runs the page's loaders once in this process with query logging: the SQL the page runs. */
async function captureSql(page: Page, ids: Ids, headers: Record<string, string>): Promise<Query[]> {
  const queries: Query[] = [];
  // As the server runs: the session cookie's name depends on it.
  process.env.NODE_ENV = "production";
  const { useDatabaseForTests: adoptDatabase } = await import("../app/db.server");
  const { runWithRequestContext } = await import("../app/request-context.server");
  const { getViewer } = await import("../app/auth/viewer.server");
  const { routeArgs } = await import("../tests/routes");
  const file = /\.tsx?$/.test(page.route) ? page.route : `${page.route}.tsx`;
  const module = (await import(`../app/routes/${file}`)) as {
    loader: (args: unknown) => Promise<unknown>;
  };
  const handle = openDatabase({
    databaseUrl,
    poolSize: 2,
    log: (event) => {
      if (event.level === "query") queries.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  adoptDatabase(handle);
  const request = new Request(`http://localhost${page.path(ids)}`, { headers });
  await runWithRequestContext(request, async () => {
    await getViewer(request); // the root layout's loader
    await module.loader(routeArgs(request, page.params?.(ids) ?? {}));
  });
  await handle.close();
  return queries;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

const admin = new pg.Pool({ connectionString: adminUrl(serverUrl), max: 1 });
// An idle connection dropped by the server (a restart) is replaced on next use, not fatal.
admin.on("error", () => {});
await admin.query(`create database ${name}`);
const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "production" };
let stopServer: (() => Promise<unknown>) | undefined;
try {
  const loadBefore = machine().loadAverage;
  console.log(`Generating ${meetings.toLocaleString("en-GB")} meetings into ${name}…`);
  const generated = await runCli(["generate", "--meetings", String(meetings)], env);
  const generateSeconds = Number(/Generated in ([\d.]+) s/.exec(generated)?.[1] ?? Number.NaN);
  console.log(`  generated in ${generateSeconds} s`);

  const data = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  data.on("error", () => {});
  const one = async <T>(text: string, values: unknown[] = []) =>
    (await data.query(text, values)).rows[0] as T;
  const board = await one<{ id: number; slug: string }>(
    `select b.id, b.slug from boards b join workspaces w on w.id = b.workspace_id and w.slug = 'bench'
     order by (select count(*) from meetings m where m.workspace_id = b.workspace_id and m.board_id = b.id) desc limit 1`,
  );
  const meeting = await one<{ id: number }>(
    `select id from meetings where board_id = $1 and status = 'held' order by starts_at desc limit 1`,
    [board.id],
  );
  const agency = await one<{ name: string }>(
    `select a.name from agencies a join actions x on x.workspace_id = a.workspace_id and x.owner_agency_id = a.id
     group by a.id, a.name order by count(*) desc limit 1`,
  );
  const action = await one<{ id: number }>(
    `select id from actions where board_id = $1 order by id desc limit 1`,
    [board.id],
  );
  const published = await one<{ id: number }>(
    `select m.id from meetings m join minutes mn on mn.workspace_id = m.workspace_id and mn.meeting_id = m.id
     where m.board_id = $1 and mn.status = 'published' order by m.starts_at desc limit 1`,
    [board.id],
  );
  await data.end();
  const ids: Ids = {
    boardId: Number(board.id),
    boardSlug: board.slug,
    meetingId: Number(meeting.id),
    actionId: Number(action.id),
    publishedMeetingId: Number(published.id),
  };
  const people = { admin: "admin@bench.test", partner: "partner@bench.test" } as const;
  await runCli(
    [
      "create-user",
      "--workspace",
      "bench",
      "--email",
      people.admin,
      "--name",
      "Bench Admin",
      "--role",
      "admin",
      "--password",
      PASSWORD,
    ],
    env,
  );
  await runCli(
    [
      ...["create-user", "--workspace", "bench", "--email", people.partner, "--name", "Bench Partner"],
      ...["--role", "partner", "--agency", agency.name, "--password", PASSWORD],
    ],
    env,
  );

  // The per-token API limit (120 a minute) would answer most of a measurement with 429: the
  // benchmark measures the endpoints, so it lifts the limit for its own server.
  const server = await startAppServer({ ...env, LOG_LEVEL: "warn", API_RATE_LIMIT_PER_MINUTE: "100000000" });
  stopServer = () => server.stop();
  const cookies: Record<string, string> = {};
  for (const [role, email] of Object.entries(people)) {
    const response = await fetch(`${server.baseUrl}/sign-in`, {
      method: "POST",
      body: new URLSearchParams({ email, password: PASSWORD }),
      redirect: "manual",
    });
    if (response.status !== 302) throw new Error(`Signing in ${email} answered ${response.status}`);
    cookies[role] = /^([^;]+)/.exec(response.headers.get("set-cookie") ?? "")![1]!;
  }
  // The API is read with personal access tokens, made as an operator would.
  const tokens: Record<string, string> = {};
  for (const [role, email] of Object.entries(people)) {
    const made = await runCli(["create-token", "--email", email, "--scope", "read"], env);
    tokens[role] = /blpat_[a-z0-9]+/.exec(made)?.[0] ?? "";
    if (!tokens[role]) throw new Error(`create-token for ${email} printed no token`);
  }
  const headersFor = (as: Page["as"]): Record<string, string> => {
    if (as === "public") return {};
    if (as === "admin token" || as === "partner token") {
      return { Authorization: `Bearer ${tokens[as.replace(" token", "")]}` };
    }
    return { Cookie: cookies[as]! };
  };

  const results = [];
  for (const page of pages) {
    const url = `${server.baseUrl}${page.path(ids)}`;
    const headers = headersFor(page.as);
    const first = await fetch(url, { headers });
    if (first.status !== 200) throw new Error(`${page.name}: ${url} answered ${first.status}`);
    const body = Buffer.from(await first.arrayBuffer());
    const queries = await captureSql(page, ids, headers);
    for (let i = 0; i < 20; i++) await fetch(url, { headers }).then((r) => r.arrayBuffer()); // warm up
    const byLevel = [];
    for (const connections of levels) {
      const app = await drive(url, connections, headers);
      const sqlOnly = await sqlFloor(queries, connections);
      const http = await httpFloor(body, connections);
      byLevel.push({ connections, app, sqlFloor: sqlOnly, httpFloor: http });
      console.log(
        `${page.name.padEnd(28)} ${String(connections).padStart(2)} conn  ${String(app.reqPerSec).padStart(7)} req/s  ` +
          `p50 ${app.p50} p95 ${app.p95} p99 ${app.p99} ms  | sql floor ${sqlOnly.reqPerSec} req/s p50 ${sqlOnly.p50} ms` +
          `  | http floor ${http.reqPerSec} req/s${app.errors ? `  ERRORS ${app.errors}` : ""}`,
      );
    }
    results.push({
      page: page.name,
      path: page.path(ids),
      list: page.list,
      bytes: body.length,
      queries: queries.length,
      byLevel,
    });
  }

  const verdicts = results.map((r) => {
    const at1 = r.byLevel.find((l) => l.connections === 1);
    const at32 = r.byLevel.find((l) => l.connections === 32);
    return {
      page: r.page,
      listTarget: r.list && at32 ? at32.app.reqPerSec >= 400 && at32.app.p99 < 100 : null,
      sqlRatioAt1: at1 ? Math.round((at1.app.mean / at1.sqlFloor.mean) * 100) / 100 : null,
    };
  });
  const pgVersion = execFileSync("psql", [databaseUrl, "-tAc", "show server_version"]).toString().trim();
  const measured: BenchReport = {
    at: new Date().toISOString(),
    machine: { ...machine(), loadAverageBefore: loadBefore, postgres: pgVersion },
    meetings,
    generateSeconds,
    secondsPerMeasure: seconds,
    results,
  };
  // A run of some pages (BENCH_PAGES) replaces only their rows of the last full run, and says so.
  const report = { ...(only ? mergeIntoLatest(measured) : measured), verdicts };
  await mkdir("bench/results", { recursive: true });
  writeFileSync("bench/results/latest.json", `${JSON.stringify(report, null, 2)}\n`);
  await writeTable(report);
  console.log("Results written to bench/results/latest.json and docs/performance.md");
} finally {
  await stopServer?.();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
