import nodemailer from "nodemailer";
import type { MailConfig } from "../config.server";
import { MailSendError, type MailTransport } from "../mailer.server";

/*
 * SMTP through nodemailer (a pooled connection, SMTP_URL). The message's reference becomes
 * its Message-ID, so if a crash leaves a send in doubt and it goes again, mail clients see
 * the same message and most show it once. An invitation's .ics goes as a calendar part
 * (text/calendar with its METHOD) as well as an attachment, which Outlook and Gmail show as
 * a meeting request.
 *
 * Errors: an SMTP 5xx reply (no such mailbox, refused) is permanent; a 4xx reply (greylisted,
 * mailbox full, try later) and a lost or refused connection are worth retrying.
 */

type SmtpConfig = Extract<MailConfig, { transport: "smtp" }>;

const PERMANENT_CODES = new Set(["EAUTH", "EENVELOPE", "EMESSAGE"]);

function classify(error: unknown): MailSendError {
  const e = error as { responseCode?: unknown; code?: unknown; message?: unknown };
  const message = typeof e.message === "string" ? e.message : String(error);
  if (typeof e.responseCode === "number") {
    return new MailSendError(`The SMTP server refused the message (${e.responseCode}): ${message}`, {
      retryable: e.responseCode < 500,
      status: e.responseCode,
      cause: error,
    });
  }
  const permanent = typeof e.code === "string" && PERMANENT_CODES.has(e.code);
  return new MailSendError(`Could not send through the SMTP server: ${message}`, {
    retryable: !permanent,
    cause: error,
  });
}

function domainOf(address: string): string {
  return /@([^>\s]+)>?\s*$/.exec(address)?.[1] ?? "boardledger.invalid";
}

export function smtpTransport(config: SmtpConfig): MailTransport {
  const transporter = nodemailer.createTransport({
    url: config.smtpUrl,
    pool: true,
    maxConnections: 3,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  const domain = domainOf(config.from);
  return {
    name: "smtp",
    async send(message, options) {
      const calendar = message.attachments?.find((a) => a.contentType.startsWith("text/calendar"));
      const others = message.attachments?.filter((a) => a !== calendar) ?? [];
      const method = calendar ? /method=([A-Z]+)/i.exec(calendar.contentType)?.[1]?.toUpperCase() : undefined;
      try {
        const info = await transporter.sendMail({
          from: config.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(options?.reference ? { messageId: `<${options.reference}@${domain}>` } : {}),
          ...(calendar
            ? {
                icalEvent: {
                  filename: calendar.filename,
                  method: method ?? "PUBLISH",
                  content: calendar.content,
                },
              }
            : {}),
          attachments: others.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: a.content,
          })),
        });
        return { providerRef: typeof info.messageId === "string" ? info.messageId : null };
      } catch (error) {
        throw classify(error);
      }
    },
    close() {
      transporter.close();
    },
  };
}
