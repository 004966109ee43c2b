import { sql } from "kysely";
import { startOfLondonDay } from "../audit/date-range";
import { can } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { parseTableState } from "../components/table-state";
import { londonDate } from "../format";
import { DEFAULT_PLAN_MONTHS, PLAN_MONTHS, type PlanMonths, RESTRICTED_TITLE } from "./plan";

/*
 * The forward plan (issue 4): the decisions coming up across every board the viewer reads,
 * drawn from the agendas of scheduled meetings from today (London) for the next 3, 6 or 12
 * months. Filterable by board and by agency (the presenter's agency); the URL holds the
 * filters and the page. OFFICIAL-SENSITIVE titles need `can.readSensitive` on the board.
 */

export interface ForwardPlanFilter {
  months: PlanMonths;
  boardId: number | null;
  agencyId: number | null;
  page: number;
  pageSize: number;
}

export interface ForwardPlanItem {
  id: number;
  meetingId: number;
  boardId: number;
  boardName: string;
  startsAt: Date;
  title: string;
  restricted: boolean;
  presenterName: string | null;
  presenterAgency: string | null;
}

export interface ForwardPlan {
  filter: ForwardPlanFilter;
  from: string;
  until: string;
  items: ForwardPlanItem[];
  total: number;
  boards: { id: number; name: string }[];
  agencies: { id: number; name: string }[];
}

function id(value: string | null): number | null {
  if (value === null || !/^\d{1,15}$/.test(value)) return null;
  const n = Number(value);
  return n > 0 ? n : null;
}

export function parseForwardPlanFilter(params: URLSearchParams): ForwardPlanFilter {
  const months = PLAN_MONTHS.find((m) => String(m) === params.get("months")) ?? DEFAULT_PLAN_MONTHS;
  const { page, pageSize } = parseTableState(params, { sortable: ["date"], defaultSort: "date" });
  return { months, boardId: id(params.get("board")), agencyId: id(params.get("agency")), page, pageSize };
}

/** "2026-11-30" plus 3 months → "2027-02-28" (the day kept where the month has it). */
export function addMonthsToIsoDate(isoDate: string, months: number): string {
  const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(day, lastDay));
  return first.toISOString().slice(0, 10);
}

/** The boards whose agendas the viewer reads: all (admins, leaders) or these. */
function readableBoards(viewer: Viewer): { all: true } | { all: false; ids: number[] } {
  const r = viewer.roles;
  if (r.admin || r.leader) return { all: true };
  return {
    all: false,
    ids: [...new Set([...r.secretaryOf, ...r.memberOf])].filter((b) => can.readBoard(viewer, b)),
  };
}

export async function getForwardPlan(
  viewer: Viewer,
  filter: ForwardPlanFilter,
  now: Date = new Date(),
): Promise<ForwardPlan> {
  const from = londonDate(now);
  const until = addMonthsToIsoDate(from, filter.months);
  const scope = readableBoards(viewer);
  const empty = !scope.all && scope.ids.length === 0;

  let boardsQuery = viewer.db.selectFrom("boards").select(["id", "name"]).orderBy("name").orderBy("id");
  if (!scope.all)
    boardsQuery = empty ? boardsQuery.where(sql<boolean>`false`) : boardsQuery.where("id", "in", scope.ids);

  let plan = viewer.db
    .selectFrom("agenda_items as ai")
    .innerJoin("meetings as m", "m.id", "ai.meeting_id")
    .innerJoin("boards as b", "b.id", "m.board_id")
    .leftJoin("people as p", "p.id", "ai.presenter_person_id")
    .leftJoin("agencies as ag", "ag.id", "p.agency_id")
    .select([
      "ai.id",
      "ai.title",
      "ai.classification",
      "m.id as meeting_id",
      "m.starts_at",
      "b.id as board_id",
      "b.name as board_name",
      "p.full_name as presenter_name",
      "ag.name as presenter_agency",
      sql<string>`count(*) over ()`.as("total"),
    ])
    .where("ai.purpose", "=", "decision")
    .where("m.status", "=", "scheduled")
    .where("m.starts_at", ">=", startOfLondonDay(from))
    .where("m.starts_at", "<", startOfLondonDay(until));
  if (!scope.all) plan = plan.where("m.board_id", "in", empty ? [0] : scope.ids);
  if (filter.boardId !== null) plan = plan.where("m.board_id", "=", filter.boardId);
  if (filter.agencyId !== null) plan = plan.where("p.agency_id", "=", filter.agencyId);

  const [rows, boards, agencies] = await Promise.all([
    empty
      ? Promise.resolve([])
      : plan
          .orderBy("m.starts_at")
          .orderBy("b.name")
          .orderBy("m.id")
          .orderBy("ai.position")
          .orderBy("ai.id")
          .limit(filter.pageSize)
          .offset((filter.page - 1) * filter.pageSize)
          .execute(),
    boardsQuery.execute(),
    viewer.db
      .selectFrom("agencies")
      .select(["id", "name"])
      .where("archived_at", "is", null)
      .orderBy("name")
      .orderBy("id")
      .execute(),
  ]);

  return {
    filter,
    from,
    until,
    total: rows.length > 0 ? Number(rows[0]?.total) : 0,
    items: rows.map((row) => {
      const restricted =
        row.classification === "official_sensitive" && !can.readSensitive(viewer, Number(row.board_id));
      return {
        id: Number(row.id),
        meetingId: Number(row.meeting_id),
        boardId: Number(row.board_id),
        boardName: row.board_name,
        startsAt: new Date(row.starts_at),
        title: restricted ? RESTRICTED_TITLE : row.title,
        restricted,
        presenterName: row.presenter_name,
        presenterAgency: row.presenter_agency,
      };
    }),
    boards: boards.map((b) => ({ id: Number(b.id), name: b.name })),
    agencies: agencies.map((a) => ({ id: Number(a.id), name: a.name })),
  };
}
