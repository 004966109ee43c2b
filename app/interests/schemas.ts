import { z } from "zod";
import { parseIsoDate } from "~/admin/schemas";

/*
 * A person's register of interests: each interest is kept once, against the person, and
 * shown on every board they sit on. An interest is ended (it stays on record) or, when it
 * was entered by mistake, removed.
 */

const MAX_ID = 2 ** 53 - 1;
export const MAX_INTEREST_LENGTH = 500;

function isoDate(invalidMessage: string, emptyMessage: string) {
  return z
    .string({ error: emptyMessage })
    .trim()
    .max(20, invalidMessage)
    .transform((text, ctx) => {
      const date = parseIsoDate(text);
      if (!date) {
        ctx.addIssue({ code: "custom", message: invalidMessage });
        return z.NEVER;
      }
      return date;
    });
}

export const addInterestSchema = z.object({
  intent: z.literal("add"),
  description: z
    .string({ error: "Enter the interest" })
    .trim()
    .min(1, "Enter the interest")
    .max(MAX_INTEREST_LENGTH, `Enter ${MAX_INTEREST_LENGTH} characters or fewer`),
  declaredOn: isoDate("The date declared must be a real date, like 1/4/2026", "Enter the date declared"),
});
export type AddInterestInput = z.output<typeof addInterestSchema>;

export const endInterestSchema = z.object({
  intent: z.literal("end"),
  interestId: z.number({ error: "Choose an interest" }).int().positive().max(MAX_ID, "Choose an interest"),
  endedOn: isoDate("The end date must be a real date, like 1/4/2026", "Enter the date the interest ended"),
});
export type EndInterestInput = z.output<typeof endInterestSchema>;

export const removeInterestSchema = z.object({
  intent: z.literal("remove"),
  interestId: z.number().int().positive().max(MAX_ID),
});
