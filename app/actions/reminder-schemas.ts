import { z } from "zod";
import type { ReminderFrequency } from "../../db/schema";

/** The reminder preference form (account page), shared by the page and its action. */

export const REMINDER_FREQUENCY_LABELS: Record<ReminderFrequency, string> = {
  each: "An email for each reminder",
  weekly: "One summary on Monday mornings",
};

export const reminderFrequencySchema = z.object({
  frequency: z.enum(["each", "weekly"], { error: "Choose how you want to be reminded about your actions" }),
});
