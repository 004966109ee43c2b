import { describe, expect, it } from "vitest";
import {
  describeRepeat,
  londonInstant,
  nthOfMonth,
  nthWeekdayOfMonth,
  occurrenceDates,
  occurrences,
} from "./series";

describe("meeting series", () => {
  it("keeps 10:00 London across the March and October 2026 clock changes", () => {
    // First Tuesday of every month, February to December 2026 (BST: 29 March to 25 October).
    const starts = occurrences({
      repeat: { kind: "monthly_nth_weekday", nth: 1, weekday: 2, intervalMonths: 1 },
      startDate: "2026-02-03",
      time: "10:00",
      end: { count: 11 },
    });
    expect(starts.map((d) => d.toISOString())).toEqual([
      "2026-02-03T10:00:00.000Z",
      "2026-03-03T10:00:00.000Z",
      "2026-04-07T09:00:00.000Z",
      "2026-05-05T09:00:00.000Z",
      "2026-06-02T09:00:00.000Z",
      "2026-07-07T09:00:00.000Z",
      "2026-08-04T09:00:00.000Z",
      "2026-09-01T09:00:00.000Z",
      "2026-10-06T09:00:00.000Z",
      "2026-11-03T10:00:00.000Z",
      "2026-12-01T10:00:00.000Z",
    ]);
  });

  it("generates the first Tuesday of every other month", () => {
    expect(
      occurrenceDates({
        repeat: { kind: "monthly_nth_weekday", nth: 1, weekday: 2, intervalMonths: 2 },
        startDate: "2026-01-06",
        time: "10:00",
        end: { count: 6 },
      }),
    ).toEqual(["2026-01-06", "2026-03-03", "2026-05-05", "2026-07-07", "2026-09-01", "2026-11-03"]);
  });

  it("skips a month whose nth weekday falls before the start date", () => {
    expect(
      occurrenceDates({
        repeat: { kind: "monthly_nth_weekday", nth: 1, weekday: 2, intervalMonths: 1 },
        startDate: "2026-03-10",
        time: "10:00",
        end: { count: 2 },
      }),
    ).toEqual(["2026-04-07", "2026-05-05"]);
  });

  it("handles the last weekday of the month", () => {
    expect(nthWeekdayOfMonth(2026, 3, 0, -1)).toEqual({ year: 2026, month: 3, day: 29 });
    expect(nthWeekdayOfMonth(2026, 10, 0, -1)).toEqual({ year: 2026, month: 10, day: 25 });
    expect(nthOfMonth({ year: 2026, month: 3, day: 31 })).toBe(-1);
    expect(nthOfMonth({ year: 2026, month: 3, day: 3 })).toBe(1);
  });

  it("repeats every two weeks across both clock changes, at 14:30 local", () => {
    const starts = occurrences({
      repeat: { kind: "weekly", weekday: 3, intervalWeeks: 2 },
      startDate: "2026-03-18",
      time: "14:30",
      end: { until: "2026-04-01" },
    });
    expect(starts.map((d) => d.toISOString())).toEqual([
      "2026-03-18T14:30:00.000Z",
      "2026-04-01T13:30:00.000Z",
    ]);
    const autumn = occurrences({
      repeat: { kind: "weekly", weekday: 3, intervalWeeks: 1 },
      startDate: "2026-10-21",
      time: "14:30",
      end: { count: 2 },
    });
    expect(autumn.map((d) => d.toISOString())).toEqual([
      "2026-10-21T13:30:00.000Z",
      "2026-10-28T14:30:00.000Z",
    ]);
  });

  it("stops at an end date, and never makes more than 36", () => {
    expect(
      occurrenceDates({
        repeat: { kind: "weekly", weekday: 1, intervalWeeks: 1 },
        startDate: "2026-01-05",
        time: "09:00",
        end: { until: "2026-01-26" },
      }),
    ).toEqual(["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"]);
    expect(
      occurrenceDates({
        repeat: { kind: "weekly", weekday: 1, intervalWeeks: 1 },
        startDate: "2026-01-05",
        time: "09:00",
        end: { until: "2030-01-01" },
      }),
    ).toHaveLength(36);
    expect(
      occurrenceDates({
        repeat: { kind: "monthly_nth_weekday", nth: 2, weekday: 4, intervalMonths: 1 },
        startDate: "2026-01-01",
        time: "09:00",
        end: { count: 100 },
      }),
    ).toHaveLength(36);
  });

  it("reads a London wall-clock time as the right instant", () => {
    expect(londonInstant("2026-03-29", "10:00").toISOString()).toBe("2026-03-29T09:00:00.000Z");
    expect(londonInstant("2026-03-28", "10:00").toISOString()).toBe("2026-03-28T10:00:00.000Z");
    expect(londonInstant("2026-10-25", "10:00").toISOString()).toBe("2026-10-25T10:00:00.000Z");
    expect(londonInstant("2026-10-24", "10:00").toISOString()).toBe("2026-10-24T09:00:00.000Z");
  });

  it("describes a rule in words", () => {
    expect(describeRepeat({ kind: "monthly_nth_weekday", nth: 1, weekday: 2, intervalMonths: 2 })).toBe(
      "The first Tuesday of every 2 months",
    );
    expect(describeRepeat({ kind: "weekly", weekday: 3, intervalWeeks: 1 })).toBe(
      "Every week on a Wednesday",
    );
  });
});
