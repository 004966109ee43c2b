import { describe, expect, it } from "vitest";
import { checkMailConfig, MailConfigError, mailConfig } from "./config.server";

const KEY = "live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
const TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a";

describe("mail settings", () => {
  it("default to the log transport", () => {
    expect(mailConfig({})).toEqual({ transport: "log" });
    expect(checkMailConfig({ MAIL_TRANSPORT: "" })).toBe("log");
  });

  it("split a Notify API key into its service id and secret", () => {
    expect(
      mailConfig({ MAIL_TRANSPORT: "notify", NOTIFY_API_KEY: KEY, NOTIFY_TEMPLATE_ID: TEMPLATE }),
    ).toEqual({
      transport: "notify",
      serviceId: "26785a09-ab16-4eb0-8407-a37497a57506",
      secret: "3d844edf-8d35-48ac-975b-e847b4f122b0",
      templateId: TEMPLATE,
      replyToId: undefined,
      baseUrl: "https://api.notifications.service.gov.uk",
    });
  });

  it("stop the start with every problem named", () => {
    expect(() => checkMailConfig({ MAIL_TRANSPORT: "smtp" })).toThrow(MailConfigError);
    expect(() => checkMailConfig({ MAIL_TRANSPORT: "smtp" })).toThrow(
      /SMTP_URL is required[\s\S]*MAIL_FROM is required/,
    );
    expect(() => checkMailConfig({ MAIL_TRANSPORT: "notify", NOTIFY_API_KEY: "not-a-key" })).toThrow(
      /NOTIFY_API_KEY must be a GOV.UK Notify API key[\s\S]*NOTIFY_TEMPLATE_ID/,
    );
    expect(() => checkMailConfig({ MAIL_TRANSPORT: "carrier-pigeon" })).toThrow(
      'MAIL_TRANSPORT must be one of log, smtp or notify (it is "carrier-pigeon")',
    );
  });

  it("accept an SMTP server with a sender", () => {
    expect(
      mailConfig({
        MAIL_TRANSPORT: "smtp",
        SMTP_URL: "smtp://user:pw@mail.example:587",
        MAIL_FROM: "Boardledger <no-reply@example.gov.uk>",
      }),
    ).toEqual({
      transport: "smtp",
      smtpUrl: "smtp://user:pw@mail.example:587",
      from: "Boardledger <no-reply@example.gov.uk>",
    });
  });
});
