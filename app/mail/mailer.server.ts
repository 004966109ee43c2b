/*
 * The one mailer module: every email Boardledger sends goes through `sendMail`.
 * Transports are chosen by MAIL_TRANSPORT: "log" (the default outside production) records
 * each message in memory, where tests assert on it and the dev-only /dev/mail page shows
 * it, and prints a summary to the console. SMTP and GOV.UK Notify transports, and the
 * Postgres-backed queue that retries and never sends twice, arrive with the minutes work.
 *
 * Messages carry links, never OFFICIAL-SENSITIVE text.
 */

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Attachments such as an invitation's .ics file. */
  attachments?: { filename: string; contentType: string; content: string }[];
}

export interface SentMail extends MailMessage {
  sentAt: Date;
}

export interface MailTransport {
  send(message: MailMessage): Promise<void>;
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
  async send(message) {
    const outbox = recordedMail();
    outbox.push({ ...message, sentAt: new Date() });
    // Keep the development outbox bounded.
    if (outbox.length > 200) outbox.splice(0, outbox.length - 200);
    if (process.env.NODE_ENV !== "test" && !process.env.VITEST) {
      console.log(`[mail] to ${message.to}: ${message.subject}\n${message.text}\n`);
    }
  },
};

let transport: MailTransport | undefined;

export function setMailTransport(next: MailTransport | undefined): void {
  transport = next;
}

function currentTransport(): MailTransport {
  if (transport) return transport;
  const chosen = process.env.MAIL_TRANSPORT ?? "log";
  if (chosen !== "log") {
    throw new Error(`MAIL_TRANSPORT=${chosen} is not available yet; use "log"`);
  }
  return logTransport;
}

export async function sendMail(message: MailMessage): Promise<void> {
  await currentTransport().send(message);
}

/** The public base URL for links in emails (APP_URL), else the request's own origin. */
export function appUrl(request?: Request): string {
  if (process.env.APP_URL) return process.env.APP_URL.replace(/\/$/, "");
  if (request) return new URL(request.url).origin;
  return `http://localhost:${process.env.PORT ?? "3000"}`;
}
