import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, signIn, startHarness } from "./harness";

let harness: Harness;
let page: Page;

beforeAll(async () => {
  harness = await startHarness();
  page = await harness.newPage();
  await signIn(page, "admin@demo.test");
});

afterAll(async () => {
  await harness?.stop();
});

describe("boards", () => {
  it("lists the demo partnership's boards in a sortable table", async () => {
    const response = await page.goto("/boards");
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe("Boards – Boardledger");
    await page.getByRole("heading", { level: 1, name: "Boards" }).waitFor();

    const table = page.getByRole("table", { name: "Boards you can see" });
    const rows = table.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(1);
    const names = await table.locator("tbody tr th a").allTextContents();
    expect(names.some((name) => name.includes("Local Criminal Justice Board"))).toBe(true);
    expect(await table.locator('th[aria-sort="ascending"]').textContent()).toContain("Name");

    // Sorting is a link: the server sorts, and the header says so.
    await Promise.all([
      page.waitForURL(/sort=name&dir=desc/),
      table.getByRole("link", { name: /^Name/ }).click(),
    ]);
    expect(await table.locator('th[aria-sort="descending"]').textContent()).toContain("Name");
    const reversed = await table.locator("tbody tr th a").allTextContents();
    expect(reversed[0]).toBe(names.at(-1));
  });

  it("opens a board with its members and meetings", async () => {
    await page.goto("/boards");
    const link = page.getByRole("link", { name: /Local Criminal Justice Board/ }).first();
    const name = (await link.textContent())?.trim() ?? "";
    await Promise.all([page.waitForURL(/\/boards\/\d+$/), link.click()]);

    // With JavaScript the link navigates in the page: wait for the board's heading.
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Members" }).waitFor();
    const members = page.getByRole("table", { name: /Current members of/ });
    expect(await members.locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await members.locator("tbody").textContent()).not.toContain("no current members");

    await page.getByRole("heading", { level: 2, name: "Upcoming meetings" }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Recent meetings" }).waitFor();
    const meetings = page.getByRole("table", { name: /meetings/ });
    expect(await meetings.count()).toBe(2);
    const recent = page.getByRole("table", { name: "Recent meetings" });
    expect(await recent.locator("tbody tr").count()).toBeGreaterThan(0);
  });

  it("sorts and opens boards without JavaScript", async () => {
    const plain = await harness.newPage({ javaScriptEnabled: false });
    await signIn(plain, "admin@demo.test");
    await plain.goto("/boards");
    const table = plain.getByRole("table", { name: "Boards you can see" });
    await Promise.all([
      plain.waitForURL(/sort=members&dir=desc/),
      table.getByRole("link", { name: /^Members/ }).click(),
    ]);
    expect(await table.locator('th[aria-sort="descending"]').textContent()).toContain("Members");
    const counts = (
      await table.locator("tbody tr td.govuk-table__cell--numeric:nth-child(3)").allTextContents()
    ).map(Number);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    await Promise.all([plain.waitForURL(/\/boards\/\d+$/), table.locator("tbody tr th a").first().click()]);
    await plain.getByRole("heading", { level: 2, name: "Members" }).waitFor();
    // Signing out is a real form.
    await Promise.all([
      plain.waitForURL((url) => !url.pathname.startsWith("/boards")),
      plain.getByRole("button", { name: "Sign out" }).click(),
    ]);
    const back = await plain.goto("/boards");
    expect(new URL(back?.url() ?? "").pathname).toBe("/sign-in");
  });

  it("answers 404 with the GOV.UK page for a board that does not exist", async () => {
    const response = await page.goto("/boards/999999");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Page not found");
    expect(await page.title()).toBe("Page not found – Boardledger");

    const elsewhere = await page.goto("/no/such/page");
    expect(elsewhere?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Page not found");
  });
});
