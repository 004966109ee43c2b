import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, signIn, startHarness } from "./harness";

/*
 * Issue 5 in Chromium: the demo secretary writes the minutes of the LCJB's latest meeting
 * (the draft also saves itself while they type), circulates them; the demo member signs in
 * and comments on an item; the secretary resolves the comment, records approval by the
 * chair and publishes; and a signed-out visitor reads them at their public address, with
 * OFFICIAL-SENSITIVE items reduced to their title.
 */

let harness: Harness;
let secretary: Page;
let minutesPath = "";
const texts: { text: string; sensitive: boolean }[] = [];

beforeAll(async () => {
  harness = await startHarness();
  secretary = await harness.newPage();
  await signIn(secretary, "secretary@demo.test");
});

afterAll(async () => {
  await harness?.stop();
});

async function banner(page: Page, text: string | RegExp) {
  await page.locator(".govuk-notification-banner--success").getByText(text).waitFor();
}

describe("minutes from draft to the public page", () => {
  it("the secretary writes the minutes of the latest meeting, with autosave, and saves the draft", async () => {
    await secretary.goto("/boards");
    await Promise.all([
      secretary.waitForURL(/\/boards\/\d+$/),
      secretary
        .getByRole("link", { name: /Local Criminal Justice Board/ })
        .first()
        .click(),
    ]);
    const recent = secretary.getByRole("table", { name: "Recent meetings" });
    await Promise.all([
      secretary.waitForURL(/\/meetings\/\d+\/minutes$/),
      recent
        .getByRole("link", { name: /Not written/ })
        .first()
        .click(),
    ]);
    minutesPath = new URL(secretary.url()).pathname;
    await Promise.all([
      secretary.waitForURL(/\/minutes\/edit$/),
      secretary.getByRole("link", { name: "Write the minutes" }).click(),
    ]);
    await secretary.getByRole("heading", { level: 1, name: /Write the minutes/ }).waitFor();

    const sections = secretary.locator("section.app-minutes-edit__item");
    const count = await sections.count();
    expect(count).toBeGreaterThan(2);
    for (let i = 0; i < count; i++) {
      // The item's classification tag (other red tags, such as an overdue action's RAG, say nothing of it).
      const sensitive =
        (await sections.nth(i).locator(".govuk-tag--red", { hasText: "OFFICIAL-SENSITIVE" }).count()) > 0;
      texts.push({ text: `Discussion ${i + 1} recorded in the browser test.`, sensitive });
    }
    // The demo meeting has an OFFICIAL-SENSITIVE item, so the public page's test means something.
    expect(texts.filter((t) => t.sensitive).length).toBeGreaterThan(0);
    // Typing pauses: the draft saves itself, and the form moves on to the new version.
    await secretary.getByLabel("Minutes of item 1", { exact: true }).fill(texts[0]?.text ?? "");
    await secretary.getByText(/Draft saved automatically at/).waitFor({ timeout: 20_000 });
    for (let i = 1; i < count; i++) {
      await secretary.getByLabel(`Minutes of item ${i + 1}`, { exact: true }).fill(texts[i]?.text ?? "");
    }
    await secretary
      .getByLabel("Add a decision")
      .nth(1)
      .fill("The board agreed to meet quarterly from April.");
    // Saved on the autosaved version: not refused as stale.
    await Promise.all([
      secretary.waitForURL(/\/minutes\?done=saved$/),
      secretary.getByRole("button", { name: "Save draft" }).click(),
    ]);
    await banner(secretary, "The minutes have been saved.");
    await secretary.getByText("The board agreed to meet quarterly from April.").waitFor();
  });

  it("circulates them; the member signs in and comments on an item", async () => {
    await Promise.all([
      secretary.waitForURL(/done=circulate/),
      secretary.getByRole("button", { name: "Circulate the minutes" }).click(),
    ]);
    await banner(secretary, /The minutes have been circulated/);

    const member = await harness.newPage();
    await signIn(member, "member@demo.test");
    await member.goto(minutesPath);
    await member.getByText(texts[0]?.text ?? "").waitFor();
    await member
      .getByLabel("Comment on this item")
      .first()
      .fill("Please add that the police figures are provisional.");
    await Promise.all([
      member.waitForURL(/done=comment/),
      member.getByRole("button", { name: "Add comment" }).first().click(),
    ]);
    await banner(member, "Your comment has been added.");
    // Members never see the buttons that move the minutes on.
    expect(await member.getByRole("button", { name: "Record approval" }).count()).toBe(0);
  });

  it("the secretary resolves the comment, records approval by the chair and publishes", async () => {
    await secretary.goto(minutesPath);
    await secretary.getByText("Please add that the police figures are provisional.").waitFor();
    await Promise.all([
      secretary.waitForURL(/done=resolve/),
      secretary.getByRole("button", { name: "Mark as resolved" }).click(),
    ]);
    await secretary.getByLabel("By the chair, between meetings").check();
    await Promise.all([
      secretary.waitForURL(/done=approve/),
      secretary.getByRole("button", { name: "Record approval" }).click(),
    ]);
    await banner(secretary, "The minutes have been approved.");
    await Promise.all([
      secretary.waitForURL(/done=publish/),
      secretary.getByRole("button", { name: "Publish the minutes" }).click(),
    ]);
    await banner(secretary, "The minutes have been published.");
    await secretary.getByRole("link", { name: "The published minutes, as the public sees them" }).waitFor();
  });

  it("a signed-out visitor reads them at their public address, sensitive items reduced to their title", async () => {
    const link = secretary.getByRole("link", { name: "The published minutes, as the public sees them" });
    const publicPath = (await link.getAttribute("href")) ?? "";
    expect(publicPath).toMatch(/^\/public\/demo\/boards\/lcjb\/minutes\/\d+$/);

    const visitor = await harness.newPage();
    const response = await visitor.goto(publicPath);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["cache-control"]).toContain("public");
    await visitor.getByRole("heading", { level: 1, name: /Minutes of the meeting on/ }).waitFor();
    const html = await visitor.content();
    for (const { text, sensitive } of texts) {
      if (sensitive) expect(html).not.toContain(text);
      else expect(html).toContain(text);
    }
    expect(html).toContain("The board agreed to meet quarterly from April.");
    expect(html).not.toContain("police figures are provisional");
    if (texts.some((t) => t.sensitive)) expect(html).toContain("Restricted");
    expect(html).toContain("approved as a true record by the chair");

    // And in the board's feed.
    const feed = await visitor.request.get("/public/demo/boards/lcjb/minutes.atom");
    expect(feed.status()).toBe(200);
    const xml = await feed.text();
    expect(xml).toContain(`${harness.baseUrl}${publicPath}`);
    for (const { text, sensitive } of texts) if (sensitive) expect(xml).not.toContain(text);
  });
});
