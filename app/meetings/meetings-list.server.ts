import { sql } from "kysely";
import { z } from "zod";
import type { MeetingFormat, MeetingStatus } from "../../db/schema";
import { boardScope } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { BOARD_TYPES } from "../boards/schemas";
import { offsetOf, type TableState, type TableStateOptions } from "../components/table-state";
import { refreshStaleRollups } from "../costs/rollups.server";
import { VERDICTS, type Verdict } from "../costs/verdicts";
import { MEETING_FILTERS } from "./schemas";

/*
 * /meetings and /meetings.csv: the meetings of every board the viewer reads (admins and
 * leaders: all), upcoming or past, filtered by board, London date range and status, sorted
 * and paged in SQL. Filters live in the URL (?when=&board=&from=&to=&status=&verdict=). A held
 * meeting's verdict comes from its rollup (app/costs/rollups.server.ts).
 */

export const MEETING_WHENS = ["upcoming", "past"] as const;
export type MeetingWhen = (typeof MEETING_WHENS)[number];
export const MEETING_LIST_STATUSES = [
  "scheduled",
  "held",
  "cancelled",
] as const satisfies readonly MeetingStatus[];

const SORTS = ["date", "board", "status"] as const;
export type MeetingSort = (typeof SORTS)[number];

/** Upcoming meetings soonest first; past meetings latest first. */
export function meetingTable(when: MeetingWhen): TableStateOptions<MeetingSort> {
  return {
    sortable: SORTS,
    defaultSort: "date",
    firstDirection: { date: when === "upcoming" ? "asc" : "desc" },
    defaultPageSize: 25,
  };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const calendarDate = z
  .string()
  .trim()
  .regex(ISO_DATE, "Enter a date in the format 2027-03-31")
  .refine(
    // Year 0000 parses here but is out of PostgreSQL's range for a date.
    (v) =>
      !v.startsWith("0000") &&
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
      new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      message: "Enter a real date",
    },
  );

export const meetingFilterSchema = z
  .object({
    when: z.preprocess(blankToUndefined, z.enum(MEETING_WHENS).default("upcoming")),
    board: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: "Choose a board" }).int().positive("Choose a board").optional(),
    ),
    from: z.preprocess(blankToUndefined, calendarDate.optional()),
    to: z.preprocess(blankToUndefined, calendarDate.optional()),
    status: z.preprocess(blankToUndefined, z.enum(MEETING_LIST_STATUSES).optional()),
    verdict: z.preprocess(blankToUndefined, z.enum(VERDICTS, { error: "Choose a verdict" }).optional()),
    type: z.preprocess(blankToUndefined, z.enum(BOARD_TYPES, { error: "Choose a type of board" }).optional()),
    agency: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: "Choose an agency" }).int().positive("Choose an agency").optional(),
    ),
  })
  .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, {
    message: "The end date must be the same as or after the start date",
    path: ["to"],
  });

export type MeetingFilters = z.output<typeof meetingFilterSchema>;

/** The filters of a query string, or the messages of each field that is wrong. */
export function parseMeetingFilters(
  params: URLSearchParams,
): { ok: true; filters: MeetingFilters } | { ok: false; errors: Record<string, string[]> } {
  const raw = Object.fromEntries(MEETING_FILTERS.map((k) => [k, params.get(k) ?? undefined]));
  const parsed = meetingFilterSchema.safeParse(raw);
  if (parsed.success) return { ok: true, filters: parsed.data };
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "");
    errors[key] = [...(errors[key] ?? []), issue.message];
  }
  return { ok: false, errors };
}

export interface MeetingListItem {
  id: number;
  boardId: number;
  boardName: string;
  startsAt: Date;
  durationMinutes: number;
  format: MeetingFormat;
  location: string;
  status: MeetingStatus;
  /** Held meetings only. */
  verdict: Verdict | null;
}

export interface MeetingList {
  rows: MeetingListItem[];
  total: number;
  page: number;
  pageSize: number;
}

/** The meetings the viewer reads that match the filters, without their boards (for counting). */
function filteredMeetings(viewer: Viewer, filters: MeetingFilters, now: Date) {
  const scope = boardScope(viewer);
  if (!scope.all && scope.boardIds.length === 0) return null;
  // A left join on the rollup's key: PostgreSQL drops it from a count that does not filter by verdict.
  let query = viewer.db.selectFrom("meetings as m").leftJoin("meeting_rollups as r", "r.meeting_id", "m.id");
  if (!scope.all) query = query.where("m.board_id", "in", scope.boardIds);
  query = query.where("m.starts_at", filters.when === "upcoming" ? ">=" : "<", now);
  if (filters.board !== undefined) query = query.where("m.board_id", "=", filters.board);
  if (filters.status !== undefined) query = query.where("m.status", "=", filters.status);
  if (filters.verdict !== undefined) query = query.where("r.verdict", "=", filters.verdict);
  if (filters.type !== undefined) {
    const type = filters.type;
    query = query.where("m.board_id", "in", (eb) =>
      eb.selectFrom("boards as tb").select("tb.id").where("tb.type", "=", type),
    );
  }
  if (filters.agency !== undefined) {
    // The meetings an agency was part of, as the dashboard's agency scope counts them: one
    // of its people invited, or sent as a deputy (meeting_agency_rollups, for held meetings).
    const agency = filters.agency;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("attendance as fa")
          .innerJoin("people as fp", "fp.id", "fa.person_id")
          .leftJoin("people as fd", "fd.id", "fa.deputy_person_id")
          .select(sql`1`.as("one"))
          .whereRef("fa.meeting_id", "=", "m.id")
          .where((eb) =>
            eb.or([
              eb("fp.agency_id", "=", agency),
              eb.and([eb("fa.status", "=", "deputy"), eb("fd.agency_id", "=", agency)]),
            ]),
          ),
      ),
    );
  }
  if (filters.from !== undefined)
    query = query.where(
      sql<string>`(m.starts_at at time zone 'Europe/London')::date`,
      ">=",
      sql<string>`${filters.from}::date`,
    );
  if (filters.to !== undefined)
    query = query.where(
      sql<string>`(m.starts_at at time zone 'Europe/London')::date`,
      "<=",
      sql<string>`${filters.to}::date`,
    );
  return query;
}

