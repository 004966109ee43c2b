import { describe, expect, it } from "vitest";
import { parseCalendar } from "../../tests/ical";
import { buildCalendar, type CalendarEvent, meetingUid } from "./icalendar.server";

const base: CalendarEvent = {
  uid: meetingUid(3, 41),
  sequence: 0,
  start: new Date("2027-03-03T10:00:00Z"), // GMT: 10am in London
  durationMinutes: 90,
  summary: "Local Criminal Justice Board",
  cancelled: false,
  changedAt: new Date("2027-01-10T09:30:00Z"),
};

describe("buildCalendar", () => {
  it("writes Europe/London wall-clock times with the zone, either side of the clock change", () => {
    const text = buildCalendar({
      name: "LCJB meetings",
      events: [base, { ...base, uid: meetingUid(3, 42), start: new Date("2027-04-07T09:00:00Z") }],
    });
    expect(text).toContain("BEGIN:VTIMEZONE\r\nTZID:Europe/London");
    expect(text).toContain("DTSTART;TZID=Europe/London:20270303T100000");
    // 7 April is in British Summer Time: 09:00 UTC is 10am in London.
    expect(text).toContain("DTSTART;TZID=Europe/London:20270407T100000");
    const calendar = parseCalendar(text);
    expect(calendar.timezones).toEqual(["Europe/London"]);
    expect(calendar.name).toBe("LCJB meetings");
    const [winter, summer] = calendar.events;
    expect(winter).toMatchObject({ uid: "meeting-3-41@boardledger", startZone: "Europe/London" });
    expect(winter!.start.toISOString()).toBe("2027-03-03T10:00:00.000Z");
    expect(winter!.end.toISOString()).toBe("2027-03-03T11:30:00.000Z");
    expect(summer!.localStart).toBe("2027-04-07T10:00:00");
    expect(summer!.start.toISOString()).toBe("2027-04-07T09:00:00.000Z");
  });

  it("marks a cancelled meeting and carries its sequence", () => {
    const calendar = parseCalendar(
      buildCalendar({ name: "x", method: "CANCEL", events: [{ ...base, sequence: 3, cancelled: true }] }),
    );
    expect(calendar.method).toBe("CANCEL");
    expect(calendar.events[0]).toMatchObject({ status: "CANCELLED", sequence: 3 });
  });

  it("escapes text and folds long lines at 75 octets", () => {
    const summary = "Reducing reoffending; housing, employment\\education — and a very long title indeed";
    const text = buildCalendar({ name: "x", events: [{ ...base, summary, location: "Room 3, Police HQ" }] });
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text).toContain("housing\\, employment\\\\education");
    const event = parseCalendar(text).events[0]!;
    expect(event.summary).toBe(summary);
    expect(event.location).toBe("Room 3, Police HQ");
  });

  it("addresses an invitation to its attendee from its organiser", () => {
    const event = parseCalendar(
      buildCalendar({
        name: "x",
        method: "REQUEST",
        events: [
          {
            ...base,
            organizer: { name: "Boardledger", email: "no-reply@boardledger.example" },
            attendee: { name: "Ada Lovelace", email: "ada@north.test" },
          },
        ],
      }),
    ).events[0]!;
    expect(event.attendees).toEqual(["ada@north.test"]);
    expect(event.organizer).toBe("no-reply@boardledger.example");
  });
});
