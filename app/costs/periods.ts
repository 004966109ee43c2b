import { addDays, addMonths, format, parseISO } from "date-fns";
import { z } from "zod";
import type { BoardType } from "../../db/schema";
import { londonDate } from "../format";
import type { Verdict } from "./verdicts";

/*
 * The periods cost rollups are read over: calendar dates in Europe/London ("YYYY-MM-DD",
 * both ends included), matched against meeting_rollups.held_on, which is already the
 * meeting's London date. So a meeting at 23:30 on 31 March London time is in March's
 * quarter and the financial year that ends that day, whatever UTC says.
 * Client-safe: pages and their forms use these too.
 */

export interface Period {
  from: string;
  to: string;
}

/** The twelve months up to and including `today` (London): 1 December 2025 to 30 November 2026. */
export function lastTwelveMonths(today: string = londonDate()): Period {
  return { from: format(addDays(addMonths(parseISO(today), -12), 1), "yyyy-MM-dd"), to: today };
}

const isoDate = z.iso.date({ message: "Enter a real date, for example 2026-04-01" });

export const periodSchema = z
  .object({ from: isoDate, to: isoDate })
  .refine((p) => p.from <= p.to, { message: "The start must be on or before the end", path: ["to"] });

/** `from` and `to` from a query string; the last twelve months when both are absent. */
export function parsePeriod(
  params: URLSearchParams,
  today: string = londonDate(),
): { ok: true; period: Period } | { ok: false; errors: Record<string, string[]> } {
  const from = params.get("from")?.trim() || undefined;
  const to = params.get("to")?.trim() || undefined;
  if (from === undefined && to === undefined) return { ok: true, period: lastTwelveMonths(today) };
  const parsed = periodSchema.safeParse({ from: from ?? lastTwelveMonths(today).from, to: to ?? today });
  if (parsed.success) return { ok: true, period: parsed.data };
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "from");
    errors[key] = [...(errors[key] ?? []), issue.message];
  }
  return { ok: false, errors };
}

const MONTHS = ["January", "March", "April", "June", "July", "September", "October", "December"] as const;

/** A quarter's first day ("2026-01-01") in words: "January to March 2026". */
export function quarterLabel(quarterStart: string): string {
  const month = Number(quarterStart.slice(5, 7));
  const index = (month - 1) / 3;
  return `${MONTHS[index * 2]} to ${MONTHS[index * 2 + 1]} ${quarterStart.slice(0, 4)}`;
}

/** A financial year by its starting calendar year: 2025 → "2025/26" (April 2025 to March 2026). */
export function financialYearLabel(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, "0")}`;
}

/** The meetings list (/meetings), filtered to the past meetings behind a figure. */
export function meetingsHref(
  period: Period,
  filters: {
    board?: number;
    status?: "cancelled";
    verdict?: Verdict;
    type?: BoardType;
    agency?: number;
  } = {},
): string {
  const q = new URLSearchParams({ when: "past", from: period.from, to: period.to });
  if (filters.board !== undefined) q.set("board", String(filters.board));
  if (filters.type !== undefined) q.set("type", filters.type);
  if (filters.agency !== undefined) q.set("agency", String(filters.agency));
  if (filters.status !== undefined) q.set("status", filters.status);
  if (filters.verdict !== undefined) q.set("verdict", filters.verdict);
  return `/meetings?${q.toString()}`;
}
