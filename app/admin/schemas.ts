import { z } from "zod";
import type { AgencyType } from "../../db/schema";

/*
 * Form schemas for the admin pages: agencies and rate cards, people, workspace settings.
 * Shared by the page (constraints) and the action (validation). Money is typed in pounds and
 * held as integer pence; the conversion is exact (string arithmetic, never floating point).
 */

export const AGENCY_TYPES = [
  "probation",
  "crc",
  "police",
  "local_authority",
  "health",
  "fire",
  "prisons",
  "courts",
  "youth_justice",
  "voluntary",
  "other",
] as const satisfies readonly AgencyType[];

export const AGENCY_TYPE_LABELS: Record<AgencyType, string> = {
  probation: "Probation",
  crc: "Community rehabilitation company",
  police: "Police",
  local_authority: "Local authority",
  health: "Health",
  fire: "Fire and rescue",
  prisons: "Prisons",
  courts: "Courts",
  youth_justice: "Youth justice",
  voluntary: "Voluntary sector",
  other: "Other",
};

export const MAX_SALARY_PENCE = 100_000_000; // £1,000,000
export const MAX_REVIEW_COST_PENCE = 100_000_000;

// ── Parsing helpers (pure, exported for tests and display) ─────────────────────────────

const POUNDS = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/**
 * "38,500", "38500.00", "£38,500.5" → pence; null when it is not an amount of money.
 * Commas are allowed only as thousands separators. A leading minus is reported separately.
 */
