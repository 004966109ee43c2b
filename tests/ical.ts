import ICAL from "ical.js";

/*
 * Reading iCalendar in tests the way a calendar client does: ical.js parses the text, the
 * calendar's own VTIMEZONE is registered, and each VEVENT is read with its times resolved.
 */

export interface ParsedEvent {
  uid: string;
  sequence: number;
  summary: string;
  status: string | null;
  start: Date;
  end: Date;
  /** The TZID the start was written in ("Europe/London"), or "Z" for UTC. */
  startZone: string;
  /** The wall-clock start as written, e.g. "2027-03-03T10:00:00". */
  localStart: string;
  location: string | null;
  description: string | null;
  url: string | null;
  /** Addresses, without "mailto:". */
  attendees: string[];
  organizer: string | null;
}

export interface ParsedCalendar {
  method: string | null;
  name: string | null;
  timezones: string[];
  events: ParsedEvent[];
}

/** "MAILTO:ada@north.test" → "ada@north.test". */
const address = (value: string) => value.replace(/^mailto:/i, "");

export function parseCalendar(text: string): ParsedCalendar {
  const root = new ICAL.Component(ICAL.parse(text));
  const timezones = root.getAllSubcomponents("vtimezone");
  for (const zone of timezones) ICAL.TimezoneService.register(zone);
  const events = root.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const dtstart = vevent.getFirstProperty("dtstart");
    const tzid = dtstart?.getParameter("tzid");
    const str = (name: string) => {
      const value = vevent.getFirstPropertyValue(name);
      return value === null || value === undefined ? null : String(value);
    };
    return {
      uid: event.uid,
      sequence: event.sequence,
      summary: event.summary,
      status: str("status"),
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      startZone: typeof tzid === "string" ? tzid : event.startDate.zone?.tzid === "UTC" ? "Z" : "floating",
      localStart: event.startDate.toString(),
      location: str("location"),
      description: str("description"),
      url: str("url"),
      attendees: vevent.getAllProperties("attendee").map((p) => address(String(p.getFirstValue()))),
      organizer: str("organizer") && address(str("organizer")!),
    };
  });
  const name = root.getFirstPropertyValue("x-wr-calname");
  const method = root.getFirstPropertyValue("method");
  return {
    method: method ? String(method) : null,
    name: name ? String(name) : null,
    timezones: timezones.map((zone) => String(zone.getFirstPropertyValue("tzid"))),
    events,
  };
}
