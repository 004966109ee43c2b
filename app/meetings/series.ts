import { TZDate } from "@date-fns/tz";

/*
 * Meeting series: pure functions that turn a repeat rule into the instants each meeting
 * starts. Times are wall-clock times in Europe/London (TZDate), so a 10:00 meeting stays at
 * 10:00 local across the March and October clock changes (10:00 UTC in winter, 09:00 UTC in
 * summer). Calendar arithmetic is done on plain year/month/day numbers, never on instants.
 */

export const SERIES_TIME_ZONE = "Europe/London";
/** No series is longer than this. */
export const MAX_OCCURRENCES = 36;

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6; // Sunday = 0, as Date.getDay()

/** "First Tuesday of every other month": nth 1–4, or -1 for the last one in the month. */
export interface MonthlyNthWeekdayRule {
  kind: "monthly_nth_weekday";
  nth: 1 | 2 | 3 | 4 | -1;
  weekday: Weekday;
  intervalMonths: number;
}

/** "Every 2 weeks on a Wednesday". */
export interface WeeklyRule {
  kind: "weekly";
  weekday: Weekday;
  intervalWeeks: number;
}

export type SeriesEnd = { count: number } | { until: string };

export interface SeriesRule {
  repeat: MonthlyNthWeekdayRule | WeeklyRule;
  /** The first date the series may fall on, "YYYY-MM-DD". */
  startDate: string;
  /** London wall-clock time, "HH:MM". */
  time: string;
  end: SeriesEnd;
}

interface CalendarDate {
  year: number;
  month: number; // 1–12
  day: number;
}

export function parseCalendarDate(text: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`Not a calendar date: ${text}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

function parseTime(text: string): { hours: number; minutes: number } {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`Not a time: ${text}`);
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) throw new RangeError(`Not a time: ${text}`);
  return { hours, minutes };
}

export function formatCalendarDate({ year, month, day }: CalendarDate): string {
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The weekday of a calendar date (no time zone is involved). */
export function weekdayOf(date: CalendarDate): Weekday {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() as Weekday;
}

function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function compare(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** The nth (or last, -1) weekday of a month. */
export function nthWeekdayOfMonth(year: number, month: number, weekday: Weekday, nth: number): CalendarDate {
  if (nth === -1) {
    const last = daysInMonth(year, month);
    const lastWeekday = weekdayOf({ year, month, day: last });
    return { year, month, day: last - ((lastWeekday - weekday + 7) % 7) };
  }
  const firstWeekday = weekdayOf({ year, month, day: 1 });
  return { year, month, day: 1 + ((weekday - firstWeekday + 7) % 7) + (nth - 1) * 7 };
}

/** Which of its month's weekdays a date is: 1–4, or -1 when it is the fifth (so the last). */
export function nthOfMonth(date: CalendarDate): 1 | 2 | 3 | 4 | -1 {
  const n = Math.ceil(date.day / 7);
  return n >= 5 ? -1 : (n as 1 | 2 | 3 | 4);
}

/** The instant a London wall-clock date and time happen. */
export function londonInstant(date: string, time: string): Date {
  const { year, month, day } = parseCalendarDate(date);
  const { hours, minutes } = parseTime(time);
  const local = new TZDate(year, month - 1, day, hours, minutes, SERIES_TIME_ZONE);
  return new Date(local.getTime());
}

/** The calendar dates of a series, in order (at most MAX_OCCURRENCES). */
export function occurrenceDates(rule: SeriesRule): string[] {
  const start = parseCalendarDate(rule.startDate);
  const limit = "count" in rule.end ? Math.min(rule.end.count, MAX_OCCURRENCES) : MAX_OCCURRENCES;
  const until = "until" in rule.end ? parseCalendarDate(rule.end.until) : null;
  const dates: CalendarDate[] = [];
  const { repeat } = rule;

  if (repeat.kind === "weekly") {
    const interval = Math.max(1, Math.trunc(repeat.intervalWeeks));
    const first = addDays(start, (repeat.weekday - weekdayOf(start) + 7) % 7);
    for (let k = 0; dates.length < limit; k++) {
      const date = addDays(first, k * 7 * interval);
      if (until && compare(date, until) > 0) break;
      dates.push(date);
    }
  } else {
    const interval = Math.max(1, Math.trunc(repeat.intervalMonths));
    // Months are counted from the start date's month; one before the start is skipped.
    for (let k = 0; dates.length < limit && k < MAX_OCCURRENCES * interval + 1; k += interval) {
      const monthIndex = start.year * 12 + (start.month - 1) + k;
      const date = nthWeekdayOfMonth(
        Math.floor(monthIndex / 12),
        (monthIndex % 12) + 1,
        repeat.weekday,
        repeat.nth,
      );
      if (compare(date, start) < 0) continue;
      if (until && compare(date, until) > 0) break;
      dates.push(date);
    }
  }
  return dates.map(formatCalendarDate);
}

/** The instants the meetings of a series start. */
export function occurrences(rule: SeriesRule): Date[] {
  return occurrenceDates(rule).map((date) => londonInstant(date, rule.time));
}

const ORDINALS: Record<string, string> = {
  "1": "first",
  "2": "second",
  "3": "third",
  "4": "fourth",
  "-1": "last",
};
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** The rule in words: "The first Tuesday of every 2 months", "Every week on a Wednesday". */
export function describeRepeat(repeat: SeriesRule["repeat"]): string {
  const day = WEEKDAYS[repeat.weekday] ?? "";
  if (repeat.kind === "weekly") {
    return repeat.intervalWeeks === 1
      ? `Every week on a ${day}`
      : `Every ${repeat.intervalWeeks} weeks on a ${day}`;
  }
  const every = repeat.intervalMonths === 1 ? "every month" : `every ${repeat.intervalMonths} months`;
  return `The ${ORDINALS[String(repeat.nth)]} ${day} of ${every}`;
}
