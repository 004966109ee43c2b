import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, signIn, startHarness } from "./harness";

/*
 * Issue 4: a secretary schedules a meeting, builds its agenda and fills its register
 * without touching the mouse. After signing in (which may use the mouse-free `fill`),
 * every step on the pages under test is Tab, Shift+Tab, Enter, arrow keys and typing.
 *
 * The meeting is in the future because scheduling refuses a start in the past. Saving the
 * register of a future meeting is allowed: it records attendance but does not mark the
 * meeting as held (that happens only once the meeting has ended), so the test expects
 * "The register has been saved." and the meeting still "Scheduled".
 */

let harness: Harness;
let page: Page;

beforeAll(async () => {
  harness = await startHarness();
  page = await harness.newPage();
  await signIn(page, "secretary@demo.test");
});

afterAll(async () => {
  await harness?.stop();
});

interface Focused {
  tag: string;
  type: string | null;
  name: string;
  value: string | null;
  checked: boolean | null;
}

/** What has focus, named as a person would hear it: aria-label, then its labels, then its text. */
async function focused(p: Page): Promise<Focused | null> {
  return p.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body || el === document.documentElement) return null;
    const clean = (text: string | null | undefined) => (text ?? "").replace(/\s+/g, " ").trim();
    const labelled = el.getAttribute("aria-labelledby");
    const byIds = labelled
      ? labelled
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? "")
          .join(" ")
      : "";
    const labels =
      "labels" in el && (el as HTMLInputElement).labels
        ? Array.from((el as HTMLInputElement).labels ?? [])
            .map((l) => l.textContent ?? "")
            .join(" ")
        : "";
    const name =
      clean(el.getAttribute("aria-label")) || clean(byIds) || clean(labels) || clean(el.textContent);
    const input = el as HTMLInputElement;
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute("type"),
      name,
      value: "value" in input ? String(input.value) : null,
      checked: input.type === "radio" || input.type === "checkbox" ? input.checked : null,
    };
  });
}

/** How many presses each tabTo took, for the report below. */
const presses_: string[] = [];

const matches = (name: string, wanted: string | RegExp) =>
  typeof wanted === "string" ? name === wanted : wanted.test(name);

/** Presses Tab `times` times. */
async function tab(p: Page, times = 1, reverse = false): Promise<void> {
  for (let i = 0; i < times; i++) await p.keyboard.press(reverse ? "Shift+Tab" : "Tab");
}

/**
 * Presses Tab (or Shift+Tab) until the focused element's accessible name matches, at most
 * `max` times; fails naming the last things focused. Returns how many presses it took.
 */
async function tabTo(
  p: Page,
  wanted: string | RegExp,
  { max = 150, reverse = false }: { max?: number; reverse?: boolean } = {},
): Promise<number> {
  const seen: string[] = [];
  const current = await focused(p);
  if (current && matches(current.name, wanted)) return 0;
  for (let presses = 1; presses <= max; presses++) {
    await tab(p, 1, reverse);
    const now = await focused(p);
    if (now && matches(now.name, wanted)) {
      presses_.push(`${String(wanted)}: ${presses}${reverse ? " Shift+Tab" : " Tab"}`);
      return presses;
    }
    seen.push(now ? `<${now.tag}> ${now.name.slice(0, 60)}` : "(nothing)");
  }
  throw new Error(
    `Could not ${reverse ? "Shift+Tab" : "Tab"} to ${String(wanted)} on ${p.url()} in ${max} presses. ` +
      `Last focused:\n  ${seen.slice(-20).join("\n  ")}`,
  );
}

/** Presses a key that should navigate, waiting for the URL; on failure reports the page's error summary. */
async function pressAndWait(p: Page, key: string, url: RegExp | ((url: URL) => boolean)): Promise<void> {
  try {
    await Promise.all([p.waitForURL(url, { timeout: 15_000 }), p.keyboard.press(key)]);
  } catch (error) {
    const summary = await p
      .locator(".govuk-error-summary")
      .allTextContents()
      .catch(() => []);
    throw new Error(
      `Pressing ${key} did not reach the expected page; now at ${p.url()}. ` +
        `Error summary: ${summary.join(" | ") || "none"}. ${String(error)}\n${harness.serverLog().slice(-2000)}`,
    );
  }
}

/**
 * The focused element shows a focus indicator: an outline or box-shadow (for a GOV.UK radio,
 * whose input is hidden, the ring is drawn on its label's ::before).
 */
