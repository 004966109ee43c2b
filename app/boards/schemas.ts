import { z } from "zod";
import type { BoardFrequency, BoardLevel, BoardType, MembershipRole } from "../../db/schema";
import { parseIsoDate } from "../admin/schemas";

/*
 * Form schemas for adding and editing a board and its memberships. Shared by the page
 * (constraints) and the action (validation).
 */

export const BOARD_TYPES = [
  "lcjb",
  "csp",
  "reducing_reoffending",
  "mappa_smb",
  "youth_justice",
  "regional_group",
  "other",
] as const satisfies readonly BoardType[];
export const BOARD_LEVELS = ["local", "regional", "national"] as const satisfies readonly BoardLevel[];
export const BOARD_FREQUENCIES = [
  "weekly",
  "fortnightly",
  "monthly",
  "bimonthly",
  "quarterly",
  "biannual",
  "annual",
  "ad_hoc",
] as const satisfies readonly BoardFrequency[];
export const MEMBERSHIP_ROLES = [
  "chair",
  "vice_chair",
  "secretary",
  "member",
  "adviser",
  "observer",
] as const satisfies readonly MembershipRole[];

/** "Leeds Criminal Justice Board" → "leeds-criminal-justice-board". */
export function suggestSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 81)
    .replace(/-+$/, "");
}

function wholeNumber(label: string, min: number, max: number, unit: string) {
  return z
    .string({ error: `Enter the ${label}` })
    .trim()
    .max(20, `Enter the ${label} as a whole number`)
    .transform((text, ctx) => {
      if (!/^-?\d+$/.test(text)) {
        ctx.addIssue({ code: "custom", message: `Enter the ${label} as a whole number` });
        return z.NEVER;
      }
      const value = Number(text);
      if (value < min || value > max) {
        ctx.addIssue({
          code: "custom",
          message: `The ${label} must be between ${min}${unit} and ${max.toLocaleString("en-GB")}${unit}`,
        });
        return z.NEVER;
      }
      return value;
    });
}

export const boardSchema = z.object({
  name: z
    .string({ error: "Enter the board's name" })
    .trim()
    .min(1, "Enter the board's name")
    .max(200, "The name must be 200 characters or fewer"),
  slug: z
    .string({ error: "Enter a short name for web addresses" })
    .trim()
    .max(81, "The short name must be 81 characters or fewer")
    .regex(
      /^[a-z0-9][a-z0-9-]*$/,
      "The short name must use only lower-case letters, digits and hyphens, starting with a letter or digit",
    ),
  type: z.enum(BOARD_TYPES, { error: "Select the type of board" }),
  level: z.enum(BOARD_LEVELS, { error: "Select the board's level" }),
  terms_of_reference: z
    .string()
    .max(20000, "The terms of reference must be 20,000 characters or fewer")
    .optional()
    .transform((v) => (v ?? "").trim()),
  quorum: wholeNumber("quorum", 0, 100, ""),
  default_duration_minutes: wholeNumber("usual meeting length", 5, 720, " minutes"),
  preparation_minutes: wholeNumber("preparation time", 0, 2400, " minutes"),
  frequency: z.enum(BOARD_FREQUENCIES, { error: "Select how often the board usually meets" }),
  visibility: z.enum(["public", "private"], { error: "Select whether the board's minutes are published" }),
  sensitive_items_public: z.enum(["restricted", "hidden"], {
    error: "Select how OFFICIAL-SENSITIVE items appear publicly",
  }),
});
export type BoardInput = z.output<typeof boardSchema>;

function isoDate(message: string) {
  return z
    .string({ error: message })
    .trim()
    .max(20, message)
    .transform((text, ctx) => {
      const date = parseIsoDate(text);
      if (!date) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return date;
    });
}

const idField = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^[1-9]\d{0,15}$/, message)
    .transform(Number);

export const membershipSchema = z
  .object({
    intent: z.literal("add"),
    person_id: idField("Select the person"),
    agency_id: idField("Select the agency they represent").optional(),
    role: z.enum(MEMBERSHIP_ROLES, { error: "Select their role" }),
    from_date: isoDate("Enter the date they joined, like 2026-04-01"),
    to_date: isoDate("Enter the date they left, like 2027-03-31").optional(),
  })
  .refine((v) => v.to_date === undefined || v.to_date >= v.from_date, {
    path: ["to_date"],
    message: "The end date must be the same as or after the start date",
  });
export type MembershipInput = z.output<typeof membershipSchema>;

export const endMembershipSchema = z.object({
  intent: z.literal("end"),
  membership_id: idField("Choose a membership"),
  to_date: isoDate("Enter the date the membership ends, like 2027-03-31"),
});

export const removeMembershipSchema = z.object({
  intent: z.literal("remove"),
  membership_id: idField("Choose a membership"),
});
