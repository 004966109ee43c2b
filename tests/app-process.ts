import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

/*
 * Running the production server as a real child process, for the browser tests, the server
 * tests (logs, metrics, shutdown, database faults) and the benchmark: a free port, the CLI
 * to boot the database, the server itself (server.ts on build/server), waiting for /healthz,
 * and stopping it with SIGTERM.
 */

export const ROOT = path.resolve(import.meta.dirname, "..");
export const SERVER_ENTRY = path.join(ROOT, "build/server/index.js");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("No port"));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** Runs a command to its end; rejects with its output if it fails. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output}`));
    });
  });
}

/** `npm run cli -- <args>` with this environment. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return run(TSX, ["bin/cli.ts", ...args], env);
}

export async function waitForHealthy(
  url: string,
  server: ChildProcess,
  log: () => string,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The server exited with ${server.exitCode}:\n${log()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} was not healthy within ${timeoutMs / 1000} s:\n${log()}`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null if killed). */
export function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", (code) => {
      clearTimeout(killer);
      resolve(code);
    });
    child.kill("SIGTERM");
  });
}

export interface AppServer {
  /** http://localhost:PORT */
  baseUrl: string;
  port: number;
  child: ChildProcess;
  /** Everything the server has printed so far (stdout and stderr). */
  log(): string;
  /** The JSON lines it has printed, parsed. */
  logLines(): Record<string, unknown>[];
  /** SIGTERM and wait; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts `server.ts` on the production build with this environment (PORT is chosen here). */
export async function startAppServer(env: NodeJS.ProcessEnv): Promise<AppServer> {
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error(`No production build at ${SERVER_ENTRY}: run \`npm run build\` first.`);
  }
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts", SERVER_ENTRY], {
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  // localhost, not 127.0.0.1: browsers keep Secure (__Host-) cookies for http://localhost.
  const baseUrl = `http://localhost:${port}`;
  const server: AppServer = {
    baseUrl,
    port,
    child,
    log: () => output,
    logLines: () =>
      output
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stop: (graceMs) => stopProcess(child, graceMs),
  };
  try {
    await waitForHealthy(`${baseUrl}/healthz`, child, () => output);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