async function focusIndicator(p: Page): Promise<{ outline: string; boxShadow: string; background: string }> {
  return p.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const input = el as HTMLInputElement;
    const target =
      (input.type === "radio" || input.type === "checkbox") && input.labels?.[0]
        ? getComputedStyle(input.labels[0], "::before")
        : getComputedStyle(el);
    return {
      outline: target.outlineStyle === "none" || target.outlineWidth === "0px" ? "none" : target.outline,
      boxShadow: target.boxShadow,
      background: target.backgroundColor,
    };
  });
}

async function expectFocusIndicator(p: Page, what: string): Promise<void> {
  const style = await focusIndicator(p);
  const visible = style.outline !== "none" || style.boxShadow !== "none";
  expect(visible, `${what} has no visible focus indicator: ${JSON.stringify(style)}`).toBe(true);
}

const navigation: string[] = [];

async function noteFocusAfterNavigation(p: Page, where: string, newPage = true): Promise<void> {
  const now = await focused(p);
  navigation.push(`${where}: focus on ${now ? `<${now.tag}> ${now.name.slice(0, 50)}` : "the page (body)"}`);
  // A screen reader starts on a new page's heading, as after a full page load. (A form that
  // answers with the page it was on leaves focus where it was.)
  if (newPage)
    expect(now?.tag, `after navigating to the ${where}, focus should be on its heading`).toBe("h1");
}

