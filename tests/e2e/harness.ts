import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";

/*
 * The browser test harness. It builds nothing (CI runs `npm run build` first); it
 *  1. boots a fresh embedded database in a temporary DATA_DIR (`tsx bin/cli.ts boot`
 *     migrates and seeds the demo partnership),
 *  2. starts the production server (`react-router-serve build/server/index.js`) on a free
 *     port with the same environment and waits for /healthz,
 *  3. launches Chromium through playwright-core,
 * and stops all of it afterwards, leaving nothing behind.
 */

export const DEMO_PASSWORD = "boardledger-demo";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SERVER_ENTRY = path.join(ROOT, "build/server/index.js");
const BIN = (name: string) => path.join(ROOT, "node_modules/.bin", name);

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Harness {
  /** e.g. http://localhost:41234 */
  baseUrl: string;
  browser: Browser;
  /**
   * A fresh browser context (its own cookies) and page, closed by stop();
   * `{ javaScriptEnabled: false }` checks a page works before JavaScript.
   */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** The server's output so far, for a failing test's message. */
  serverLog(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
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

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
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

async function waitForHealthy(url: string, server: ChildProcess, log: () => string, timeoutMs = 60_000) {
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

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export async function startHarness(): Promise<Harness> {
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error(`No production build at ${SERVER_ENTRY}: run \`npm run build\` first.`);
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), "boardledger-e2e-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    NODE_ENV: "production",
  };
  // The embedded database in DATA_DIR, never a PostgreSQL the shell happens to point at.
  delete env.DATABASE_URL;

  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let log = "";

  const stop = async () => {
    await Promise.allSettled(contexts.map((context) => context.close()));
    if (browser) await browser.close().catch(() => {});
    if (server) await stopProcess(server);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await run(BIN("tsx"), ["bin/cli.ts", "boot"], env);

    server = spawn(BIN("react-router-serve"), [SERVER_ENTRY], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
    });
    server.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
    });
    // localhost, not 127.0.0.1: browsers keep Secure (__Host-) cookies for http://localhost.
    const baseUrl = `http://localhost:${port}`;
    await waitForHealthy(`${baseUrl}/healthz`, server, () => log);

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    });
    const launched = browser;

    return {
      baseUrl,
      browser: launched,
      async newPage() {
        const context = await launched.newContext({
          baseURL: baseUrl,
          locale: "en-GB",
          timezoneId: "Europe/London",
        });
        contexts.push(context);
        return context.newPage();
      },
      serverLog: () => log,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Signs in through the real sign-in form, as a person would. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/sign-in")),
    page.getByRole("button", { name: "Sign in", exact: true }).click(),
  ]);
}
