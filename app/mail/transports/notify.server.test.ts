import { jwtVerify } from "jose";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { server } from "../../../tests/mocks/server";
import { mailConfig } from "../config.server";
import { MailSendError } from "../mailer.server";
import { notifyTransport } from "./notify.server";

const SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506";
const SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0";
const TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a";
const API = "https://api.notifications.service.gov.uk";

const config = mailConfig({
  MAIL_TRANSPORT: "notify",
  NOTIFY_API_KEY: `boardledger_live-${SERVICE_ID}-${SECRET}`,
  NOTIFY_TEMPLATE_ID: TEMPLATE_ID,
});
if (config.transport !== "notify") throw new Error("expected the notify settings");
const transport = notifyTransport(config);
const message = {
  to: "ada@north.test",
  subject: "Minutes published",
  text: "Read them: https://example.test/m/1",
};

function notifyError(status: number, error: string, text: string) {
  return HttpResponse.json({ status_code: status, errors: [{ error, message: text }] }, { status });
}

async function refusal(status: number, error: string, text: string): Promise<MailSendError> {
  server.use(http.post(`${API}/v2/notifications/email`, () => notifyError(status, error, text)));
  const failure = await transport.send(message, { reference: "ref-1" }).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(MailSendError);
  return failure as MailSendError;
}

describe("the GOV.UK Notify transport", () => {
  it("sends with the template, personalisation, reference and a JWT signed with the key's secret", async () => {
    let seen: { body: unknown; auth: string | null } | undefined;
    server.use(
      http.post(`${API}/v2/notifications/email`, async ({ request }) => {
        seen = { body: await request.json(), auth: request.headers.get("Authorization") };
        return HttpResponse.json(
          { id: "740e5834-3a29-46b4-9a6f-16142fde533a", reference: "ref-1" },
          { status: 201 },
        );
      }),
    );
    const receipt = await transport.send(message, { reference: "ref-1" });
    expect(receipt.providerRef).toBe("740e5834-3a29-46b4-9a6f-16142fde533a");
    expect(seen?.body).toEqual({
      email_address: "ada@north.test",
      template_id: TEMPLATE_ID,
      personalisation: { subject: "Minutes published", body: "Read them: https://example.test/m/1" },
      reference: "ref-1",
    });
    const token = seen?.auth?.replace(/^Bearer /, "") ?? "";
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET));
    expect(protectedHeader).toMatchObject({ alg: "HS256", typ: "JWT" });
    expect(payload.iss).toBe(SERVICE_ID);
    expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(30);
  });

  it("treats 400 (bad request) and 403 (bad key or clock) as permanent", async () => {
    const bad = await refusal(
      400,
      "BadRequestError",
      "Can't send to this recipient using a team-only API key",
    );
    expect(bad).toMatchObject({ retryable: false, status: 400 });
    expect(bad.message).toContain("team-only API key");
    const auth = await refusal(403, "AuthError", "Invalid token: API key not found");
    expect(auth).toMatchObject({ retryable: false, status: 403 });
  });

  it("treats 429 (rate or daily limit) and 500 as worth retrying", async () => {
    expect(
      await refusal(
        429,
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
      ),
    ).toMatchObject({
      retryable: true,
      status: 429,
    });
    expect(await refusal(500, "Exception", "Internal server error")).toMatchObject({
      retryable: true,
      status: 500,
    });
  });

  it("treats a network failure as worth retrying", async () => {
    server.use(http.post(`${API}/v2/notifications/email`, () => HttpResponse.error()));
    const failure = await transport.send(message).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: "MailSendError", retryable: true });
  });

  it("finds a message it already sent by its reference", async () => {
    server.use(
      http.get(`${API}/v2/notifications`, ({ request }) => {
        const reference = new URL(request.url).searchParams.get("reference");
        return HttpResponse.json({
          notifications:
            reference === "sent-ref" ? [{ id: "n-1", reference: "sent-ref", status: "delivered" }] : [],
          links: {},
        });
      }),
    );
    expect(await transport.findSent?.("sent-ref")).toEqual({ providerRef: "n-1" });
    expect(await transport.findSent?.("other-ref")).toBeNull();
  });
});
