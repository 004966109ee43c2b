import { z } from "zod";
import type { Rag } from "../../db/schema";
import type { TagColour } from "../components/tag";

/*
 * A board's plan, client-safe: the period rules, the words and colours for an objective's
 * RAG, and the zod schemas shared by the plan pages' forms and their actions.
 */

export const OBJECTIVE_RAGS = ["red", "amber", "green"] as const satisfies readonly Rag[];

export const OBJECTIVE_RAG_LABELS: Record<Rag, string> = { red: "Red", amber: "Amber", green: "Green" };
export const OBJECTIVE_RAG_COLOURS: Record<Rag, TagColour> = { red: "red", amber: "orange", green: "green" };

/** The RAG choices of an objective's form, "not assessed" (no RAG) last. */
export const RAG_OPTIONS = [
  ...OBJECTIVE_RAGS.map((rag) => ({ value: rag, label: OBJECTIVE_RAG_LABELS[rag] })),
  { value: "", label: "Not assessed" },
];

/**
 * A plan's period is a financial year, "2026/27": 1 April 2026 to 31 March 2027, as the
 * partnerships' plans (and their funding) run.
 */
export function periodBounds(period: string): { startsOn: string; endsOn: string } {
  const year = Number(period.slice(0, 4));
  return { startsOn: `${year}-04-01`, endsOn: `${year + 1}-03-31` };
}

/** "2026/27" → "2027/28". */
export function nextPeriod(period: string): string {
  const year = Number(period.slice(0, 4)) + 1;
  return `${year}/${String((year + 1) % 100).padStart(2, "0")}`;
}

/** The financial year a "YYYY-MM-DD" date falls in: "2026/27" from 1 April 2026 to 31 March 2027. */
export function periodOf(date: string): string {
  const year = Number(date.slice(0, 4)) - (date.slice(5) < "04-01" ? 1 : 0);
  return `${year}/${String((year + 1) % 100).padStart(2, "0")}`;
}

/** Whether "2026/27" names one financial year (the second part follows the first). */
export function isPeriod(value: string): boolean {
  const match = /^(\d{4})\/(\d{2})$/.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  return year >= 2000 && year <= 2098 && Number(match[2]) === (year + 1) % 100;
}

export const MAX_PLAN_TITLE = 300;
export const MAX_OBJECTIVE_TEXT = 1_000;

const MAX_ID = 2 ** 53 - 1;
const id = (message: string) =>
  z.number({ error: message }).int(message).positive(message).max(MAX_ID, message);

const title = (what: string) =>
  z
    .string({ error: `Enter the ${what}’s title` })
    .trim()
    .min(1, `Enter the ${what}’s title`)
    .max(MAX_PLAN_TITLE, `Enter a title of ${MAX_PLAN_TITLE} characters or fewer`);

const text = (label: string) =>
  z
    .string()
    .trim()
    .max(
      MAX_OBJECTIVE_TEXT,
      `Enter ${label} of ${MAX_OBJECTIVE_TEXT.toLocaleString("en-GB")} characters or fewer`,
    )
    .optional();

/** A new plan: its period (the dates follow from it) and title. */
export const newPlanSchema = z.object({
  period: z
    .string({ error: "Enter the plan’s period, like 2026/27" })
    .trim()
    .refine(isPeriod, "Enter the period as a financial year, like 2026/27"),
  title: title("plan"),
});
export type NewPlanInput = z.output<typeof newPlanSchema>;

export const prioritySchema = z.object({ title: title("priority") });
export type PriorityInput = z.output<typeof prioritySchema>;

/** Renaming one of the plan's priorities, or removing it (no title then). */
export const priorityChangeSchema = prioritySchema.extend({
  priorityId: id("Choose a priority of this plan"),
});
export const priorityRemovalSchema = z.object({ priorityId: id("Choose a priority of this plan") });

/** An objective's fields, as the add and edit forms send them. */
export const objectiveSchema = z.object({
  title: title("objective"),
  measure: text("a measure"),
  target: text("a target"),
  current_value: text("a current value"),
  rag: z.enum(OBJECTIVE_RAGS, { error: "Select red, amber, green or not assessed" }).optional(),
  owner_agency: id("Select an agency from the list").optional(),
});
export type ObjectiveInput = z.output<typeof objectiveSchema>;

/** Editing an objective: the version it was opened on, so a change made meanwhile is not overwritten. */
export const objectiveEditSchema = objectiveSchema.extend({
  version: z
    .number({ error: "Reload the page and try again" })
    .int("Reload the page and try again")
    .positive("Reload the page and try again"),
});
export type ObjectiveEditInput = z.output<typeof objectiveEditSchema>;

/** What a refused stale edit says. */
export const STALE_OBJECTIVE_MESSAGE =
  "Someone else changed this objective after you opened it, so your changes have not been saved. " +
  "They are still in the form below, beside what is saved now: check them, then save again.";

/** Adding an objective on the plan page names its priority. */
export const newObjectiveSchema = objectiveSchema.extend({
  priority: id("Select the priority the objective serves"),
});
export type NewObjectiveInput = z.output<typeof newObjectiveSchema>;

/** Linking an action to an objective (from the objective's page). */
export const linkActionSchema = z.object({ actionId: id("Select an action from the list") });

/** Linking an objective to an action (from the action's side). */
export const linkObjectiveSchema = z.object({ objectiveId: id("Select an objective from the list") });

/** The share of done actions that were done on time, as a whole percentage; null when none is done. */
export function onTimePercent(progress: { done: number; doneOnTime: number }): number | null {
  return progress.done === 0 ? null : Math.round((100 * progress.doneOnTime) / progress.done);
}
