import { z } from "zod";

/*
 * Mail settings from the environment, checked with zod. `checkMailConfig()` runs when the
 * server or a worker starts, so a missing or malformed setting stops the start with a clear
 * message instead of failing the first email hours later.
 */

const NOTIFY_API = "https://api.notifications.service.gov.uk";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/** A Notify API key is "<key name>-<service id>-<secret>", the last two UUIDs. */
const NOTIFY_KEY = new RegExp(`^[A-Za-z0-9_-]*?-?(${UUID})-(${UUID})$`);
const uuid = (message: string) => z.string({ error: message }).regex(new RegExp(`^${UUID}$`), message);

const blankAsUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUndefined, schema.optional());

const environment = z.discriminatedUnion("MAIL_TRANSPORT", [
  z.object({ MAIL_TRANSPORT: z.literal("log") }),
  z.object({
    MAIL_TRANSPORT: z.literal("smtp"),
    SMTP_URL: z
      .string({ error: "SMTP_URL is required when MAIL_TRANSPORT=smtp" })
      .regex(/^smtps?:\/\/[^\s]+$/, "SMTP_URL must look like smtp://user:password@host:587 or smtps://…"),
    MAIL_FROM: z
      .string({ error: "MAIL_FROM is required when MAIL_TRANSPORT=smtp" })
      .min(3, "MAIL_FROM must be an address, e.g. Boardledger <no-reply@example.gov.uk>")
      .regex(/@/, "MAIL_FROM must contain an email address"),
  }),
  z.object({
    MAIL_TRANSPORT: z.literal("notify"),
    NOTIFY_API_KEY: z
      .string({ error: "NOTIFY_API_KEY is required when MAIL_TRANSPORT=notify" })
      .regex(NOTIFY_KEY, "NOTIFY_API_KEY must be a GOV.UK Notify API key (name, service id, secret)"),
    NOTIFY_TEMPLATE_ID: uuid("NOTIFY_TEMPLATE_ID must be the id of the Notify email template (a UUID)"),
    NOTIFY_REPLY_TO_ID: optional(
      uuid("NOTIFY_REPLY_TO_ID must be the id of a Notify reply-to address (a UUID)"),
    ),
    NOTIFY_BASE_URL: optional(z.string().regex(/^https?:\/\/[^\s]+$/, "NOTIFY_BASE_URL must be a URL")),
  }),
]);

export type MailConfig =
  | { transport: "log" }
  | { transport: "smtp"; smtpUrl: string; from: string }
  | {
      transport: "notify";
      serviceId: string;
      secret: string;
      templateId: string;
      replyToId: string | undefined;
      baseUrl: string;
    };

export class MailConfigError extends Error {
  override name = "MailConfigError";
}

const KEYS = [
  "MAIL_TRANSPORT",
  "SMTP_URL",
  "MAIL_FROM",
  "NOTIFY_API_KEY",
  "NOTIFY_TEMPLATE_ID",
  "NOTIFY_REPLY_TO_ID",
  "NOTIFY_BASE_URL",
] as const;

let cached: { key: string; config: MailConfig } | undefined;

/** The mail settings now in the environment; throws MailConfigError naming what is wrong. */
export function mailConfig(env: NodeJS.ProcessEnv = process.env): MailConfig {
  const key = KEYS.map((name) => env[name] ?? "").join("\u0000");
  if (cached?.key === key) return cached.config;
  const parsed = environment.safeParse({
    ...Object.fromEntries(KEYS.map((name) => [name, env[name]])),
    MAIL_TRANSPORT: blankAsUndefined(env.MAIL_TRANSPORT) ?? "log",
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.path[0] === "MAIL_TRANSPORT"
        ? `MAIL_TRANSPORT must be one of log, smtp or notify (it is "${env.MAIL_TRANSPORT}")`
        : issue.message,
    );
    throw new MailConfigError(`The mail settings are not valid:\n- ${problems.join("\n- ")}`);
  }
  const config = toConfig(parsed.data);
  cached = { key, config };
  return config;
}

function toConfig(env: z.infer<typeof environment>): MailConfig {
  switch (env.MAIL_TRANSPORT) {
    case "log":
      return { transport: "log" };
    case "smtp":
      return { transport: "smtp", smtpUrl: env.SMTP_URL, from: env.MAIL_FROM };
    case "notify": {
      const [, serviceId, secret] = NOTIFY_KEY.exec(env.NOTIFY_API_KEY) ?? [];
      return {
        transport: "notify",
        serviceId: serviceId ?? "",
        secret: secret ?? "",
        templateId: env.NOTIFY_TEMPLATE_ID,
        replyToId: env.NOTIFY_REPLY_TO_ID,
        baseUrl: (env.NOTIFY_BASE_URL ?? NOTIFY_API).replace(/\/$/, ""),
      };
    }
  }
}

/** Checks the settings at start: throws with every problem listed, or returns the transport's name. */
export function checkMailConfig(env: NodeJS.ProcessEnv = process.env): MailConfig["transport"] {
  const config = mailConfig(env);
  if (config.transport === "log" && env.NODE_ENV === "production") {
    console.warn("MAIL_TRANSPORT is log: email is only printed to the log, not sent.");
  }
  return config.transport;
}
