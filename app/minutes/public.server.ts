import { notFound } from "../auth/authorise.server";
import { offsetOf, type TableState, type TableStateOptions } from "../components/table-state";
import type { PublicBoard, PublicWorkspace } from "../public/public.server";
import { type MinutesDocument, minutesDocument } from "./document.server";
import { type MinutesSnapshot, parseSnapshot } from "./snapshot";

/*
 * Published minutes for the public pages and feeds. What the public reads is always the
 * latest *published version* of a meeting's minutes (a snapshot), never the live tables:
 * re-opened minutes stay as last published until they are published again. Only boards
 * whose visibility is public; OFFICIAL-SENSITIVE items reduced per the board's setting
 * (see document.server.ts) before anything is rendered.
 */

export interface PublishedEntry {
  meetingId: number;
  minutesId: number;
  boardId: number;
  boardSlug: string;
  boardName: string;
  meetingStartsAt: Date;
  /** The latest published version. */
  version: number;
  /** When the minutes were first published, and when last (re)published. */
  firstPublishedAt: Date;
  publishedAt: Date;
}

function publishedQuery(workspace: PublicWorkspace) {
  return workspace.db
    .selectFrom("minute_versions as v")
    .innerJoin("minutes as mn", "mn.id", "v.minutes_id")
    .innerJoin("meetings as m", "m.id", "mn.meeting_id")
    .innerJoin("boards as b", "b.id", "m.board_id")
    .where("v.status", "=", "published")
    .where("b.visibility", "=", "public")
    .groupBy(["mn.id", "m.id", "m.starts_at", "b.id", "b.slug", "b.name"])
    .select((eb) => [
      "m.id as meeting_id",
      "mn.id as minutes_id",
      "b.id as board_id",
      "b.slug as board_slug",
      "b.name as board_name",
      "m.starts_at",
      eb.fn.max("v.version").as("version"),
      eb.fn.min("v.created_at").as("first_published_at"),
      eb.fn.max("v.created_at").as("published_at"),
    ]);
}

type PublishedRow = Awaited<ReturnType<ReturnType<typeof publishedQuery>["execute"]>>[number];

function toEntry(row: PublishedRow): PublishedEntry {
  return {
    meetingId: Number(row.meeting_id),
    minutesId: Number(row.minutes_id),
    boardId: Number(row.board_id),
    boardSlug: row.board_slug,
    boardName: row.board_name,
    meetingStartsAt: new Date(row.starts_at),
    version: Number(row.version),
    firstPublishedAt: new Date(row.first_published_at),
    publishedAt: new Date(row.published_at),
  };
}

export const PUBLISHED_TABLE: TableStateOptions<"meeting"> = {
  sortable: ["meeting"],
  defaultSort: "meeting",
  firstDirection: { meeting: "desc" },
  defaultPageSize: 20,
  maxPageSize: 100,
};

/** A board's published minutes, by meeting date (newest first by default), a page at a time. */
export async function boardPublishedMinutes(
  workspace: PublicWorkspace,
  board: PublicBoard,
  state: TableState<"meeting">,
): Promise<{ entries: PublishedEntry[]; total: number }> {
  const rows = await publishedQuery(workspace)
    .where("b.id", "=", board.id)
    .orderBy("m.starts_at", state.dir)
    .orderBy("m.id", state.dir)
    .limit(state.pageSize)
    .offset(offsetOf(state))
    .execute();
  const total = await workspace.db
    .selectFrom("minutes as mn")
    .innerJoin("meetings as m", "m.id", "mn.meeting_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("m.board_id", "=", board.id)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("minute_versions as v")
          .select("v.id")
          .whereRef("v.minutes_id", "=", "mn.id")
          .where("v.status", "=", "published"),
      ),
    )
    .executeTakeFirstOrThrow();
  return { entries: rows.map(toEntry), total: Number(total.n) };
}