export function poundsToPence(text: string): number | null {
  const cleaned = text.trim().replace(/^£\s*/, "");
  const match = POUNDS.exec(cleaned);
  if (!match) return null;
  const [whole = "", fraction = ""] = cleaned.replaceAll(",", "").split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

/** Pence → the pounds a form field shows, like "38500.00". */
export function penceToPoundsInput(pence: number): string {
  const sign = pence < 0 ? "-" : "";
  const abs = Math.abs(pence);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** "2027-04-01" or "1/4/2027" → "2027-04-01" when it is a real calendar date (years 1900–2199). */
export function parseIsoDate(text: string): string | null {
  const value = text.trim();
  let year: number;
  let month: number;
  let day: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (uk) {
    [day, month, year] = [Number(uk[1]), Number(uk[2]), Number(uk[3])];
  } else {
    return null;
  }
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

// ── Field factories ─────────────────────────────────────────────────────────────────────

/** A required amount of money typed in pounds, between £0 and `maxPence`, giving pence. */
function pounds(label: string, maxPence: number, emptyMessage: string) {
  const max = `£${(maxPence / 100).toLocaleString("en-GB")}`;
  return z
    .string({ error: emptyMessage })
    .trim()
    .max(40, `Enter ${label} in pounds, like 38,500 or 38500.00`)
    .transform((text, ctx) => {
      if (/^-/.test(text.replace(/^£\s*/, "")) || /^-\s*£/.test(text)) {
        ctx.addIssue({ code: "custom", message: `${capitalise(label)} must be £0 or more` });
        return z.NEVER;
      }
      const pence = poundsToPence(text);
      if (pence === null) {
        ctx.addIssue({
          code: "custom",
          message: /\.\d{3,}$/.test(text)
            ? `Enter ${label} to the nearest penny (no more than two decimal places)`
            : `Enter ${label} in pounds, like 38,500 or 38500.00`,
        });
        return z.NEVER;
      }
      if (pence > maxPence) {
        ctx.addIssue({ code: "custom", message: `${capitalise(label)} must be ${max} or less` });
        return z.NEVER;
      }
      return pence;
    });
}

/** A percentage between 0 and 500 with up to two decimal places. */
function percentText(label: string, emptyMessage?: string) {
  return z
    .string(emptyMessage ? { error: emptyMessage } : undefined)
    .trim()
    .max(20, `Enter ${label} as a number, like 30 or 27.5`)
    .transform((raw, ctx) => {
      const text = raw.replace(/\s*%$/, "");
      if (!/^-?\d+(?:\.\d+)?$/.test(text)) {
        ctx.addIssue({ code: "custom", message: `Enter ${label} as a number, like 30 or 27.5` });
        return z.NEVER;
      }
      const value = Number(text);
      if (value < 0 || value > 500) {
        ctx.addIssue({ code: "custom", message: `${capitalise(label)} must be between 0% and 500%` });
        return z.NEVER;
      }
      if (/\.\d{3,}$/.test(text)) {
        ctx.addIssue({ code: "custom", message: `Enter ${label} with no more than two decimal places` });
        return z.NEVER;
      }
      return Math.round(value * 100) / 100;
    });
}

/** A whole number between min and max. */
function wholeNumber(label: string, min: number, max: number, unit = "", emptyMessage?: string) {
  const range = `between ${min.toLocaleString("en-GB")}${unit} and ${max.toLocaleString("en-GB")}${unit}`;
  return z
    .string(emptyMessage ? { error: emptyMessage } : undefined)
    .trim()
    .max(20, `Enter ${label} as a whole number`)
    .transform((text, ctx) => {
      if (!/^-?\d+$/.test(text.replaceAll(",", ""))) {
        ctx.addIssue({ code: "custom", message: `Enter ${label} as a whole number` });
        return z.NEVER;
      }
      const value = Number(text.replaceAll(",", ""));
      if (value < min || value > max) {
        ctx.addIssue({ code: "custom", message: `${capitalise(label)} must be ${range}` });
        return z.NEVER;
      }
      return value;
    });
}

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

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A select's id value: a positive whole number. */
function idField(emptyMessage: string) {
  return z
    .string({ error: emptyMessage })
    .trim()
    .regex(/^[1-9]\d{0,15}$/, emptyMessage)
    .transform(Number);
}

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`)
    .optional()
    .transform((value) => (value ? value : null));

// ── Agencies and rate cards ─────────────────────────────────────────────────────────────

export const agencySchema = z.object({
  name: z
    .string({ error: "Enter the agency's name" })
    .trim()
    .min(1, "Enter the agency's name")
    .max(200, "The agency's name must be 200 characters or fewer"),
  short_name: optionalText("short name", 40),
  type: z.enum(AGENCY_TYPES, { error: "Select the type of agency" }),
  /** Blank: the workspace default applies. */
  on_cost_pct: percentText("on-cost")
    .optional()
    .transform((v) => v ?? null),
  overhead_pct: percentText("overhead")
    .optional()
    .transform((v) => v ?? null),
  mileage_pence: wholeNumber("the mileage rate", 0, 1000, "p")
    .optional()
    .transform((v) => v ?? null),
});
export type AgencyInput = z.output<typeof agencySchema>;

const gradeName = z
  .string({ error: "Enter the grade's name" })
  .trim()
  .min(1, "Enter the grade's name")
  .max(120, "The grade's name must be 120 characters or fewer");

export const annualSalary = () => pounds("the annual salary", MAX_SALARY_PENCE, "Enter the annual salary");
export const effectiveFrom = () =>
  isoDate(
    "The date the salary takes effect must be a real date, like 1/4/2027",
    "Enter the date the salary takes effect",
  );

export const gradeSchema = z.object({
  name: gradeName,
  annual_salary_pence: annualSalary(),
  effective_from: effectiveFrom(),
});
export type GradeInput = z.output<typeof gradeSchema>;

export const rateSchema = z.object({
  grade_id: idField("Select the grade"),
  annual_salary_pence: annualSalary(),
  effective_from: effectiveFrom(),
  /** Ticked to accept that a date in the past re-prices meetings already held. */
  confirm_backdate: z.literal("yes").optional(),
});
export type RateInput = z.output<typeof rateSchema>;

// ── People ──────────────────────────────────────────────────────────────────────────────

export const personSchema = z.object({
  full_name: z
    .string({ error: "Enter the person's full name" })
    .trim()
    .min(1, "Enter the person's full name")
    .max(200, "The name must be 200 characters or fewer"),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(320, "Enter an email address of 320 characters or fewer")
    .email("Enter an email address in the correct format, like name@example.org")
    .optional()
    .transform((v) => v ?? null),
  agency_id: idField("Select the person's agency"),
  grade_id: idField("Select a grade")
    .optional()
    .transform((v) => v ?? null),
  job_title: optionalText("job title", 200),
  usual_travel_minutes: wholeNumber("usual travel time", 0, 600, " minutes")
    .optional()
    .transform((v) => v ?? 0),
});
export type PersonInput = z.output<typeof personSchema>;

// ── Workspace settings ──────────────────────────────────────────────────────────────────

export const settingsSchema = z.object({
  annual_working_hours: wholeNumber("annual working hours", 1, 8784, "", "Enter the annual working hours"),
  default_on_cost_pct: percentText("on-cost", "Enter the default on-cost"),
  default_overhead_pct: percentText("overhead", "Enter the default overhead"),
  default_mileage_pence: wholeNumber("the mileage rate", 0, 1000, "p", "Enter the mileage rate"),
  review_cost_per_outcome_pence: pounds(
    "the cost per outcome",
    MAX_REVIEW_COST_PENCE,
    "Enter the cost per outcome above which a meeting is reviewed",
  ),
  stop_information_share_pct: wholeNumber(
    "the share of items for information",
    0,
    100,
    "%",
    "Enter the share of items for information",
  ),
  review_attendance_share_pct: wholeNumber(
    "the attendance share",
    0,
    100,
    "%",
    "Enter the share of those invited who must attend",
  ),
});
export type SettingsInput = z.output<typeof settingsSchema>;