/** The same meetings with their boards (rows show the board's name and may sort by it). */
export function scopedMeetings(viewer: Viewer, filters: MeetingFilters, now: Date) {
  return filteredMeetings(viewer, filters, now)?.innerJoin("boards as b", "b.id", "m.board_id") ?? null;
}

const ORDER: Record<MeetingSort, "m.starts_at" | "b.name" | "m.status"> = {
  date: "m.starts_at",
  board: "b.name",
  status: "m.status",
};

/** The ORDER BY of a sort: the column, then the start and id so pages never overlap. */
export function meetingOrder(sort: MeetingSort, dir: "asc" | "desc") {
  const then = sort === "date" ? dir : "asc";
  return [
    [ORDER[sort], dir],
    ["m.starts_at", then],
    ["m.id", then],
  ] as const;
}

/** What a row of a meetings list shows. */
const LIST_COLUMNS = [
  "m.id",
  "m.board_id",
  "b.name as board_name",
  "m.starts_at",
  "m.duration_minutes",
  "m.format",
  "m.location",
  "m.status",
  "r.verdict",
] as const;

function toListItem(r: {
  id: number;
  board_id: number;
  board_name: string;
  starts_at: Date;
  duration_minutes: number;
  format: MeetingFormat;
  location: string;
  status: MeetingStatus;
  verdict: Verdict | null;
}): MeetingListItem {
  return {
    id: Number(r.id),
    boardId: Number(r.board_id),
    boardName: r.board_name,
    startsAt: new Date(r.starts_at),
    durationMinutes: r.duration_minutes,
    format: r.format,
    location: r.location,
    status: r.status,
    verdict: r.verdict,
  };
}

export async function listMeetings(
  viewer: Viewer,
  filters: MeetingFilters,
  state: TableState<MeetingSort>,
  now: Date = new Date(),
): Promise<MeetingList> {
  const { page, pageSize } = state;
  const query = scopedMeetings(viewer, filters, now);
  const counted = filteredMeetings(viewer, filters, now);
  if (!query || !counted) return { rows: [], total: 0, page, pageSize };
  await refreshStaleRollups(viewer.db);
  const [rows, count] = await Promise.all([
    meetingOrder(state.sort, state.dir)
      .reduce((q, [column, direction]) => q.orderBy(column, direction), query.select(LIST_COLUMNS))
      .limit(pageSize)
      .offset(offsetOf(state))
      .execute(),
    // Counted without the join to boards: every meeting has its board (a foreign key).
    counted.select(sql<number>`count(*)::int`.as("total")).executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map(toListItem),
    total: Number(count.total),
    page,
    pageSize,
  };
}

/** A position in a meeting list's date order: the last meeting of a page. */
export interface MeetingKey {
  startsAt: Date;
  id: number;
}

/**
 * The meetings after `after` in the list's date order (upcoming soonest first, past latest
 * first; then id), at most `limit`, and the key to continue from (null at the end): keyset
 * pages for the JSON API, which never repeat or skip a meeting when others are added.
 */
export async function listMeetingsAfter(
  viewer: Viewer,
  filters: MeetingFilters,
  after: MeetingKey | null,
  limit: number,
  now: Date = new Date(),
): Promise<{ rows: MeetingListItem[]; next: MeetingKey | null }> {
  let query = scopedMeetings(viewer, filters, now);
  if (!query) return { rows: [], next: null };
  const dir = filters.when === "upcoming" ? "asc" : "desc";
  if (after) {
    const position = sql`(m.starts_at, m.id)`;
    const key = sql`(${after.startsAt}::timestamptz, ${after.id})`;
    query = query.where(
      dir === "asc" ? sql<boolean>`${position} > ${key}` : sql<boolean>`${position} < ${key}`,
    );
  }
  const rows = await meetingOrder("date", dir)
    .reduce((q, [column, direction]) => q.orderBy(column, direction), query.select(LIST_COLUMNS))
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toListItem);
  const last = items.at(-1);
  return { rows: items, next: rows.length > limit && last ? { startsAt: last.startsAt, id: last.id } : null };
}

/** The boards the viewer may filter by. */
/** The agencies a meetings list may be filtered by. */
export async function meetingAgencyOptions(viewer: Viewer): Promise<{ id: number; name: string }[]> {
  const agencies = await viewer.db.selectFrom("agencies").select(["id", "name"]).orderBy("name").execute();
  return agencies.map((a) => ({ id: Number(a.id), name: a.name }));
}

export async function meetingBoardOptions(viewer: Viewer): Promise<{ id: number; name: string }[]> {
  const scope = boardScope(viewer);
  if (!scope.all && scope.boardIds.length === 0) return [];
  let query = viewer.db.selectFrom("boards").select(["id", "name"]).orderBy("name");
  if (!scope.all) query = query.where("id", "in", scope.boardIds);
  return (await query.execute()).map((b) => ({ id: Number(b.id), name: b.name }));
}
