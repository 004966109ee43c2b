import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MailSendError, type MailTransport } from "../mailer.server";
import { smtpTransport } from "./smtp.server";

/* A real SMTP conversation with a local server (smtp-server): what arrives, and how refusals are classed. */

const received: { to: string[]; raw: string }[] = [];
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith("gone@")) {
        const error = Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 });
        return callback(error);
      }
      if (address.address.startsWith("later@")) {
        const error = Object.assign(new Error("Greylisted, try again later"), { responseCode: 451 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as AddressInfo).port;
});
const opened: MailTransport[] = [];
afterAll(async () => {
  // Pooled connections stay open until closed, and the server waits for them.
  for (const t of opened) t.close?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function transport(): MailTransport {
  const t = smtpTransport({
    transport: "smtp",
    smtpUrl: `smtp://127.0.0.1:${port}`,
    from: "Boardledger <no-reply@boardledger.example>",
  });
  opened.push(t);
  return t;
}

describe("the SMTP transport", () => {
  it("sends the message with its reference as Message-ID and the invitation as a calendar part", async () => {
    await transport().send(
      {
        to: "ada@north.test",
        subject: "Invitation: LCJB",
        text: "You are invited.",
        attachments: [
          {
            filename: "invitation.ics",
            contentType: "text/calendar; charset=utf-8; method=REQUEST",
            content: "BEGIN:VCALENDAR\r\nEND:VCALENDAR",
          },
        ],
      },
      { reference: "boardledger-job-7-abc" },
    );
    const mail = received.at(-1)!;
    expect(mail.to).toEqual(["ada@north.test"]);
    expect(mail.raw).toContain("Message-ID: <boardledger-job-7-abc@boardledger.example>");
    expect(mail.raw).toContain("Subject: Invitation: LCJB");
    expect(mail.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    expect(mail.raw).toContain("invitation.ics");
  });

  it("classes a 5xx refusal as permanent and a 4xx as worth retrying", async () => {
    const gone = await transport()
      .send({ to: "gone@north.test", subject: "x", text: "x" })
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(MailSendError);
    expect(gone).toMatchObject({ retryable: false, status: 550 });
    const later = await transport()
      .send({ to: "later@north.test", subject: "x", text: "x" })
      .catch((e: unknown) => e);
    expect(later).toMatchObject({ retryable: true, status: 451 });
  });

  it("classes an unreachable server as worth retrying", async () => {
    const unreachable = smtpTransport({
      transport: "smtp",
      smtpUrl: "smtp://127.0.0.1:1",
      from: "x <x@y.example>",
    });
    const failure = await unreachable
      .send({ to: "a@north.test", subject: "x", text: "x" })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: "MailSendError", retryable: true });
  });
});
