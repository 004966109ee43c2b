import { describe, expect, it } from "vitest";
import { isPeriod, newPlanSchema, nextPeriod, onTimePercent, periodBounds, periodOf } from "./schemas";

describe("plan periods", () => {
  it("runs a financial year from 1 April to 31 March", () => {
    expect(periodBounds("2026/27")).toEqual({ startsOn: "2026-04-01", endsOn: "2027-03-31" });
    expect(periodBounds("2099/00")).toEqual({ startsOn: "2099-04-01", endsOn: "2100-03-31" });
  });

  it("moves on a year, across the century", () => {
    expect(nextPeriod("2026/27")).toBe("2027/28");
    expect(nextPeriod("2098/99")).toBe("2099/00");
  });

  it("puts 31 March in the year before and 1 April in the year after", () => {
    expect(periodOf("2027-03-31")).toBe("2026/27");
    expect(periodOf("2027-04-01")).toBe("2027/28");
    expect(periodOf("2027-01-15")).toBe("2026/27");
  });

  it("accepts only one financial year written as 2026/27", () => {
    expect(isPeriod("2026/27")).toBe(true);
    for (const wrong of ["2026/28", "2026-27", "2026/2027", "26/27", "1999/00", "", " 2026/27"]) {
      expect(isPeriod(wrong), wrong).toBe(false);
    }
    expect(newPlanSchema.safeParse({ period: " 2026/27 ", title: "Plan" }).success).toBe(true);
  });

  it("gives the on-time share as a whole percentage, none when nothing is done", () => {
    expect(onTimePercent({ done: 0, doneOnTime: 0 })).toBeNull();
    expect(onTimePercent({ done: 3, doneOnTime: 2 })).toBe(67);
    expect(onTimePercent({ done: 4, doneOnTime: 4 })).toBe(100);
  });
});
