import { mkdtemp, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { type AppServer, runCli, startAppServer } from "../app-process";

/*
 * The production server as a real child process on a fresh embedded database: its request
 * log lines, its /metrics, and what it does on SIGTERM with requests still in flight.
 */

const METRICS_TOKEN = "metrics-token-for-tests-5b1f";
const PASSWORD = "boardledger-demo";
const WRONG_PASSWORD = "not-the-password-7c2e";
const SHUTDOWN_TIMEOUT_MS = 4_000;

let dataDir: string;
let server: AppServer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "boardledger-server-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    NODE_ENV: "production",
    METRICS_TOKEN,
    LOG_LEVEL: "info",
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  };
  delete env.DATABASE_URL;
  await runCli(["boot"], env);
  server = await startAppServer(env);
});

afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function signIn(email: string): Promise<string> {
  const response = await fetch(`${server.baseUrl}/sign-in`, {
    method: "POST",
    body: new URLSearchParams({ email, password: PASSWORD }),
    redirect: "manual",
  });
  expect(response.status).toBe(302);
  const cookie = /^([^;]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1];
  if (!cookie) throw new Error("no session cookie");
  return cookie;
}

const requestLines = () => server.logLines().filter((line) => line.msg === "request");

describe("request logs", () => {
  it("writes one JSON line per request: id, user, workspace, route, method, status, time — and nothing secret", async () => {
    const cookie = await signIn("admin@demo.test");
    const boards = await fetch(`${server.baseUrl}/boards?q=query-text-4411`, { headers: { Cookie: cookie } });
    expect(boards.status).toBe(200);
    const requestId = boards.headers.get("x-request-id");
    const reset = await fetch(`${server.baseUrl}/reset-password/PATH-TOKEN-9931?token=QUERY-TOKEN-2207`);
    expect(reset.status).toBe(410);
    const failed = await fetch(`${server.baseUrl}/sign-in`, {
      method: "POST",
      body: new URLSearchParams({ email: "member@demo.test", password: WRONG_PASSWORD }),
    });
    expect(failed.status).toBe(400);
    // The server writes the line once the response has gone; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const lines = requestLines();
    const boardsLine = lines.find((line) => line.requestId === requestId);
    expect(boardsLine).toMatchObject({
      level: "info",
      method: "GET",
      route: "/boards",
      path: "/boards",
      status: 200,
      workspace: "demo",
    });
    expect(boardsLine?.userId).toEqual(expect.any(Number));
    expect(boardsLine?.durationMs).toEqual(expect.any(Number));
    expect(lines.find((line) => line.route === "/reset-password/:token")).toMatchObject({
      path: "/reset-password/:token",
      status: 410,
    });
    expect(lines.find((line) => line.route === "/sign-in" && line.status === 400)).toBeDefined();

    // Only these fields, so no form value, header or page text can ever reach a log line.
    const allowed = new Set([
      "time",
      "level",
      "msg",
      "requestId",
      "method",
      "route",
      "path",
      "status",
      "durationMs",
      "userId",
      "workspace",
      "databaseUnavailable",
    ]);
    for (const line of lines) expect(Object.keys(line).filter((key) => !allowed.has(key))).toEqual([]);
    const everything = server.log();
    for (const secret of [
      PASSWORD,
      WRONG_PASSWORD,
      cookie.split("=")[1]!,
      "PATH-TOKEN-9931",
      "QUERY-TOKEN-2207",
      "query-text-4411",
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe("/metrics", () => {
  it("answers 404 without the METRICS_TOKEN bearer, or with a wrong one", async () => {
    expect((await fetch(`${server.baseUrl}/metrics`)).status).toBe(404);
    const wrong = await fetch(`${server.baseUrl}/metrics`, { headers: { Authorization: "Bearer guess" } });
    expect(wrong.status).toBe(404);
  });

  it("gives Prometheus text: requests and latency by route pattern and status, the database, the process", async () => {
    await fetch(`${server.baseUrl}/boards/99999999`);
    const response = await fetch(`${server.baseUrl}/metrics`, {
      headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const sample = (name: string) => {
      const match = new RegExp(`^${name.replace(/[{}"()[\]|.*+?^$\\]/g, "\\$&")} (\\S+)$`, "m").exec(text);
      return match ? Number(match[1]) : undefined;
    };
    expect(
      sample('boardledger_http_requests_total{route="/boards",method="GET",status="200"}'),
    ).toBeGreaterThan(0);
    // A route pattern, never the id in the address.
    expect(text).toContain('route="/boards/:boardId"');
    // (Only in labels: a float sample such as 0.0999999999 may hold the digits by chance.)
    expect(text).not.toMatch(/="[^"]*99999999/);
    expect(
      sample('boardledger_http_request_duration_seconds_count{route="/boards",method="GET",status="200"}'),
    ).toBeGreaterThan(0);
    expect(sample("boardledger_database_up")).toBe(1);
    expect(sample("boardledger_process_resident_memory_bytes")).toBeGreaterThan(0);
  });
});

/** Opens a connection and sends a POST whose body is only partly sent, so it stays in flight. */
function startSlowPost(body: string, sendFirst: number): { socket: Socket; response: Promise<string> } {
  const socket = connect(server.port, "127.0.0.1");
  socket.write(
    [
      "POST /sign-in HTTP/1.1",
      `Host: localhost:${server.port}`,
      "Content-Type: application/x-www-form-urlencoded",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "",
      body.slice(0, sendFirst),
    ].join("\r\n"),
  );
  const response = new Promise<string>((resolve) => {
    let text = "";
    socket.on("data", (chunk) => {
      text += chunk.toString();
    });
    socket.on("close", () => resolve(text));
    socket.on("error", () => resolve(text));
  });
  return { socket, response };
}

describe("graceful shutdown on SIGTERM", () => {
  it("stops accepting, finishes requests in flight, cuts those past the deadline, runs the hooks, closes the database, exits 0", async () => {
    const body = new URLSearchParams({ email: "leader@demo.test", password: WRONG_PASSWORD }).toString();
    const finishing = startSlowPost(body, 10);
    const stalled = startSlowPost(body, 10);
    // Both requests have reached the server and wait for the rest of their bodies.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const exited = new Promise<number | null>((resolve) =>
      server.child.once("exit", (code) => resolve(code)),
    );
    const signalledAt = Date.now();
    server.child.kill("SIGTERM");
    const started = Date.now();
    while (!server.logLines().some((line) => line.msg === "shutdown started")) {
      if (Date.now() - started > 5_000) throw new Error(`no shutdown:\n${server.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    // No new connections.
    await expect(
      fetch(`${server.baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }),
    ).rejects.toThrow();

    // The first request in flight is finished and answered, and its connection then closed.
    finishing.socket.write(body.slice(10));
    const answer = await finishing.response;
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);

    // The second never completes: it is cut at the deadline, and the process still exits 0.
    const code = await exited;
    const stalledAnswer = await stalled.response;
    expect(stalledAnswer).toBe("");
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS - 500);
    expect(Date.now() - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 10_000);

    const messages = server
      .logLines()
      .filter((line) => line.msg !== "request" || (line.route === "/sign-in" && line.status === 400))
      .map((line) => String(line.msg));
    const order = [
      "shutdown started",
      "request",
      "shutdown deadline passed; closing connections",
      "requests finished",
      "shutdown hooks finished",
      "database closed",
      "exiting",
    ];
    const positions = order.map((msg) => messages.lastIndexOf(msg));
    expect(
      positions.every((p) => p >= 0),
      messages.join("\n"),
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    // The in-flight request's write (a failed sign-in is recorded) was committed, and the
    // embedded database was closed cleanly: it opens again with the row in it.
    const reopened = openDatabase({ dataDir: path.join(dataDir, "pglite") });
    try {
      const attempts = await reopened.db
        .selectFrom("sign_in_attempts")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("email", "=", "leader@demo.test")
        .where("succeeded", "=", false)
        .executeTakeFirstOrThrow();
      expect(attempts.n).toBe(1);
    } finally {
      await reopened.close();
    }
  });
});
