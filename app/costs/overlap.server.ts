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

export async function boardOverlaps(
  db: WorkspaceDb,
  options: { today?: string; boardId?: number } = {},
): Promise<{ period: Period; pairs: BoardOverlap[] }> {
  await refreshStaleRollups(db);
  const ws = workspaceIdOf(db);
  const period = lastTwelveMonths(options.today ?? londonDate());
  const result = await sql<{
    board_a: number;
    name_a: string;
    people_a: number;
    pence_a: number;
    board_b: number;
    name_b: string;
    people_b: number;
    pence_b: number;
    shared: number;
    saving_pence: number;
    shared_names: string[];
  }>`
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
      select p.*, sa.people as people_a, sb.people as people_b,
        p.shared::numeric / (sa.people + sb.people - p.shared) as jaccard
      from pairs p
      join sizes sa on sa.board_id = p.board_a
      join sizes sb on sb.board_id = p.board_b
      where p.shared::numeric / (sa.people + sb.people - p.shared) >= ${OVERLAP_THRESHOLD}
        ${options.boardId === undefined ? sql`` : sql`and ${options.boardId} in (p.board_a, p.board_b)`}
    )
    select s.board_a, ba.name as name_a, s.people_a, ca.pence as pence_a,
      s.board_b, bb.name as name_b, s.people_b, cb.pence as pence_b, s.shared,
      round(least(ca.pence, cb.pence)::numeric * s.shared / (s.people_a + s.people_b - s.shared))::bigint as saving_pence,
      array(select pe.full_name from people pe
            where pe.workspace_id = ${ws} and pe.id = any(s.shared_ids) order by pe.full_name) as shared_names
    from scored s
    join costs ca on ca.board_id = s.board_a
    join costs cb on cb.board_id = s.board_b
    join boards ba on ba.workspace_id = ${ws} and ba.id = s.board_a
    join boards bb on bb.workspace_id = ${ws} and bb.id = s.board_b
    -- Most worth merging first.
    order by saving_pence desc, s.jaccard desc, ba.name, bb.name`.execute(db);

  const pairs = result.rows.map((r): BoardOverlap => {
    const people = r.people_a + r.people_b - r.shared;
    const jaccard = r.shared / people;
    return {
      boards: [
        { id: r.board_a, name: r.name_a, people: r.people_a, annualPence: Number(r.pence_a) },
        { id: r.board_b, name: r.name_b, people: r.people_b, annualPence: Number(r.pence_b) },
      ],
      sharedPeople: r.shared,
      people,
      jaccard,
      savingPence: Number(r.saving_pence),
      sharedNames: r.shared_names,
    };
  });
  return { period, pairs };
}
