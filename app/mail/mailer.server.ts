import { type MailConfig, mailConfig } from "./config.server";
import { notifyTransport } from "./transports/notify.server";
import { smtpTransport } from "./transports/smtp.server";

/*
 * The one mailer module: every email Boardledger sends goes through a transport chosen by
 * MAIL_TRANSPORT (app/mail/config.server.ts checks the settings at start):
 * - "log" (the default) records each message in memory, where tests assert on it and the
 *   dev-only /dev/mail page shows it, and prints a summary to the console;
 * - "smtp" sends through an SMTP server (nodemailer, SMTP_URL);
 * - "notify" sends through the GOV.UK Notify HTTP API.
 *
 * Domain emails (invitations, minutes, reminders) are sent by the job worker through
 * app/mail/deliveries.server.ts, which records each message so that it is never sent twice.
 * Messages carry links, never OFFICIAL-SENSITIVE text.
 */

export interface MailAttachment {
  filename: string;
  /** e.g. "text/calendar; method=REQUEST" for an invitation. */
  contentType: string;
  content: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Attachments such as an invitation's .ics file. */
  attachments?: MailAttachment[];
}

export interface SentMail extends MailMessage {
  sentAt: Date;
  reference?: string;
}

export interface SendOptions {
  /**
   * The same for every try of one message (no personal data in it): SMTP makes it the
   * Message-ID, Notify keeps it as the notification's reference, so a resend is recognisable.
   */
  reference?: string;
  signal?: AbortSignal;
}

export interface SendReceipt {
  /** The provider's id for the message (Notify's notification id, the SMTP Message-ID). */
  providerRef: string | null;
}

export interface MailTransport {
  readonly name: string;
  send(message: MailMessage, options?: SendOptions): Promise<SendReceipt>;
  /**
   * Whether the provider already accepted a message with this reference (only transports
   * whose provider can answer). Lets a re-run after a crash skip a message it had sent.
   */
  findSent?(reference: string, options?: { signal?: AbortSignal }): Promise<SendReceipt | null>;
  /** Closes pooled connections (at shutdown). */
  close?(): void;
}

/**
 * A transport refused or failed a message. `retryable`: trying again later may work (rate
 * limits, outages); otherwise it never will (a bad address, a wrong API key or template).
 */
export class MailSendError extends Error {
  override name = "MailSendError";
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(message: string, options: { retryable: boolean; status?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable;
    this.status = options.status;
  }
}

const globalForMail = globalThis as typeof globalThis & { __boardledgerOutbox?: SentMail[] };

/** Messages the log transport has recorded (newest last). */
export function recordedMail(): SentMail[] {
  globalForMail.__boardledgerOutbox ??= [];
  return globalForMail.__boardledgerOutbox;
}

export function clearRecordedMail(): void {
  recordedMail().length = 0;
}

export const logTransport: MailTransport = {
  name: "log",
  async send(message, options) {
    const outbox = recordedMail();
    outbox.push({ ...message, sentAt: new Date(), reference: options?.reference });
    // Keep the development outbox bounded.
    if (outbox.length > 200) outbox.splice(0, outbox.length - 200);
    if (process.env.NODE_ENV !== "test" && !process.env.VITEST) {
      console.log(`[mail] to ${message.to}: ${message.subject}\n${message.text}\n`);
    }
    return { providerRef: options?.reference ?? null };
  },
};

let override: MailTransport | undefined;
let configured: { config: MailConfig; transport: MailTransport } | undefined;

/** For tests: send through this transport instead of the configured one (undefined: back to it). */
export function setMailTransport(next: MailTransport | undefined): void {
  override = next;
}

function transportFor(config: MailConfig): MailTransport {
  switch (config.transport) {
    case "log":
      return logTransport;
    case "smtp":
      return smtpTransport(config);
    case "notify":
      return notifyTransport(config);
  }
}

/** The transport in use: the test override, else the one MAIL_TRANSPORT configures. */
export function mailTransport(): MailTransport {
  if (override) return override;
  const config = mailConfig();
  if (configured?.config !== config) {
    configured?.transport.close?.();
    configured = { config, transport: transportFor(config) };
  }
  return configured.transport;
}

/** Sends one message now (no queue, no record): for sign-in links, which must not be stored. */
export async function sendMail(message: MailMessage, options?: SendOptions): Promise<SendReceipt> {
  return mailTransport().send(message, options);
}

/** The public base URL for links in emails (APP_URL), else the request's own origin. */
export function appUrl(request?: Request): string {
  if (process.env.APP_URL) return process.env.APP_URL.replace(/\/$/, "");
  if (request) return new URL(request.url).origin;
  return `http://localhost:${process.env.PORT ?? "3000"}`;
}
