import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import { clearRecordedMail, recordedMail } from "~/mail/mailer.server";
import * as auditPage from "~/routes/admin.audit";
import * as usersPage from "~/routes/admin.users._index";
import * as invitePage from "~/routes/admin.users.invite";
import * as devMail from "~/routes/dev.mail";
import * as forgotPage from "~/routes/forgot-password";
import * as invitationPage from "~/routes/invitations.$token";
import * as resetPage from "~/routes/reset-password.$token";
import * as resetDone from "~/routes/reset-password.done";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import { insertPartnership, insertUser } from "../factories";
import { callRoute, signedIn } from "../routes";

/*
 * The pages render on the server (before any JavaScript) with what their loaders and
 * actions return: messages beside the fields, typed values kept, the expired-link pages.
 */

let handle: DatabaseHandle;
let north: Awaited<ReturnType<typeof insertPartnership>>;
let adminCookie: string;

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  north = await insertPartnership(handle.db, "north");
  const adminId = (
    await insertUser(handle.db, north.workspaceId, { email: "ada@north.test" }, [{ role: "admin" }])
  ).id;
  await insertUser(handle.db, north.workspaceId, { email: "ben@north.test" }, [
    { role: "secretary", board_id: north.boardId },
  ]);
  adminCookie = await signedIn(handle.db, adminId, north.workspaceId);
});
afterAll(() => handle.close());

/** What the stub accepts as a route component (it supplies each route's own props). */
type StubComponent = NonNullable<Parameters<typeof createRoutesStub>[0][number]["Component"]>;

function render(Component: StubComponent, path: string, loaderData: unknown, actionData?: unknown): string {
  const Stub = createRoutesStub([{ id: "page", path: path.split("?")[0], Component }]);
  const html = renderToString(
    <Stub
      initialEntries={[path]}
      hydrationData={{
        loaderData: { page: loaderData },
        actionData: actionData === undefined ? undefined : { page: actionData },
      }}
    />,
  );
  // React marks where adjacent text nodes meet; the browser shows them as one text.
  return html.replaceAll("<!-- -->", "");
}

describe("pages render", () => {
  it("the invite form, with a refusal beside its field", async () => {
    const page = await callRoute(invitePage, { path: "/admin/users/invite", cookie: adminCookie });
    const refused = await callRoute(invitePage, {
      method: "POST",
      path: "/admin/users/invite",
      cookie: adminCookie,
      form: { email: "kim@north.test", role: "member" },
    });
    const html = render(invitePage.default, "/admin/users/invite", page.body, refused.body);
    expect(html).toContain("Invite a person to North partnership");
    expect(html).toContain("There is a problem");
    expect(html).toContain("Select the board for this role");
    expect(html).toContain('value="kim@north.test"');
    expect(html).toMatch(/name="role" checked="" value="member"/);
    expect(html).toContain("north LCJB");
  });

  it("the users list, with a row's refusal and an add-role form", async () => {
    const page = await callRoute(usersPage, { path: "/admin/users", cookie: adminCookie });
    const users = (page.body as { users: { id: number; email: string }[] }).users;
    const ada = users.find((u) => u.email === "ada@north.test")!;
    const refused = await callRoute(usersPage, {
      method: "POST",
      path: "/admin/users",
      cookie: adminCookie,
      form: { intent: "disable", userId: String(ada.id) },
    });
    const html = render(usersPage.default, "/admin/users", page.body, refused.body);
    expect(html).toContain("secretary of north LCJB");
    expect(html).toContain("You cannot disable your own account");
    expect(html).toContain(`href="#user-${ada.id}"`);
    expect(html).toContain("Add a role");
    expect(html).toContain('aria-sort="ascending"');
  });

  it("the audit trail, its filter refusal and the retention confirmation", async () => {
    const page = await callRoute(auditPage, { path: "/admin/audit?from=2026-13-01", cookie: adminCookie });
    await handle.db
      .insertInto("audit_events")
      .values({
        workspace_id: north.workspaceId,
        occurred_at: new Date(Date.now() - 400 * 86_400_000),
        actor_label: "x",
        event: "old",
        entity_type: "thing",
      })
      .execute();
    const asked = await callRoute(auditPage, {
      method: "POST",
      path: "/admin/audit",
      cookie: adminCookie,
      form: { intent: "retention", days: "30" },
    });
    const html = render(auditPage.default, "/admin/audit", page.body, asked.body);
    expect(html).toContain("Enter a real start date, like 2027-03-03");
    expect(html).toContain('value="2026-13-01"');
    expect(html).toContain("Delete 1 event and save");
    expect(html).toContain("Events are kept for 730 days.");
  });

  it("the invitation page: the form, and the expired page", async () => {
    clearRecordedMail();
    await callRoute(invitePage, {
      method: "POST",
      path: "/admin/users/invite",
      cookie: adminCookie,
      form: { email: "new@north.test", role: "leader" },
    });
    const token = /invitations\/(\S+)/.exec(recordedMail().at(-1)!.text)![1]!;
    const valid = await callRoute(invitationPage, { path: `/invitations/${token}`, params: { token } });
    const weak = await callRoute(invitationPage, {
      method: "POST",
      path: `/invitations/${token}`,
      form: { intent: "register", name: "Nia", password: "password", confirm: "password" },
      params: { token },
    });
    const html = render(invitationPage.default, `/invitations/${token}`, valid.body, weak.body);
    expect(html).toContain("Join North partnership on Boardledger");
    expect(html).toContain("most common");
    expect(html).toContain('value="Nia"');
    expect(html).not.toContain('value="password"');

    const gone = await callRoute(invitationPage, { path: "/invitations/1.x", params: { token: "1.x" } });
    expect(render(invitationPage.default, "/invitations/1.x", gone.body)).toContain(
      "This invitation link has expired or has already been used",
    );
  });

  it("the forgot and reset password pages", async () => {
    const sent = await callRoute(forgotPage, {
      method: "POST",
      path: "/forgot-password",
      form: { email: "ben@north.test" },
    });
    expect(render(forgotPage.default, "/forgot-password", null, sent.body)).toContain(
      "If an account exists for that address, we have sent a link",
    );
    const token = /reset-password\/(\S+)/.exec(recordedMail().at(-1)!.text)![1]!;
    const form = await callRoute(resetPage, { path: `/reset-password/${token}`, params: { token } });
    expect(render(resetPage.default, `/reset-password/${token}`, form.body)).toContain(
      "Choose a new password",
    );
    const done = await callRoute(resetPage, {
      method: "POST",
      path: `/reset-password/${token}`,
      form: { password: "fresh lemon orchard", confirm: "fresh lemon orchard" },
      params: { token },
    });
    expect(done.location).toBe("/reset-password/done");
    expect(render(resetDone.default, "/reset-password/done", null)).toContain(
      "Your password has been changed",
    );
    const gone = await callRoute(resetPage, { path: `/reset-password/${token}`, params: { token } });
    expect(render(resetPage.default, `/reset-password/${token}`, gone.body)).toContain(
      "This password reset link has expired or has already been used",
    );
  });

  it("the development mail page, with links to click", async () => {
    const page = await callRoute(devMail, { path: "/dev/mail" });
    const html = render(devMail.default, "/dev/mail", page.body);
    expect(html).toContain("Reset your Boardledger password");
    expect(html).toMatch(/<a class="govuk-link" href="http:\/\/localhost\/reset-password\/[a-z2-7]{52}">/);
  });
});
