import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, signIn, startHarness } from "./harness";

/* Each demo account signs in and sees the navigation its role should see, and no more. */

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.stop();
});

const expected: Record<string, string[]> = {
  "admin@demo.test": ["Boards", "Meetings", "Actions", "Forward plan", "Dashboard", "Admin"],
  "leader@demo.test": ["Boards", "Meetings", "Actions", "Forward plan", "Dashboard", "Rate cards"],
  "secretary@demo.test": ["Boards", "Meetings", "Actions", "Forward plan"],
  "member@demo.test": ["Boards", "Meetings", "Actions", "Forward plan"],
  "partner@demo.test": ["Actions"],
};

describe("navigation by role", () => {
  for (const [email, items] of Object.entries(expected)) {
    it(`${email} sees ${items.join(", ")}`, async () => {
      const page = await harness.newPage();
      await signIn(page, email);
      const menu = page.getByRole("navigation", { name: "Menu" });
      await menu.waitFor();
      const labels = (await menu.getByRole("link").allTextContents()).map((t) => t.trim());
      expect(labels).toEqual(items);
      // The header names who is signed in, and they can sign out.
      await page.getByRole("button", { name: "Sign out" }).waitFor();
    });
  }

  it("shows the secretary only the board they run", async () => {
    const page = await harness.newPage();
    await signIn(page, "secretary@demo.test");
    await page.goto("/boards");
    const names = await page.locator("tbody tr th a").allTextContents();
    expect(names).toEqual(["Northshire Local Criminal Justice Board"]);
  });

  it("answers a signed-out visit with the sign-in page, not data", async () => {
    const page = await harness.newPage();
    await page.goto("/boards");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await page.content()).not.toContain("Local Criminal Justice Board");
  });

  it("answers the admin pages with 404 for a partner", async () => {
    const page = await harness.newPage();
    await signIn(page, "partner@demo.test");
    const response = await page.goto("/admin/agencies");
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
  });
});
