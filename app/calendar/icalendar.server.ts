import { TZDate } from "@date-fns/tz";
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
} from "ical-generator";
import { TIME_ZONE } from "../format";

/*
 * The one place Boardledger writes iCalendar (RFC 5545), for the board feeds and the
 * invitations' .ics files alike, through ical-generator (which folds lines at 75 octets and
 * escapes text). Times are Europe/London wall-clock times with TZID, and the calendar carries
 * the Europe/London VTIMEZONE, so a meeting at 10am stays at 10am across the clock change in
 * any client. A meeting's UID never changes; its SEQUENCE goes up with every change, and a
 * cancelled meeting stays in the feed with STATUS:CANCELLED, which is how calendar clients
 * learn to remove it.
 */

export interface CalendarEvent {
  /** Stable for the life of the meeting (meetingUid). */
  uid: string;
  /** RFC 5545 SEQUENCE: 0 when first scheduled, one more after each change. */
  sequence: number;
  start: Date;
  durationMinutes: number;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  cancelled: boolean;
  /** When the meeting last changed (DTSTAMP and LAST-MODIFIED), so the output is stable. */
  changedAt: Date;
  organizer?: { name: string; email: string };
  attendee?: { name: string; email: string };
}

export type CalendarMethod = "PUBLISH" | "REQUEST" | "CANCEL";

export interface CalendarOptions {
  name: string;
  description?: string;
  /** iTIP method: REQUEST/CANCEL for an invitation, none (or PUBLISH) for a feed. */
  method?: CalendarMethod;
  /** How often subscribers should refresh a feed. */
  refreshMinutes?: number;
  events: readonly CalendarEvent[];
}

const METHODS = {
  PUBLISH: ICalCalendarMethod.PUBLISH,
  REQUEST: ICalCalendarMethod.REQUEST,
  CANCEL: ICalCalendarMethod.CANCEL,
} as const;

/** A meeting's UID: the same in every feed and invitation, whatever the server is called. */
export function meetingUid(workspaceId: number, meetingId: number): string {
  return `meeting-${workspaceId}-${meetingId}@boardledger`;
}

export function buildCalendar(options: CalendarOptions): string {
  const calendar = ical({
    name: options.name,
    description: options.description,
    prodId: { company: "Boardledger", product: "Boardledger", language: "EN" },
    method: options.method ? METHODS[options.method] : undefined,
    ttl: options.refreshMinutes ? options.refreshMinutes * 60 : undefined,
  });
  calendar.timezone({ name: TIME_ZONE, generator: (zone) => getVtimezoneComponent(zone) ?? "" });
  for (const event of options.events) {
    const start = new TZDate(event.start.getTime(), TIME_ZONE);
    const end = new TZDate(event.start.getTime() + event.durationMinutes * 60_000, TIME_ZONE);
    calendar.createEvent({
      id: event.uid,
      sequence: event.sequence,
      start,
      end,
      timezone: TIME_ZONE,
      stamp: event.changedAt,
      lastModified: event.changedAt,
      summary: event.summary,
      description: event.description,
      location: event.location || undefined,
      url: event.url,
      status: event.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      organizer: event.organizer,
      attendees: event.attendee
        ? [
            {
              name: event.attendee.name,
              email: event.attendee.email,
              role: ICalAttendeeRole.REQ,
              status: ICalAttendeeStatus.NEEDSACTION,
              rsvp: false,
            },
          ]
        : [],
    });
  }
  return calendar.toString();
}
