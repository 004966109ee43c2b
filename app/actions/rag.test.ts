import { describe, expect, it } from "vitest";
import type { ActionStatus } from "../../db/schema";
import { addDaysToIsoDate, ragAt, ragOn } from "./rag";

/*
 * RAG at the day boundaries, judged by London's calendar. The clocks went forward at
 * 01:00 UTC on 29 March 2026 and go back at 01:00 UTC on 25 October 2026.
 */

const action = (status: ActionStatus, dueDate: string) => ({ status, dueDate });

describe("ragOn", () => {
  it("says complete for done and dropped for dropped, whatever the due date", () => {
    expect(ragOn(action("done", "2020-01-01"), "2026-06-15")).toBe("complete");
    expect(ragOn(action("done", "2030-01-01"), "2026-06-15")).toBe("complete");
    expect(ragOn(action("dropped", "2020-01-01"), "2026-06-15")).toBe("dropped");
  });

  it("is red from the day after the due date, started or not", () => {
    expect(ragOn(action("open", "2026-06-14"), "2026-06-15")).toBe("red");
    expect(ragOn(action("in_progress", "2026-06-14"), "2026-06-15")).toBe("red");
    expect(ragOn(action("in_progress", "2025-01-01"), "2026-06-15")).toBe("red");
  });

  it("is not red on the due date itself", () => {
    expect(ragOn(action("open", "2026-06-15"), "2026-06-15")).toBe("amber");
    expect(ragOn(action("in_progress", "2026-06-15"), "2026-06-15")).toBe("green");
  });

  it("is amber when not started and due within 14 days (inclusive), green from 15", () => {
    expect(ragOn(action("open", "2026-06-29"), "2026-06-15")).toBe("amber");
    expect(ragOn(action("open", "2026-06-30"), "2026-06-15")).toBe("green");
    // Started work is green until it is overdue.
    expect(ragOn(action("in_progress", "2026-06-16"), "2026-06-15")).toBe("green");
  });

  it("counts the 14 days across a month and a year end", () => {
    expect(ragOn(action("open", "2027-01-08"), "2026-12-25")).toBe("amber");
    expect(ragOn(action("open", "2027-01-09"), "2026-12-25")).toBe("green");
    expect(ragOn(action("open", "2028-03-14"), "2028-02-29")).toBe("amber");
    expect(ragOn(action("open", "2028-03-15"), "2028-02-29")).toBe("green");
  });
});

describe("ragAt (London's calendar day)", () => {
  it("keeps 00:30 BST on the due date as the due date (23:30 UTC the day before)", () => {
    const at = new Date("2026-06-14T23:30:00Z"); // 00:30 BST on 15 June
    expect(ragAt(action("in_progress", "2026-06-15"), at)).toBe("green");
    expect(ragAt(action("in_progress", "2026-06-14"), at)).toBe("red");
  });

  it("turns red at midnight London time, an hour before midnight UTC in summer", () => {
    const due = action("in_progress", "2026-06-15");
    expect(ragAt(due, new Date("2026-06-15T22:59:59Z"))).toBe("green"); // 23:59:59 BST
    expect(ragAt(due, new Date("2026-06-15T23:00:00Z"))).toBe("red"); // 00:00 BST on 16 June
    expect(ragAt(due, new Date("2026-06-15T23:30:00Z"))).toBe("red"); // still 15 June in UTC
  });

  it("turns red at midnight UTC in winter, when London is on GMT", () => {
    const due = action("open", "2026-12-15");
    expect(ragAt(due, new Date("2026-12-15T23:59:59Z"))).toBe("amber");
    expect(ragAt(due, new Date("2026-12-16T00:00:00Z"))).toBe("red");
  });

  it("turns amber at London midnight 14 days before the due date", () => {
    const due = action("open", "2026-06-16");
    expect(ragAt(due, new Date("2026-06-01T22:59:59Z"))).toBe("green"); // 1 June, 15 days before
    expect(ragAt(due, new Date("2026-06-01T23:00:00Z"))).toBe("amber"); // 00:00 BST on 2 June
  });

  it("gets the day right on the night the clocks go forward (29 March 2026)", () => {
    const dueOnTheNight = action("in_progress", "2026-03-29");
    expect(ragAt(dueOnTheNight, new Date("2026-03-29T00:30:00Z"))).toBe("green"); // 00:30 GMT
    expect(ragAt(dueOnTheNight, new Date("2026-03-29T01:30:00Z"))).toBe("green"); // 02:30 BST
    expect(ragAt(dueOnTheNight, new Date("2026-03-29T22:59:59Z"))).toBe("green"); // 23:59:59 BST
    expect(ragAt(dueOnTheNight, new Date("2026-03-29T23:00:00Z"))).toBe("red"); // 00:00 BST, 30th
    const dueTheDayBefore = action("in_progress", "2026-03-28");
    expect(ragAt(dueTheDayBefore, new Date("2026-03-28T23:59:59Z"))).toBe("green"); // 23:59:59 GMT
    expect(ragAt(dueTheDayBefore, new Date("2026-03-29T00:00:00Z"))).toBe("red");
  });

  it("gets the day right on the night the clocks go back (25 October 2026)", () => {
    const dueTheDayBefore = action("in_progress", "2026-10-24");
    expect(ragAt(dueTheDayBefore, new Date("2026-10-24T22:59:59Z"))).toBe("green"); // 23:59:59 BST
    expect(ragAt(dueTheDayBefore, new Date("2026-10-24T23:00:00Z"))).toBe("red"); // 00:00 BST, 25th
    const dueOnTheNight = action("in_progress", "2026-10-25");
    expect(ragAt(dueOnTheNight, new Date("2026-10-24T23:30:00Z"))).toBe("green"); // 00:30 BST
    expect(ragAt(dueOnTheNight, new Date("2026-10-25T00:30:00Z"))).toBe("green"); // 01:30 BST
    expect(ragAt(dueOnTheNight, new Date("2026-10-25T01:30:00Z"))).toBe("green"); // 01:30 GMT
    expect(ragAt(dueOnTheNight, new Date("2026-10-25T23:59:59Z"))).toBe("green"); // 23:59:59 GMT
    expect(ragAt(dueOnTheNight, new Date("2026-10-26T00:00:00Z"))).toBe("red");
  });
});

describe("addDaysToIsoDate", () => {
  it("adds calendar days, not 24-hour periods, across the clock changes", () => {
    expect(addDaysToIsoDate("2026-03-28", 1)).toBe("2026-03-29");
    expect(addDaysToIsoDate("2026-03-29", 1)).toBe("2026-03-30");
    expect(addDaysToIsoDate("2026-10-25", 1)).toBe("2026-10-26");
    expect(addDaysToIsoDate("2026-12-25", 14)).toBe("2027-01-08");
    expect(addDaysToIsoDate("2026-03-01", -1)).toBe("2026-02-28");
  });
});