/** The most recently (re)published minutes, for a feed: of one board, or of every public board. */
export async function recentlyPublished(
  workspace: PublicWorkspace,
  options: { boardId?: number; limit?: number } = {},
): Promise<PublishedEntry[]> {
  let query = publishedQuery(workspace);
  if (options.boardId !== undefined) query = query.where("b.id", "=", options.boardId);
  const rows = await query
    .orderBy((eb) => eb.fn.max("v.created_at"), "desc")
    .orderBy("mn.id", "desc")
    .limit(options.limit ?? 50)
    .execute();
  return rows.map(toEntry);
}

/** The snapshots of these published versions, by minutes id, in one query. */
async function publishedSnapshots(
  workspace: PublicWorkspace,
  entries: readonly PublishedEntry[],
): Promise<Map<number, MinutesSnapshot>> {
  if (entries.length === 0) return new Map();
  const rows = await workspace.db
    .selectFrom("minute_versions")
    .select(["minutes_id", "snapshot"])
    .where("status", "=", "published")
    .where((eb) =>
      eb.or(entries.map((e) => eb.and([eb("minutes_id", "=", e.minutesId), eb("version", "=", e.version)]))),
    )
    .execute();
  const snapshots = new Map<number, MinutesSnapshot>();
  for (const row of rows) {
    const snapshot = parseSnapshot(row.snapshot);
    if (snapshot) snapshots.set(Number(row.minutes_id), snapshot);
  }
  return snapshots;
}

/** One meeting's published minutes on a public board; 404 if never published. */
export async function publishedMinutesOf(
  workspace: PublicWorkspace,
  board: PublicBoard,
  meetingId: number,
): Promise<{ entry: PublishedEntry; document: MinutesDocument }> {
  if (!Number.isSafeInteger(meetingId) || meetingId <= 0) notFound();
  const row = await publishedQuery(workspace)
    .where("b.id", "=", board.id)
    .where("m.id", "=", meetingId)
    .executeTakeFirst();
  if (!row) notFound();
  const entry = toEntry(row);
  const snapshot = (await publishedSnapshots(workspace, [entry])).get(entry.minutesId);
  if (!snapshot) notFound();
  return {
    entry,
    document: minutesDocument(snapshot, { public: true, sensitive: board.sensitiveItemsPublic }),
  };
}

/** The public documents of feed entries, each reduced per its own board's setting. */
export async function feedDocuments(
  workspace: PublicWorkspace,
  entries: readonly PublishedEntry[],
): Promise<Map<number, MinutesDocument>> {
  const settings = new Map(
    (
      await workspace.db
        .selectFrom("boards")
        .select(["id", "sensitive_items_public"])
        .where("id", "in", [0, ...new Set(entries.map((e) => e.boardId))])
        .execute()
    ).map((b) => [Number(b.id), b.sensitive_items_public]),
  );
  const snapshots = await publishedSnapshots(workspace, entries);
  const documents = new Map<number, MinutesDocument>();
  for (const entry of entries) {
    const snapshot = snapshots.get(entry.minutesId);
    // A board's setting missing (it cannot be) would hide its sensitive items, never show them.
    const sensitive = settings.get(entry.boardId) ?? "hidden";
    if (snapshot) documents.set(entry.minutesId, minutesDocument(snapshot, { public: true, sensitive }));
  }
  return documents;
}

/** A public board's next meetings (scheduled, or cancelled so people know), soonest first. */
export async function upcomingMeetings(
  workspace: PublicWorkspace,
  board: PublicBoard,
  now: Date = new Date(),
  limit = 10,
) {
  const rows = await workspace.db
    .selectFrom("meetings")
    .select(["id", "starts_at", "duration_minutes", "format", "location", "status"])
    .where("board_id", "=", board.id)
    .where("starts_at", ">=", now)
    .where("status", "in", ["scheduled", "cancelled"])
    .orderBy("starts_at")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    startsAt: new Date(r.starts_at),
    durationMinutes: r.duration_minutes,
    format: r.format,
    location: r.location,
    status: r.status,
  }));
}
