import { sql } from "kysely";
import { type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { londonDate } from "../format";
import { lastTwelveMonths, type Period } from "./periods";
import { refreshStaleRollups } from "./rollups.server";

/*
 * Boards whose attendees overlap heavily: the Jaccard index of the sets of people who
 * attended each board's held meetings in the last twelve months (a deputy counts as the
 * person who came), |A ∩ B| ÷ |A ∪ B|, at or above OVERLAP_THRESHOLD. The suggested saving
 * if merged is the cheaper board's twelve-month cost in proportion to the overlap: the
 * share of its meetings' people who would be in the room at the other board anyway.
 */

export const OVERLAP_THRESHOLD = 0.5;

export interface BoardOverlap {
  boards: [OverlapBoard, OverlapBoard];
  sharedPeople: number;
  /** Everyone who attended either board. */
  people: number;
  jaccard: number;
  savingPence: number;
  /** Up to ten of the people in common, by name. */
  sharedNames: string[];
}

export interface OverlapBoard {
  id: number;
  name: string;
  people: number;
  annualPence: number;
}

/** A pair's figures as the heavy query gives them: ids only, so names are always read fresh. */
interface PairFigures {
  board_a: number;
  people_a: number;
  pence_a: number;
  board_b: number;
  people_b: number;
  pence_b: number;
  shared: number;
  saving_pence: number;
  shared_ids: number[];
}

/*
 * The pairs read a year of registers (a third of `attendance` at 100,000 meetings: about
 * 300 ms), yet change only when the rollups do or the twelve months move on a day. So the
 * figures are kept per workspace, period and rollup watermark (`rollups_complete_until`,
 * moved by every refresh, which every register change causes): any change makes a new key,
 * and a stale entry is never read again. Names are joined afresh on every call.
 */
const FIGURES_KEPT = 32;
const figuresCache = new Map<string, Promise<PairFigures[]>>();

async function pairFigures(db: WorkspaceDb, period: Period): Promise<PairFigures[]> {
  const ws = workspaceIdOf(db);
  const watermark = await db
    .selectFrom("workspaces")
    .select(sql<string | null>`rollups_complete_until::text`.as("until"))
    .where("id", "=", ws)
    .executeTakeFirst();
  const key = `${ws}|${period.from}|${period.to}|${watermark?.until ?? ""}`;
  const kept = figuresCache.get(key);
  if (kept) return kept;
  const computing = computePairFigures(db, period);
  figuresCache.set(key, computing);
  // A failed computation is not kept; the oldest entries go first.
  computing.catch(() => figuresCache.delete(key));
  while (figuresCache.size > FIGURES_KEPT) figuresCache.delete(figuresCache.keys().next().value as string);
  return computing;
}

async function computePairFigures(db: WorkspaceDb, period: Period): Promise<PairFigures[]> {
  const ws = workspaceIdOf(db);
  const result = await sql<PairFigures>`
    with attended as (
      select distinct r.board_id, coalesce(a.deputy_person_id, a.person_id) as person_id
      from meeting_rollups r
      join attendance a on a.workspace_id = r.workspace_id and a.meeting_id = r.meeting_id
      where r.workspace_id = ${ws} and r.held_on between ${period.from}::date and ${period.to}::date
        and a.status in ('attended', 'deputy')
    ),
    sizes as (select board_id, count(*)::int as people from attended group by board_id),
    costs as (
      select r.board_id, sum(r.cost_pence)::bigint as pence from meeting_rollups r
      where r.workspace_id = ${ws} and r.held_on between ${period.from}::date and ${period.to}::date
      group by r.board_id
    ),
    pairs as (
      select x.board_id as board_a, y.board_id as board_b, count(*)::int as shared,
        (array_agg(x.person_id order by x.person_id))[1:10] as shared_ids
      from attended x join attended y on y.person_id = x.person_id and y.board_id > x.board_id
      group by x.board_id, y.board_id
    ),
    -- Scored before anything else is joined: a few hundred pairs at most, most of them dropped here.
    scored as materialized (
      select p.*, sa.people as people_a, sb.people as people_b
      from pairs p
      join sizes sa on sa.board_id = p.board_a
      join sizes sb on sb.board_id = p.board_b
      where p.shared::numeric / (sa.people + sb.people - p.shared) >= ${OVERLAP_THRESHOLD}
    )
    select s.board_a, s.people_a, ca.pence as pence_a, s.board_b, s.people_b, cb.pence as pence_b, s.shared,
      round(least(ca.pence, cb.pence)::numeric * s.shared / (s.people_a + s.people_b - s.shared))::bigint as saving_pence,
      s.shared_ids
    from scored s
    join costs ca on ca.board_id = s.board_a
    join costs cb on cb.board_id = s.board_b`.execute(db);
  return result.rows;
}

export async function boardOverlaps(
  db: WorkspaceDb,
  options: { today?: string; boardId?: number } = {},
): Promise<{ period: Period; pairs: BoardOverlap[] }> {
  await refreshStaleRollups(db);
  const period = lastTwelveMonths(options.today ?? londonDate());
  const figures = (await pairFigures(db, period)).filter(
    (r) => options.boardId === undefined || r.board_a === options.boardId || r.board_b === options.boardId,
  );
  if (figures.length === 0) return { period, pairs: [] };

  const boardIds = [...new Set(figures.flatMap((r) => [r.board_a, r.board_b]))];
  const personIds = [...new Set(figures.flatMap((r) => r.shared_ids))];
  const [boards, people] = await Promise.all([
    db.selectFrom("boards").select(["id", "name"]).where("id", "in", boardIds).execute(),
    db.selectFrom("people").select(["id", "full_name"]).where("id", "in", personIds).execute(),
  ]);
  const boardName = new Map(boards.map((b) => [Number(b.id), b.name]));
  const personName = new Map(people.map((p) => [Number(p.id), p.full_name]));
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

  const pairs = figures.map((r): BoardOverlap => {
    const everyone = r.people_a + r.people_b - r.shared;
    return {
      boards: [
        {
          id: r.board_a,
          name: boardName.get(r.board_a) ?? "",
          people: r.people_a,
          annualPence: Number(r.pence_a),
        },
        {
          id: r.board_b,
          name: boardName.get(r.board_b) ?? "",
          people: r.people_b,
          annualPence: Number(r.pence_b),
        },
      ],
      sharedPeople: r.shared,
      people: everyone,
      jaccard: r.shared / everyone,
      savingPence: Number(r.saving_pence),
      sharedNames: r.shared_ids.map((id) => personName.get(Number(id)) ?? "").sort(byName),
    };
  });
  // Most worth merging first (a few hundred pairs at most: ordered here, with the names).
  pairs.sort(
    (a, b) =>
      b.savingPence - a.savingPence ||
      b.jaccard - a.jaccard ||
      byName(a.boards[0].name, b.boards[0].name) ||
      byName(a.boards[1].name, b.boards[1].name),
  );
  return { period, pairs };
}
