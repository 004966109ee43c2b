import { tz } from "@date-fns/tz";
import { format } from "date-fns";

/*
 * The one place that turns values into words and figures for people, in the GOV.UK style:
 * money "£1,240.50", dates "3 March 2027", times "10:00am", all in Europe/London.
 * Pages, emails and exports use these and nothing else.
 */

export const TIME_ZONE = "Europe/London";

const london = tz(TIME_ZONE);

/** A minus sign (U+2212), not a hyphen, as GOV.UK style has for negative amounts. */
const MINUS = "\u2212";

const poundsFormat = new Intl.NumberFormat("en-GB", { useGrouping: true, maximumFractionDigits: 0 });

/**
 * Integer pence as pounds: 124050 → "£1,240.50", 0 → "£0.00", -300 → "−£3.00".
 * Money is held as integer pence; a fractional amount is rounded to the nearest penny.
 */
export function formatPence(pence: number): string {
  if (!Number.isFinite(pence)) throw new RangeError(`Not an amount of money: ${pence}`);
  const whole = Math.round(Math.abs(pence));
  const pounds = Math.floor(whole / 100);
  const remainder = whole % 100;
  const sign = whole !== 0 && pence < 0 ? MINUS : "";
  return `${sign}£${poundsFormat.format(pounds)}.${String(remainder).padStart(2, "0")}`;
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

function toInstant(date: Date | string): Date {
  const instant = typeof date === "string" ? new Date(date) : date;
  if (Number.isNaN(instant.getTime())) throw new RangeError(`Not a date: ${String(date)}`);
  return instant;
}

/**
 * "3 March 2027". A "YYYY-MM-DD" string is a calendar date and is shown as it is (no time
 * zone applies to it); an instant (a Date, or an ISO timestamp string) is shown as the date
 * it was in London.
 */
export function formatDate(date: Date | string): string {
  if (typeof date === "string") {
    const match = CALENDAR_DATE.exec(date);
    if (match) {
      const [, year, month, day] = match;
      const monthName = MONTHS[Number(month) - 1];
      if (!monthName || Number(day) < 1 || Number(day) > 31) throw new RangeError(`Not a date: ${date}`);
      return `${Number(day)} ${monthName} ${year}`;
    }
  }
  return format(toInstant(date), "d MMMM yyyy", { in: london });
}

/** The time of day in London: "10:00am", "2:30pm". */
export function formatTime(date: Date | string): string {
  return format(toInstant(date), "h:mmaaa", { in: london });
}

/** "3 March 2027, 10:00am" in London. */
export function formatDateTime(date: Date | string): string {
  const instant = toInstant(date);
  return `${formatDate(instant)}, ${formatTime(instant)}`;
}

/** The calendar date ("YYYY-MM-DD") it is in London at an instant: today, by default. */
export function londonDate(date: Date = new Date()): string {
  return format(toInstant(date), "yyyy-MM-dd", { in: london });
}

/** Whole minutes in words: 90 → "1 hour 30 minutes", 45 → "45 minutes", 120 → "2 hours". */
export function formatDuration(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`Not a duration: ${minutes}`);
  const total = Math.round(minutes);
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(`${hours} ${hours === 1 ? "hour" : "hours"}`);
  if (rest > 0 || hours === 0) parts.push(`${rest} ${rest === 1 ? "minute" : "minutes"}`);
  return parts.join(" ");
}

/** "1 member", "3 members". */
export function pluralise(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en-GB")} ${count === 1 ? singular : plural}`;
}

/**
 * An instant as ISO 8601 with London's offset, to the second, for machines (the JSON API):
 * "2027-03-03T10:00:00+00:00" in winter, "2027-07-01T10:00:00+01:00" in summer.
 */
export function isoTimestamp(date: Date | string): string {
  return format(toInstant(date), "yyyy-MM-dd'T'HH:mm:ssxxx", { in: london });
}
