import { z } from "zod";
import type { AttendanceMode, AttendanceStatus } from "../../db/schema";

/*
 * The attendance register's form: one form for the whole register, a row per person
 * (Conform array fields `rows[0].status`, …). The schema is built for one meeting, since
 * "minutes present" is bounded by its length and a deputy must be someone else in the
 * workspace; the page builds the same schema for its constraints.
 */

export const ATTENDANCE_STATUSES = [
  "invited",
  "attended",
  "apologies",
  "absent",
  "deputy",
] as const satisfies readonly AttendanceStatus[];
export const ATTENDANCE_STATUS_LABELS: Record<AttendanceStatus, string> = {
  invited: "Invited",
  attended: "Attended",
  apologies: "Apologies",
  absent: "Absent",
  deputy: "Deputy sent",
};
export const ATTENDANCE_MODES = ["in_person", "remote"] as const satisfies readonly AttendanceMode[];
export const ATTENDANCE_MODE_LABELS: Record<AttendanceMode, string> = {
  in_person: "In person",
  remote: "Remote",
};

/** A save refused because the register changed after the form was opened. */
export const STALE_REGISTER_MESSAGE =
  "Someone else changed this register after you opened it, so your changes have not been saved. Reload the page to see the register as it is now, then make your changes again.";
export const CANCELLED_REGISTER_MESSAGE = "This meeting was cancelled, so its register cannot be changed.";

export const MAX_TRAVEL_MINUTES = 600;
export const MAX_MILES = 2000;
export const MAX_EXPENSES_PENCE = 1_000_000;

const MAX_ID = 2 ** 53 - 1;
const EXPENSES = /^£?\s*(\d{1,7})(?:\.(\d{1,2}))?$/;

/** "4.50", "£4.5", "12" → pence; anything else → null. */
export function poundsToPence(text: string): number | null {
  const match = EXPENSES.exec(text.trim().replaceAll(",", ""));
  if (!match) return null;
  const pence = (match[2] ?? "").padEnd(2, "0");
  return Number(match[1]) * 100 + Number(pence);
}

/** Pence as the form shows them: 450 → "4.50", 0 → "". */
export function penceToPounds(pence: number): string {
  return pence === 0 ? "" : `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, "0")}`;
}

export interface RegisterSchemaContext {
  durationMinutes: number;
  /** Each register row's attendance id → the person it is for. */
  personOf: ReadonlyMap<number, number>;
  /** The people of this workspace who may be chosen as a deputy. */
  people: ReadonlySet<number>;
}

const id = z.number().int().positive().max(MAX_ID);

export function registerRowSchema(context: RegisterSchemaContext) {
  const duration = context.durationMinutes;
  return z
    .object({
      id,
      status: z.enum(ATTENDANCE_STATUSES, { error: "Select a status" }),
      deputy: z.number({ error: "Choose the deputy from the list" }).int().positive().max(MAX_ID).optional(),
      minutesPresent: z
        .number({ error: `Enter minutes present as a whole number from 0 to ${duration}` })
        .int(`Enter minutes present as a whole number from 0 to ${duration}`)
        .min(0, `Enter minutes present as a whole number from 0 to ${duration}`)
        .max(duration, `Minutes present must be ${duration} or fewer (the length of the meeting)`)
        .optional(),
      mode: z.enum(ATTENDANCE_MODES, { error: "Select in person or remote" }),
      travelMinutes: z
        .number({ error: `Enter travel time as a whole number of minutes from 0 to ${MAX_TRAVEL_MINUTES}` })
        .int(`Enter travel time as a whole number of minutes from 0 to ${MAX_TRAVEL_MINUTES}`)
        .min(0, `Enter travel time as a whole number of minutes from 0 to ${MAX_TRAVEL_MINUTES}`)
        .max(MAX_TRAVEL_MINUTES, `Travel time must be ${MAX_TRAVEL_MINUTES} minutes or fewer`)
        .optional(),
      miles: z
        .number({ error: `Enter miles as a number from 0 to ${MAX_MILES}, like 12.5` })
        .min(0, `Enter miles as a number from 0 to ${MAX_MILES}, like 12.5`)
        .max(MAX_MILES, `Miles must be ${MAX_MILES} or fewer`)
        .refine(
          (m) => Math.abs(m * 10 - Math.round(m * 10)) < 1e-9,
          "Enter miles to one decimal place, like 12.5",
        )
        .optional(),
      expenses: z
        .string()
        .trim()
        .refine((text) => poundsToPence(text) !== null, "Enter other expenses in pounds and pence, like 4.50")
        .transform((text) => poundsToPence(text) ?? 0)
        .refine((pence) => pence <= MAX_EXPENSES_PENCE, "Other expenses must be £10,000 or less")
        .optional(),
    })
    .superRefine((row, ctx) => {
      if (row.status === "deputy") {
        if (row.deputy === undefined) {
          ctx.addIssue({ code: "custom", path: ["deputy"], message: "Choose who came as the deputy" });
        } else if (row.deputy === context.personOf.get(row.id)) {
          ctx.addIssue({
            code: "custom",
            path: ["deputy"],
            message: "The deputy must be someone other than the person they stand in for",
          });
        } else if (!context.people.has(row.deputy)) {
          ctx.addIssue({ code: "custom", path: ["deputy"], message: "Choose the deputy from the list" });
        }
      } else if (row.deputy !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["deputy"],
          message: "Only choose a deputy when the status is ‘Deputy sent’",
        });
      }
    });
}

export function registerSchema(context: RegisterSchemaContext) {
  return z.object({
    intent: z.literal("save").optional(),
    version: z
      .string({ error: "Reload the page and try again" })
      .regex(/^[0-9a-f]{64}$/, "Reload the page and try again"),
    rows: z.array(registerRowSchema(context)).max(500).default([]),
  });
}
export type RegisterInput = z.output<ReturnType<typeof registerSchema>>;
export type RegisterRowInput = RegisterInput["rows"][number];

export const addAttendeeSchema = z.object({
  intent: z.literal("add"),
  personId: z.number({ error: "Choose a person to add" }).int().positive().max(MAX_ID),
});
