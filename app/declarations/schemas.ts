import { z } from "zod";

/*
 * Declarations of interest at a meeting: who declared, against which agenda item (or the
 * meeting as a whole), which of their registered interests (if any), and what they said.
 */

const MAX_ID = 2 ** 53 - 1;
export const MAX_DECLARATION_LENGTH = 2000;

export const declarationSchema = z.object({
  intent: z.literal("declare"),
  personId: z
    .number({ error: "Choose who declared an interest" })
    .int()
    .positive()
    .max(MAX_ID, "Choose who declared an interest"),
  agendaItemId: z
    .number({ error: "Choose an agenda item from the list" })
    .int()
    .positive()
    .max(MAX_ID)
    .optional(),
  interestId: z.number({ error: "Choose an interest from the list" }).int().positive().max(MAX_ID).optional(),
  text: z
    .string({ error: "Enter what was declared" })
    .trim()
    .min(1, "Enter what was declared")
    .max(MAX_DECLARATION_LENGTH, `Enter ${MAX_DECLARATION_LENGTH} characters or fewer`),
});
export type DeclarationInput = z.output<typeof declarationSchema>;

export const removeDeclarationSchema = z.object({
  intent: z.literal("remove"),
  declarationId: z.number().int().positive().max(MAX_ID),
});