describe("a secretary, by keyboard alone", () => {
  it("schedules a meeting, builds its agenda and fills its register", async () => {
    const started = Date.now();
    const year = new Date().getFullYear() + 1;
    const location = "Committee Room 2, Northshire House";
    const itemTitle = "Reducing reoffending: funding decision";

    // The board: the secretary sees only the one they run.
    await page.goto("/boards");
    await page.getByRole("heading", { level: 1, name: "Boards" }).waitFor();
    await tabTo(page, "Northshire Local Criminal Justice Board");
    await expectFocusIndicator(page, "The board's link");
    await pressAndWait(page, "Enter", /\/boards\/\d+$/);
    await page.getByRole("heading", { level: 2, name: "Upcoming meetings" }).waitFor();
    await noteFocusAfterNavigation(page, "board page");

    // Schedule a meeting.
    await tabTo(page, "Schedule a meeting");
    await expectFocusIndicator(page, "The 'Schedule a meeting' button link");
    await pressAndWait(page, "Enter", /\/boards\/\d+\/meetings\/new$/);
    // The URL changes before React commits the new page (navigations render in a
    // transition), so wait for the heading rather than reading it at once.
    await page
      .getByRole("heading", { level: 1, name: "Schedule a meeting" })
      .waitFor({ timeout: 15_000 })
      .catch(async () => {
        const h1 = await page.locator("main h1").first().textContent();
        throw new Error(`/boards/:id/meetings/new should show the scheduling form; its heading is "${h1}"`);
      });
    await noteFocusAfterNavigation(page, "schedule form");

    await tabTo(page, "Date");
    await expectFocusIndicator(page, "The date input");
    // Typed day, month, year: 12 December next year reads the same in either day/month order.
    await page.keyboard.type(`1212${year}`);
    expect((await focused(page))?.value).toBe(`${year}-12-12`);
    // Start time (10:00) and length (the board's default) are kept.
    await tabTo(page, "Start time");
    expect((await focused(page))?.value).toBe("10:00");
    await tabTo(page, "In person");
    expect((await focused(page))?.checked).toBe(true);
    await expectFocusIndicator(page, "The 'In person' radio");
    await tabTo(page, "Location");
    await page.keyboard.type(location);
    await tabTo(page, "Schedule");
    await expectFocusIndicator(page, "The Schedule button");
    await pressAndWait(page, "Enter", /\/meetings\/\d+\?done=scheduled$/);
    const meetingId = Number(new URL(page.url()).pathname.split("/")[2]);
    await page.getByText("Meeting scheduled. Board members have been invited.").waitFor();
    await noteFocusAfterNavigation(page, "new meeting page");

    // Build the agenda: the meeting starts with its three standing items.
    await tabTo(page, "Build agenda");
    await pressAndWait(page, "Enter", new RegExp(`/meetings/${meetingId}/agenda$`));
    await page.getByRole("heading", { level: 1, name: "Agenda" }).waitFor();
    await noteFocusAfterNavigation(page, "agenda page");
    const rows = page.locator("table.govuk-table tbody tr");
    const standing = await rows.count(); // the standing items a new meeting starts with

    await tabTo(page, "Title");
    await page.keyboard.type(itemTitle);
    await tabTo(page, "Discussion"); // the checked purpose: Tab lands on it
    await page.keyboard.press("ArrowUp");
    expect(await focused(page)).toMatchObject({ name: "Decision", checked: true });
    await tabTo(page, "Minutes allowed");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("15");
    expect((await focused(page))?.value).toBe("15");
    await tabTo(page, "Add item");
    await pressAndWait(page, "Enter", /\/agenda\?done=added/);
    await page.getByText("Item added").waitFor();
    await expect.poll(() => rows.count()).toBe(standing + 1);
    expect(await rows.nth(standing).locator("td").nth(1).textContent()).toContain(itemTitle);

    // Move it up one place, by its own button.
    await tabTo(page, `Move up: ${itemTitle}`);
    await expectFocusIndicator(page, "The 'Move up' button");
    await pressAndWait(page, "Enter", (url) => url.pathname.endsWith("/agenda") && url.search === "");
    await expect
      .poll(async () =>
        rows
          .nth(standing - 1)
          .locator("td")
          .nth(1)
          .textContent(),
      )
      .toContain(itemTitle);
    await noteFocusAfterNavigation(page, "agenda after Move up", false);

    // Back to the meeting: the back link is above, so Shift+Tab to it.
    await tabTo(page, "Back to the meeting", { reverse: true });
    await pressAndWait(page, "Enter", new RegExp(`/meetings/${meetingId}$`));
    await page.getByRole("heading", { level: 2, name: "Register" }).waitFor();

    // Take the register: first person attended, second sent apologies.
    await tabTo(page, "Take the register");
    await pressAndWait(page, "Enter", new RegExp(`/meetings/${meetingId}/register$`));
    await page.getByRole("heading", { level: 1, name: "Attendance register" }).waitFor();
    await noteFocusAfterNavigation(page, "register page");
    const names = (await page.locator("form#register tbody tr th").evaluateAll((cells) =>
      cells.map((cell) =>
        Array.from(cell.childNodes)
          .filter((node) => node.nodeType === Node.TEXT_NODE)
          .map((node) => node.textContent ?? "")
          .join("")
          .trim(),
      ),
    )) as string[];
    expect(names.length).toBeGreaterThanOrEqual(2);
    const [attended, apologies] = names as [string, string];

    await tabTo(page, `Status for ${attended}`);
    await expectFocusIndicator(page, "A register status select");
    expect((await focused(page))?.value).toBe("invited");
    const quorumBefore = (await page.locator("#quorum").textContent()) ?? "";
    expect(quorumBefore).toMatch(/Not quorate: 0 of \d+ agenc/);
    await page.keyboard.press("ArrowDown");
    expect((await focused(page))?.value).toBe("attended");
    // Quorum follows the register as it is marked, before it is saved.
    await expect.poll(() => page.locator("#quorum").textContent()).toMatch(/: 1 of \d+ agenc/);
    await tabTo(page, `Status for ${apologies}`);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect((await focused(page))?.value).toBe("apologies");
    await tabTo(page, "Save register", { max: 400 });
    await expectFocusIndicator(page, "The Save register button");
    await pressAndWait(page, "Enter", new RegExp(`/meetings/${meetingId}/register\\?done=saved$`));
    // A future meeting's register saves, but does not mark the meeting held.
    await page.getByText("The register has been saved.", { exact: true }).waitFor();
    expect(await page.getByText("now marked as held").count()).toBe(0);
    expect(await page.locator('select[name="rows[0].status"]').inputValue()).toBe("attended");

    // Back to the meeting by the breadcrumb, and it shows the register and the agenda.
    await tabTo(page, /^Meeting on /, { reverse: true });
    await pressAndWait(page, "Enter", new RegExp(`/meetings/${meetingId}$`));
    await page.getByRole("heading", { level: 2, name: "Register" }).waitFor();
    const register = page.locator("h2:has-text('Register') + dl");
    await expect.poll(() => register.textContent()).toContain(`Attended (1)${attended}`);
    const registerText = (await register.textContent()) ?? "";
    expect(registerText).toContain(`Apologies (1)${apologies}`);
    expect(registerText).toContain("Absent (0)");
    expect(registerText).toMatch(/Invited\d+ people/);
    const agenda = page.getByRole("table", { name: "Agenda" });
    const agendaRows = agenda.locator("tbody tr");
    expect(await agendaRows.count()).toBe(standing + 1);
    const moved = agendaRows.nth(standing - 1);
    expect(await moved.locator("th").textContent()).toBe(itemTitle);
    expect(await moved.textContent()).toContain("Decision");
    expect(await moved.textContent()).toContain("15");
    expect(await page.locator("h1 .govuk-tag").textContent()).toBe("Scheduled");

    console.info(
      `Keyboard-only journey took ${((Date.now() - started) / 1000).toFixed(1)} s.\n  ${navigation.join("\n  ")}\n  ${presses_.join("\n  ")}`,
    );
  });
});
