import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { Database, MeetingFormat, MeetingStatus } from "../../db/schema";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { MEETING_FORMAT_LABELS } from "../boards/labels";
import { links } from "../mail/links.server";
import { getReadableMeeting } from "../meetings/meetings.server";
import { buildCalendar, type CalendarEvent, meetingUid } from "./icalendar.server";

/*
 * Calendars people subscribe to or download:
 * - a public board's feed (/public/:workspaceSlug/boards/:boardSlug/meetings.ics): its
 *   meetings from a year ago on, cancelled ones kept with STATUS:CANCELLED so subscribed
 *   calendars drop them. Anonymous readers see when and roughly where: a virtual meeting's
 *   joining details, or any link in a location, never reach the public feed.
 * - one meeting's .ics for those who may read its board (the invitation emails link to it).
 * Agenda items never appear in either: titles can be OFFICIAL-SENSITIVE.
 */

const FEED_MONTHS_BACK = 12;
const FEED_LIMIT = 1_000;
const URL_IN_TEXT = /\b(?:https?:\/\/|www\.)\S+/gi;

interface MeetingRow {
  id: number;
  starts_at: Date;
  duration_minutes: number;
  format: MeetingFormat;
  location: string;
  status: MeetingStatus;
  sequence: number;
  updated_at: Date;
}

/** Where a public reader is told the meeting is: the place for in-person meetings, never a joining link. */
function publicLocation(row: Pick<MeetingRow, "format" | "location">): string | undefined {
  if (row.format === "virtual") return MEETING_FORMAT_LABELS.virtual;
  const place = row.location
    .replace(URL_IN_TEXT, "")
    .replace(/\s{2,}/g, " ")
    .trim();
  return place || undefined;
}

function event(
  workspaceId: number,
  boardName: string,
  row: MeetingRow,
  shown: { location: string | undefined; url: string; description: string },
): CalendarEvent {
  return {
    uid: meetingUid(workspaceId, Number(row.id)),
    sequence: row.sequence,
    start: new Date(row.starts_at),
    durationMinutes: row.duration_minutes,
    summary: row.status === "cancelled" ? `Cancelled: ${boardName}` : boardName,
    description: shown.description,
    location: shown.location,
    url: shown.url,
    cancelled: row.status === "cancelled",
    changedAt: new Date(row.updated_at),
  };
}

const meetingColumns = [
  "m.id",
  "m.starts_at",
  "m.duration_minutes",
  "m.format",
  "m.location",
  "m.status",
  "m.sequence",
  "m.updated_at",
] as const;

/** The public board (visibility public, not archived) with these slugs; else 404. */
async function publicBoard(db: Kysely<Database>, workspaceSlug: string, boardSlug: string) {
  const workspace = await db
    .selectFrom("workspaces")
    .select(["id", "name"])
    .where("slug", "=", workspaceSlug)
    .executeTakeFirst();
  if (!workspace) notFound();
  const scoped: WorkspaceDb = scopeToWorkspace(db, Number(workspace.id));
  const board = await scoped
    .selectFrom("boards")
    .select(["id", "name", "slug"])
    .where("slug", "=", boardSlug)
    .where("visibility", "=", "public")
    .where("archived_at", "is", null)
    .executeTakeFirst();
  if (!board) notFound();
  return { db: scoped, workspaceId: Number(workspace.id), workspaceName: workspace.name, board };
}

/** The iCalendar feed of a public board's meetings; 404 for a private, archived or unknown board. */
export async function publicBoardFeed(
  db: Kysely<Database>,
  workspaceSlug: string,
  boardSlug: string,
): Promise<string> {
  const { db: scoped, workspaceId, workspaceName, board } = await publicBoard(db, workspaceSlug, boardSlug);
  const rows = await scoped
    .selectFrom("meetings as m")
    .select(meetingColumns)
    .where("m.board_id", "=", board.id)
    .where("m.starts_at", ">=", sql<Date>`now() - make_interval(months => ${FEED_MONTHS_BACK})`)
    .orderBy("m.starts_at")
    .orderBy("m.id")
    .limit(FEED_LIMIT)
    .execute();
  const boardPage = links.publicBoard(workspaceSlug, board.slug);
  return buildCalendar({
    name: `${board.name} meetings`,
    description: `Meetings of the ${board.name} (${workspaceName})`,
    refreshMinutes: 60,
    events: rows.map((row) =>
      event(workspaceId, board.name, row, {
        location: publicLocation(row),
        url: boardPage,
        description: `Published minutes and upcoming meetings: ${boardPage}`,
      }),
    ),
  });
}

/** One meeting as an .ics file, for a reader of its board (404 otherwise). */
export async function meetingCalendarFile(
  viewer: Viewer,
  meetingId: number,
): Promise<{ filename: string; text: string }> {
  const meeting = await getReadableMeeting(viewer, meetingId);
  const row = await viewer.db
    .selectFrom("meetings as m")
    .select(meetingColumns)
    .where("m.id", "=", meeting.id)
    .executeTakeFirst();
  if (!row) notFound();
  const url = links.meeting(meeting.id);
  const text = buildCalendar({
    name: meeting.boardName,
    method: "PUBLISH",
    events: [
      event(viewer.workspace.id, meeting.boardName, row, {
        location: row.location || (row.format === "virtual" ? MEETING_FORMAT_LABELS.virtual : undefined),
        url,
        description: `Agenda and papers: ${url}`,
      }),
    ],
  });
  return { filename: `meeting-${meeting.id}.ics`, text };
}

export function calendarResponse(text: string, filename: string, options: { public: boolean }): Response {
  return new Response(text, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Cache-Control": options.public ? "public, max-age=300" : "private, no-store",
    },
  });
}
