import { z } from "zod";
import { isIsoDate } from "./date-range";

// Schemas for the audit trail page: the filter (a GET form) and the retention setting.

const isoDate = (message: string) => z.string().trim().refine(isIsoDate, message).optional();

export const auditFilterSchema = z
  .object({
    event: z
      .string()
      .trim()
      .max(100, "Enter an event name of 100 characters or fewer")
      .regex(
        /^[a-z0-9_.-]+$/i,
        "Enter an event name using letters, numbers, dots and underscores, like role.granted",
      )
      .optional(),
    entityType: z
      .string()
      .trim()
      .max(100, "Enter a record type of 100 characters or fewer")
      .regex(/^[a-z0-9_.-]+$/i, "Enter a record type using letters, numbers and underscores, like user")
      .optional(),
    actor: z
      .number({ error: "Select a person from the list" })
      .int()
      .positive()
      .max(2 ** 53 - 1)
      .optional(),
    from: isoDate("Enter a real start date, like 2027-03-03"),
    to: isoDate("Enter a real end date, like 2027-03-31"),
  })
  .superRefine((value, ctx) => {
    if (value.from && value.to && value.to < value.from) {
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: "The end date must be the same as or after the start date",
      });
    }
  });
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const MIN_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 36_500;
const retentionMessage = "Enter a number of days between 30 and 36,500";

export const retentionSchema = z.object({
  intent: z.literal("retention"),
  days: z
    .number({ error: "Enter the number of days to keep audit events" })
    .int("Enter a whole number of days")
    .min(MIN_RETENTION_DAYS, retentionMessage)
    .max(MAX_RETENTION_DAYS, retentionMessage),
  /** "yes" once the admin has confirmed that older events will be deleted. */
  confirm: z.literal("yes").optional(),
});
