import type { CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, type Harness, startHarness } from "./harness";

/*
 * Passkeys in a real browser: Chromium's virtual authenticator (DevTools WebAuthn domain)
 * stands in for a phone or security key, with user verification, so the pages' own
 * bundled code runs navigator.credentials.create / .get under the real CSP.
 */

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.stop();
});

async function withAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** The password step only; the page may then ask for the second step. */
async function passwordStep(page: Page, email: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/sign-in"),
    page.getByRole("button", { name: "Sign in", exact: true }).click(),
  ]);
}

describe("passkeys", () => {
  let admin: Page;
  let adminKey: { cdp: CDPSession; authenticatorId: string };

  it("adds a passkey from the account page", async () => {
    admin = await harness.newPage();
    adminKey = await withAuthenticator(admin);
    await passwordStep(admin, "admin@demo.test");
    await admin.goto("/account/passkeys");
    const add = admin.getByRole("button", { name: "Add a passkey" });
    await add.waitFor();
    await admin.getByLabel("Name this passkey").fill("Virtual laptop");
    await Promise.all([admin.waitForURL(/done=added/), add.click()]);
    expect(await admin.locator(".govuk-notification-banner__heading").textContent()).toBe("Passkey added");
    expect(
      await admin.getByRole("table", { name: "Your passkeys" }).locator("tbody td").first().textContent(),
    ).toBe("Virtual laptop");
    const { credentials } = await adminKey.cdp.send("WebAuthn.getCredentials", {
      authenticatorId: adminKey.authenticatorId,
    });
    expect(credentials).toHaveLength(1);

    // The same authenticator will not make a second one (the options exclude it).
    await admin.getByLabel("Name this passkey").fill("Again");
    await admin.getByRole("button", { name: "Add a passkey" }).click();
    await admin.locator(".govuk-error-summary").waitFor();
    expect(await admin.locator(".govuk-error-summary__list").textContent()).toContain(
      "already has a passkey",
    );
  });

  it("asks for the passkey at the second step of sign-in", async () => {
    await admin.context().clearCookies();
    await passwordStep(admin, "admin@demo.test");
    expect(new URL(admin.url()).pathname).toBe("/sign-in/two-factor");
    expect(await admin.getByRole("heading", { level: 1 }).textContent()).toBe("Confirm it is you");
    const use = admin.getByRole("button", { name: "Use a passkey" });
    await use.waitFor();
    await Promise.all([admin.waitForURL((url) => !url.pathname.startsWith("/sign-in")), use.click()]);
    const { credentials } = await adminKey.cdp.send("WebAuthn.getCredentials", {
      authenticatorId: adminKey.authenticatorId,
    });
    expect(credentials[0]?.signCount).toBeGreaterThanOrEqual(2);
  });

  it("lets the admin require two-factor sign-in, and a leader then sets up a passkey before going on", async () => {
    await admin.goto("/admin/security");
    await admin.getByLabel("Require two-factor sign-in for admins and leaders").check();
    await Promise.all([admin.waitForURL(/saved=1/), admin.getByRole("button", { name: "Save" }).click()]);
    expect(await admin.getByLabel("Require two-factor sign-in for admins and leaders").isChecked()).toBe(
      true,
    );

    const leader = await harness.newPage();
    await withAuthenticator(leader);
    await passwordStep(leader, "leader@demo.test");
    await leader.goto("/boards");
    expect(new URL(leader.url()).pathname).toBe("/sign-in/two-factor");
    expect(await leader.getByRole("heading", { level: 1 }).textContent()).toBe("Set up two-factor sign-in");
    await leader.getByLabel("Name this passkey").fill("Leader's phone");
    await Promise.all([
      leader.waitForURL((url) => url.pathname === "/boards"),
      leader.getByRole("button", { name: "Add a passkey" }).click(),
    ]);
  });

  it("refuses to remove the admin's only passkey while the workspace requires two-factor", async () => {
    await admin.goto("/account/passkeys");
    await admin
      .getByRole("link", { name: /Remove/ })
      .first()
      .click();
    await admin.getByRole("button", { name: "Remove passkey" }).click();
    await admin.locator(".govuk-error-summary").waitFor();
    expect(await admin.locator(".govuk-error-summary__list").textContent()).toContain(
      "You cannot remove your only passkey",
    );
  });

  it("shows no passkey button without JavaScript, and says why", async () => {
    const context = await harness.browser.newContext({ baseURL: harness.baseUrl, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto("/sign-in");
      await page.getByLabel("Email address").fill("admin@demo.test");
      await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
      await Promise.all([
        page.waitForURL(/two-factor/),
        page.getByRole("button", { name: "Sign in" }).click(),
      ]);
      expect(await page.getByRole("button", { name: "Use a passkey" }).count()).toBe(0);
      expect(await page.locator("main").textContent()).toContain(
        "Passkeys need JavaScript and a browser that supports them",
      );
    } finally {
      await context.close();
    }
  });
});
