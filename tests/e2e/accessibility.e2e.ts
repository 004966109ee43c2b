import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, signIn, startHarness } from "./harness";

/*
 * axe-core on every page every role can reach: each demo account (and someone signed out)
 * starts at its home page and follows the site's own links, breadth first, scanning one page
 * of each route pattern (ids replaced) against WCAG 2.0, 2.1 and 2.2 A and AA. Zero
 * violations. A new page is covered as soon as something links to it.
 *
 * axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy
 * does not govern, so the policy stays as it is in production.
 */

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const MAX_PAGES_PER_ROLE = Number(process.env.AXE_MAX_PAGES ?? 60);
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.stop();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

async function scan(page: Page): Promise<Violation[]> {
  await page.evaluate(`${axeSource}\n;undefined`);
  return page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Violation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }));
  }, TAGS);
}

/** One address per route pattern: numbers in the path become ":id", the query is dropped. */
const patternOf = (url: URL) => url.pathname.replace(/\/\d+(?=\/|$)/g, "/:id");

/** Links worth following: this site, a page (not a download or a feed), not signing out. */
function followable(href: string, base: string): URL | null {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  if (url.origin !== new URL(base).origin) return null;
  if (/\.(csv|atom|ics|json|pdf|txt|xml)$/.test(url.pathname)) return null;
  if (/^\/(sign-out|papers|dev\/|healthz|metrics|api\/)/.test(url.pathname)) return null;
  return url;
}

async function crawl(page: Page, start: string): Promise<Map<string, Violation[]>> {
  const results = new Map<string, Violation[]>();
  const queue = [start];
  const seen = new Set<string>();
  while (queue.length > 0 && results.size < MAX_PAGES_PER_ROLE) {
    const href = queue.shift()!;
    const url = new URL(href, harness.baseUrl);
    const pattern = patternOf(url);
    if (seen.has(pattern)) continue;
    seen.add(pattern);
    const response = await page.goto(url.toString());
    if (!response || response.status() >= 400) continue;
    results.set(pattern, await scan(page));
    const links = await page.$$eval("a[href]", (anchors) => anchors.map((a) => a.getAttribute("href") ?? ""));
    for (const link of links) {
      const next = followable(link, page.url());
      if (next && !seen.has(patternOf(next))) queue.push(next.toString());
    }
  }
  return results;
}

function report(results: Map<string, Violation[]>): string[] {
  return [...results.entries()].flatMap(([pattern, violations]) =>
    violations.map(
      (v) =>
        `${pattern}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => `${n.target.join(" ")} ${n.html}`).join(" | ")}`,
    ),
  );
}

/** Minutes pages each role must have scanned (after /meetings/:id). */
const MINUTES_STARTS: Record<string, string[]> = {
  "admin@demo.test": ["/minutes", "/minutes/edit", "/minutes/history", "/declarations"],
  "secretary@demo.test": ["/minutes", "/minutes/edit", "/minutes/history", "/declarations"],
  "member@demo.test": ["/minutes"],
  "leader@demo.test": ["/minutes"],
};

/**
 * That page of the most recent past meeting with minutes the viewer can see: found from the
 * past meetings list and each meeting's page, as a person would.
 */
async function minutesPath(page: Page, suffix: string): Promise<string> {
  await page.goto(new URL("/meetings?when=past", harness.baseUrl).toString());
  const meetings = await page.$$eval("a[href]", (anchors) =>
    anchors.map((a) => a.getAttribute("href") ?? "").filter((href) => /^\/meetings\/\d+$/.test(href)),
  );
  for (const meeting of meetings.slice(0, 10)) {
    const response = await page.goto(new URL(`${meeting}/minutes`, harness.baseUrl).toString());
    const hasMinutes = (await page.$(".app-minutes")) !== null;
    if (response?.ok() && hasMinutes) return `${meeting}${suffix}`;
  }
  throw new Error("No past meeting with minutes was found from /meetings?when=past");
}

describe("axe-core finds no WCAG 2.2 AA violations", () => {
  it("on the pages someone signed out can reach", async () => {
    const page = await harness.newPage();
    const results = await crawl(page, "/sign-in");
    // The public side is not linked from sign-in: its own start, from which the crawl
    // reaches every public board's page and published minutes.
    for (const start of ["/forgot-password", "/reset-password/done", "/no-such-page", "/public/demo"]) {
      for (const [pattern, violations] of await crawl(page, start)) results.set(pattern, violations);
    }
    console.log(`signed out: scanned ${results.size} pages: ${[...results.keys()].join(" ")}`);
    expect(results.size).toBeGreaterThanOrEqual(3);
    const patterns = [...results.keys()];
    expect(patterns).toContain("/public/demo");
    expect(patterns.some((p) => /^\/public\/demo\/boards\/[^/]+$/.test(p))).toBe(true);
    // Published minutes, with their declarations of interest and restricted items.
    expect(patterns.some((p) => /^\/public\/demo\/boards\/[^/]+\/minutes\/:id$/.test(p))).toBe(true);
    expect(report(results)).toEqual([]);
  });

  for (const email of [
    "admin@demo.test",
    "leader@demo.test",
    "secretary@demo.test",
    "member@demo.test",
    "partner@demo.test",
  ]) {
    it(`on every page ${email} can reach`, async () => {
      const page = await harness.newPage();
      await signIn(page, email);
      const results = await crawl(page, page.url());
      // The minutes pages of a held meeting, whether or not the crawl's page limit reached them.
      for (const start of MINUTES_STARTS[email] ?? []) {
        for (const [pattern, violations] of await crawl(page, await minutesPath(page, start))) {
          if (!results.has(pattern)) results.set(pattern, violations);
        }
      }
      for (const expected of MINUTES_STARTS[email] ?? []) {
        expect([...results.keys()], `${email} reached ${expected}`).toContain(`/meetings/:id${expected}`);
      }
      console.log(`${email}: scanned ${results.size} pages: ${[...results.keys()].join(" ")}`);
      expect(results.size).toBeGreaterThanOrEqual(email.startsWith("partner") ? 3 : 8);
      expect(report(results)).toEqual([]);
    }, 300_000);
  }
});
