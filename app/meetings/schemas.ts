import { z } from "zod";
import type { AgendaPurpose, Classification, MeetingFormat } from "../../db/schema";
import { parseIsoDate, penceToPoundsInput, poundsToPence } from "../admin/schemas";

/*
 * Form schemas for scheduling, editing and cancelling meetings, shared by the page
 * (constraints) and the action (validation). Money is typed in pounds and held as pence.
 */

export const MEETING_FORMATS = ["in_person", "virtual", "hybrid"] as const satisfies readonly MeetingFormat[];
export const REPEATS = ["none", "monthly", "weekly"] as const;
export type Repeat = (typeof REPEATS)[number];

export const MAX_MEETING_MONEY_PENCE = 10_000_000; // £100,000

export const AGENDA_PURPOSE_LABELS: Record<AgendaPurpose, string> = {
  decision: "Decision",
  discussion: "Discussion",
  information: "Information",
};

export const CLASSIFICATION_LABELS: Record<Classification, string> = {
  official: "OFFICIAL",
  official_sensitive: "OFFICIAL-SENSITIVE",
};

export { penceToPoundsInput };

const dateField = (label: string) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .max(20, `Enter a real ${label}, like 3 March 2027`)
    .transform((text, ctx) => {
      const date = parseIsoDate(text);
      if (!date) {
        ctx.addIssue({ code: "custom", message: `Enter a real ${label}, like 3 March 2027` });
        return z.NEVER;
      }
      return date;
    });

const timeField = z
  .string({ error: "Enter the start time" })
  .trim()
  .transform((text, ctx) => {
    const match = /^(\d{1,2})[:.](\d{2})$/.exec(text);
    if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) {
      ctx.addIssue({ code: "custom", message: "Enter a real start time, like 10:00 or 14:30" });
      return z.NEVER;
    }
    return `${match[1]!.padStart(2, "0")}:${match[2]}`;
  });

const durationField = z
  .string({ error: "Enter how long the meeting lasts, in minutes" })
  .trim()
  .transform((text, ctx) => {
    if (!/^\d{1,5}$/.test(text)) {
      ctx.addIssue({ code: "custom", message: "Enter the length as a whole number of minutes" });
      return z.NEVER;
    }
    const minutes = Number(text);
    if (minutes < 5 || minutes > 720) {
      ctx.addIssue({ code: "custom", message: "The length must be between 5 and 720 minutes" });
      return z.NEVER;
    }
    return minutes;
  });

/** An amount in pounds between £0 and £100,000; empty means £0. */
const moneyField = (label: string) =>
  z
    .string()
    .trim()
    .max(40, `Enter the ${label} in pounds, like 250 or 250.00`)
    .optional()
    .transform((text, ctx) => {
      if (!text) return 0;
      if (/^-|^£\s*-/.test(text)) {
        ctx.addIssue({ code: "custom", message: `The ${label} must be £0 or more` });
        return z.NEVER;
      }
      const pence = poundsToPence(text);
      if (pence === null) {
        ctx.addIssue({ code: "custom", message: `Enter the ${label} in pounds, like 250 or 250.00` });
        return z.NEVER;
      }
      if (pence > MAX_MEETING_MONEY_PENCE) {
        ctx.addIssue({ code: "custom", message: `The ${label} must be £100,000 or less` });
        return z.NEVER;
      }
      return pence;
    });

const meetingFields = {
  date: dateField("date"),
  start_time: timeField,
  duration_minutes: durationField,
  format: z.enum(MEETING_FORMATS, { error: "Choose whether the meeting is in person, virtual or hybrid" }),
  location: z
    .string()
    .trim()
    .max(500, "The location must be 500 characters or fewer")
    .optional()
    .transform((v) => v ?? ""),
  venue_cost: moneyField("venue cost"),
  catering_cost: moneyField("catering cost"),
};

/** Location is required in person and hybrid: checked even when other fields were refused. */
function hasLocation(value: { format?: unknown; location?: unknown }): boolean {
  return (
    !(value.format === "in_person" || value.format === "hybrid") ||
    (typeof value.location === "string" && value.location.trim() !== "")
  );
}

const locationRule = () => ({
  path: ["location"],
  message: "Enter where the meeting is held (required for in person and hybrid meetings)",
  when: () => true,
});

export const meetingSchema = z.object(meetingFields).refine(hasLocation, locationRule());

export const scheduleSchema = z
  .object({
    ...meetingFields,
    repeat: z.enum(REPEATS).default("none"),
    interval: z
      .string()
      .trim()
      .optional()
      .transform((text, ctx) => {
        if (!text) return 1;
        if (!/^\d{1,2}$/.test(text) || Number(text) < 1 || Number(text) > 12) {
          ctx.addIssue({ code: "custom", message: "Enter how often it repeats as a number from 1 to 12" });
          return z.NEVER;
        }
        return Number(text);
      }),
    count: z
      .string()
      .trim()
      .optional()
      .transform((text, ctx) => {
        if (!text) return null;
        if (!/^\d{1,3}$/.test(text) || Number(text) < 2 || Number(text) > 36) {
          ctx.addIssue({ code: "custom", message: "The number of meetings must be between 2 and 36" });
          return z.NEVER;
        }
        return Number(text);
      }),
    until: z
      .string()
      .trim()
      .optional()
      .transform((text, ctx) => {
        if (!text) return null;
        const date = parseIsoDate(text);
        if (!date) {
          ctx.addIssue({ code: "custom", message: "Enter a real end date, like 3 March 2028" });
          return z.NEVER;
        }
        return date;
      }),
  })
  .refine(hasLocation, locationRule())
  .superRefine((value, ctx) => {
    if (value.repeat === "none") return;
    if (value.count === null && value.until === null) {
      ctx.addIssue({
        code: "custom",
        path: ["count"],
        message: "Enter how many meetings to schedule, or the date the series ends",
      });
    }
    if (value.until !== null && value.until < value.date) {
      ctx.addIssue({
        code: "custom",
        path: ["until"],
        message: "The end date must be after the first meeting",
      });
    }
  });

export type ScheduleInput = z.output<typeof scheduleSchema>;
export type MeetingInput = z.output<typeof meetingSchema>;

export const cancelSchema = z.object({
  reason: z
    .string({ error: "Enter why the meeting is cancelled" })
    .trim()
    .min(1, "Enter why the meeting is cancelled")
    .max(500, "The reason must be 500 characters or fewer"),
});

/** The meetings list's filters, by their names in the URL (app/meetings/meetings-list.server.ts). */
export const MEETING_FILTERS = [
  "when",
  "board",
  "from",
  "to",
  "status",
  "verdict",
  "type",
  "agency",
] as const;
