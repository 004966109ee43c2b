import { SignJWT } from "jose";
import type { MailConfig } from "../config.server";
import { MailSendError, type MailTransport, type SendReceipt } from "../mailer.server";

/*
 * GOV.UK Notify's HTTP API (https://docs.notifications.service.gov.uk/rest-api.html).
 *
 * - Authentication: every request carries a fresh JWT (HS256) signed with the API key's
 *   secret, `iss` the service id and `iat` now; Notify refuses one more than 30 seconds old.
 * - Sending: POST /v2/notifications/email with one general template whose subject is
 *   ((subject)) and body ((body)) (docs/operating.md), and our reference, so a message
 *   whose fate is unknown after a crash can be looked up (GET /v2/notifications?reference=)
 *   instead of being sent again.
 * - Errors: 400 (bad request: a bad address, trial-mode recipient, missing personalisation)
 *   and 403 (bad key, clock skew) are permanent; 429 (rate or daily limit) and 5xx are worth
 *   retrying, as is a network failure or a timeout.
 * - Notify has no attachments (its "send a file" is a download link for a few file types,
 *   not calendars), so an invitation's text carries a link to its .ics file instead.
 */

type NotifyConfig = Extract<MailConfig, { transport: "notify" }>;

const TIMEOUT_MS = 15_000;

interface NotifyError {
  status_code?: number;
  errors?: { error?: string; message?: string }[];
}

async function bearer(config: NotifyConfig): Promise<string> {
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(config.serviceId)
    .setIssuedAt()
    .sign(new TextEncoder().encode(config.secret));
  return `Bearer ${token}`;
}

function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

async function failure(response: Response, what: string): Promise<MailSendError> {
  let detail = "";
  try {
    const body = (await response.json()) as NotifyError;
    detail = (body.errors ?? []).map((e) => `${e.error ?? "Error"}: ${e.message ?? ""}`).join("; ");
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  return new MailSendError(
    `GOV.UK Notify refused to ${what} (${response.status}${detail ? `: ${detail}` : ""})`,
    {
      retryable: isRetryable(response.status),
      status: response.status,
    },
  );
}

async function call(
  config: NotifyConfig,
  path: string,
  init: { method: "GET" | "POST"; body?: unknown; signal?: AbortSignal },
  what: string,
): Promise<Response> {
  const signal = init.signal
    ? AbortSignal.any([init.signal, AbortSignal.timeout(TIMEOUT_MS)])
    : AbortSignal.timeout(TIMEOUT_MS);
  try {
    return await fetch(`${config.baseUrl}${path}`, {
      method: init.method,
      headers: {
        Authorization: await bearer(config),
        "Content-Type": "application/json",
        "User-Agent": "boardledger",
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal,
    });
  } catch (error) {
    throw new MailSendError(
      `Could not reach GOV.UK Notify to ${what}: ${error instanceof Error ? error.message : String(error)}`,
      {
        retryable: true,
        cause: error,
      },
    );
  }
}

export function notifyTransport(config: NotifyConfig): MailTransport {
  return {
    name: "notify",
    async send(message, options) {
      const response = await call(
        config,
        "/v2/notifications/email",
        {
          method: "POST",
          signal: options?.signal,
          body: {
            email_address: message.to,
            template_id: config.templateId,
            personalisation: { subject: message.subject, body: message.text },
            ...(options?.reference ? { reference: options.reference } : {}),
            ...(config.replyToId ? { email_reply_to_id: config.replyToId } : {}),
          },
        },
        "send an email",
      );
      if (!response.ok) throw await failure(response, "send an email");
      const body = (await response.json()) as { id?: string };
      return { providerRef: body.id ?? null };
    },

    async findSent(reference, options): Promise<SendReceipt | null> {
      const query = new URLSearchParams({ reference, template_type: "email" });
      const response = await call(
        config,
        `/v2/notifications?${query}`,
        { method: "GET", signal: options?.signal },
        "look up an email",
      );
      if (!response.ok) throw await failure(response, "look up an email");
      const body = (await response.json()) as { notifications?: { id: string; reference?: string | null }[] };
      const found = (body.notifications ?? []).find((n) => n.reference === reference);
      return found ? { providerRef: found.id } : null;
    },
  };
}
