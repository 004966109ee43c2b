import { z } from "zod";

/*
 * Attendee feedback on a held meeting: "Was this meeting a good use of your time?", 1 to 5,
 * with an optional comment. Shared by the form and its action.
 */

export const FEEDBACK_QUESTION = "Was this meeting a good use of your time?";

export const FEEDBACK_SCORE_LABELS: Record<"1" | "2" | "3" | "4" | "5", string> = {
  "1": "1 – Not at all",
  "2": "2 – Not really",
  "3": "3 – Partly",
  "4": "4 – Mostly",
  "5": "5 – Yes, entirely",
};

const CHOOSE = "Choose how good a use of your time the meeting was, from 1 to 5";

export const feedbackSchema = z.object({
  score: z.enum(["1", "2", "3", "4", "5"], { error: CHOOSE }).transform(Number),
  comment: z
    .string()
    .trim()
    .max(2000, "The comment must be 2,000 characters or fewer")
    .optional()
    .transform((v) => (v ? v : null)),
});

export type FeedbackInput = z.output<typeof feedbackSchema>;
