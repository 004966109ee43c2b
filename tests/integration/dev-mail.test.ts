import { afterEach, describe, expect, it } from "vitest";
import { clearRecordedMail, sendMail } from "~/mail/mailer.server";
import * as devMail from "~/routes/dev.mail";
import { callRoute } from "../routes";

const environment = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = environment;
  clearRecordedMail();
});

describe("/dev/mail", () => {
  it("lists the recorded mail, newest first", async () => {
    await sendMail({ to: "a@north.test", subject: "First", text: "one" });
    await sendMail({ to: "b@north.test", subject: "Second", text: "two http://localhost/invitations/1.abc" });
    const page = await callRoute(devMail, { path: "/dev/mail" });
    expect(page.status).toBe(200);
    const { messages } = page.body as Awaited<ReturnType<typeof devMail.loader>>;
    expect(messages.map((m) => m.subject)).toEqual(["Second", "First"]);
    expect(messages[0]).toMatchObject({ to: "b@north.test", text: "two http://localhost/invitations/1.abc" });
  });

  it("does not exist in production", async () => {
    await sendMail({ to: "a@north.test", subject: "Secret link", text: "http://localhost/reset-password/x" });
    process.env.NODE_ENV = "production";
    const page = await callRoute(devMail, { path: "/dev/mail" });
    expect(page.status).toBe(404);
    expect(JSON.stringify(page.body)).not.toContain("Secret link");
  });
});
