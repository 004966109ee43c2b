import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatDuration,
  formatPence,
  formatTime,
  londonDate,
  pluralise,
} from "./format";

describe("formatPence", () => {
  it("shows pounds and pence with thousands separated", () => {
    expect(formatPence(124050)).toBe("£1,240.50");
    expect(formatPence(0)).toBe("£0.00");
    expect(formatPence(5)).toBe("£0.05");
    expect(formatPence(100)).toBe("£1.00");
    expect(formatPence(123456789)).toBe("£1,234,567.89");
  });

  it("shows a negative amount with a minus sign before the pound sign", () => {
    expect(formatPence(-300)).toBe("\u2212£3.00");
    expect(formatPence(-1)).toBe("\u2212£0.01");
  });

  it("never shows minus zero", () => {
    expect(formatPence(-0)).toBe("£0.00");
    expect(formatPence(-0.4)).toBe("£0.00");
  });

  it("rounds a fractional amount to the nearest penny", () => {
    expect(formatPence(1234.6)).toBe("£12.35");
  });

  it("refuses what is not an amount", () => {
    expect(() => formatPence(Number.NaN)).toThrow(RangeError);
    expect(() => formatPence(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("formatDate", () => {
  it("shows a calendar date as it is, with no time zone shift", () => {
    expect(formatDate("2027-03-03")).toBe("3 March 2027");
    expect(formatDate("2026-12-31")).toBe("31 December 2026");
    expect(formatDate("2026-01-01")).toBe("1 January 2026");
  });

  it("shows an instant as the date it was in London", () => {
    expect(formatDate(new Date("2027-03-03T10:00:00Z"))).toBe("3 March 2027");
    // 11:30pm UTC on 30 June is already 1 July in London (BST).
    expect(formatDate(new Date("2026-06-30T23:30:00Z"))).toBe("1 July 2026");
    // 11:30pm UTC on 31 December is still 31 December in London (GMT).
    expect(formatDate(new Date("2026-12-31T23:30:00Z"))).toBe("31 December 2026");
    expect(formatDate("2026-06-30T23:30:00Z")).toBe("1 July 2026");
  });

  it("refuses what is not a date", () => {
    expect(() => formatDate("not a date")).toThrow(RangeError);
    expect(() => formatDate("2026-13-01")).toThrow(RangeError);
    expect(() => formatDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("formatDateTime", () => {
  it("shows a date and a 12-hour time with am or pm", () => {
    expect(formatDateTime(new Date("2027-03-03T10:00:00Z"))).toBe("3 March 2027, 10:00am");
    expect(formatDateTime(new Date("2027-03-03T14:30:00Z"))).toBe("3 March 2027, 2:30pm");
    expect(formatDateTime(new Date("2027-03-03T12:00:00Z"))).toBe("3 March 2027, 12:00pm");
    expect(formatDateTime(new Date("2027-03-03T00:05:00Z"))).toBe("3 March 2027, 12:05am");
  });

  it("is in GMT just before the clocks go forward and in BST just after (29 March 2026)", () => {
    // 1am GMT the clocks go forward to 2am BST.
    expect(formatDateTime(new Date("2026-03-29T00:30:00Z"))).toBe("29 March 2026, 12:30am");
    expect(formatDateTime(new Date("2026-03-29T01:30:00Z"))).toBe("29 March 2026, 2:30am");
    expect(formatDateTime(new Date("2026-03-28T23:30:00Z"))).toBe("28 March 2026, 11:30pm");
  });

  it("is in BST just before the clocks go back and in GMT after (25 October 2026)", () => {
    // 2am BST the clocks go back to 1am GMT, so 1:30am happens twice.
    expect(formatDateTime(new Date("2026-10-25T00:30:00Z"))).toBe("25 October 2026, 1:30am");
    expect(formatDateTime(new Date("2026-10-25T01:30:00Z"))).toBe("25 October 2026, 1:30am");
    expect(formatDateTime(new Date("2026-10-24T23:30:00Z"))).toBe("25 October 2026, 12:30am");
    expect(formatDateTime(new Date("2026-10-25T23:30:00Z"))).toBe("25 October 2026, 11:30pm");
  });

  it("accepts an ISO timestamp string", () => {
    expect(formatDateTime("2026-07-01T09:00:00Z")).toBe("1 July 2026, 10:00am");
    expect(formatTime("2026-01-01T09:00:00Z")).toBe("9:00am");
  });
});

describe("londonDate", () => {
  it("gives the calendar date in London", () => {
    expect(londonDate(new Date("2026-06-30T23:30:00Z"))).toBe("2026-07-01");
    expect(londonDate(new Date("2026-12-31T23:30:00Z"))).toBe("2026-12-31");
    expect(londonDate(new Date("2026-03-29T00:30:00Z"))).toBe("2026-03-29");
    expect(londonDate(new Date("2026-10-24T23:30:00Z"))).toBe("2026-10-25");
  });
});

describe("formatDuration", () => {
  it("writes hours and minutes in words", () => {
    expect(formatDuration(90)).toBe("1 hour 30 minutes");
    expect(formatDuration(45)).toBe("45 minutes");
    expect(formatDuration(60)).toBe("1 hour");
    expect(formatDuration(120)).toBe("2 hours");
    expect(formatDuration(121)).toBe("2 hours 1 minute");
    expect(formatDuration(1)).toBe("1 minute");
    expect(formatDuration(0)).toBe("0 minutes");
  });

  it("refuses a negative duration", () => {
    expect(() => formatDuration(-5)).toThrow(RangeError);
  });
});

describe("pluralise", () => {
  it("chooses the singular or plural", () => {
    expect(pluralise(1, "member")).toBe("1 member");
    expect(pluralise(0, "member")).toBe("0 members");
    expect(pluralise(1200, "meeting")).toBe("1,200 meetings");
    expect(pluralise(2, "person", "people")).toBe("2 people");
  });
});
