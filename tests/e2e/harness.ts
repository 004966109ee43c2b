import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";
import { type AppServer, runCli, startAppServer } from "../app-process";

/*
 * The browser test harness. It builds nothing (CI runs `npm run build` first); it
 *  1. boots a fresh embedded database in a temporary DATA_DIR (`tsx bin/cli.ts boot`
 *     migrates and seeds the demo partnership),
 *  2. starts the production server (`server.ts` on build/server/index.js) on a free
 *     port with the same environment and waits for /healthz,
 *  3. launches Chromium through playwright-core,
 * and stops all of it afterwards, leaving nothing behind.
 */

export const DEMO_PASSWORD = "boardledger-demo";

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

export async function startHarness(): Promise<Harness> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "boardledger-e2e-"));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: "production" };
  // The embedded database in DATA_DIR, never a PostgreSQL the shell happens to point at.
  delete env.DATABASE_URL;

  let server: AppServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  const stop = async () => {
    await Promise.allSettled(contexts.map((context) => context.close()));
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await runCli(["boot"], env);
    server = await startAppServer(env);
    const { baseUrl } = server;

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    });
    const launched = browser;
    const running = server;

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
      serverLog: () => running.log(),
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
