import { TZDate } from "@date-fns/tz";
import { TIME_ZONE } from "../format";

/* Calendar days ("YYYY-MM-DD") as London sees them, for date-range filters. */

/** The first instant of a "YYYY-MM-DD" day in London. */
export function startOfLondonDay(isoDate: string): Date {
  const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, day, TIME_ZONE).getTime());
}

/** Whether "YYYY-MM-DD" names a real calendar day. */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The day after a "YYYY-MM-DD" date. */
export function nextIsoDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}
