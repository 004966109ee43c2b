import { sql } from "kysely";
import { type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { can, ensure, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { londonDate } from "../format";
import { costedAttendanceSql } from "./costs.server";
import type { Period } from "./periods";
import { refreshStaleRollups } from "./rollups.server";

/*
 * What partnership meetings cost each agency: the burden of one agency (per board and in
 * total, and the people and grades carrying it) and the scorecard of every agency. Totals
 * come from meeting_agency_rollups; the people from the attendance register priced by the
 * one cost model (costedAttendanceSql). Salary-level detail: admins and leaders only.
 */

export interface AgencyBurdenTotals {
  meetings: number;
  personMinutes: number;
  costPence: number;
}

export interface AgencyBurden {
  agency: { id: number; name: string };
  period: Period;
  totals: AgencyBurdenTotals;
  byBoard: (AgencyBurdenTotals & { boardId: number; boardName: string })[];
  people: (AgencyBurdenTotals & { personId: number; name: string; gradeName: string | null })[];
  grades: (AgencyBurdenTotals & { gradeName: string | null; people: number })[];
}

const burdenColumns = sql`
  (count(*) filter (where ar.attended > 0))::int as meetings,
  coalesce(sum(ar.person_minutes), 0)::bigint as person_minutes,
  coalesce(sum(ar.cost_pence), 0)::bigint as cost_pence`;

interface BurdenRow {
  meetings: number;
  person_minutes: number;
  cost_pence: number;
}

const burdenOf = (r: BurdenRow): AgencyBurdenTotals => ({
  meetings: r.meetings,
  personMinutes: Number(r.person_minutes),
  costPence: Number(r.cost_pence),
});

/** An agency's burden over a period, or null if the agency does not exist in this workspace. */
export async function agencyBurden(
  db: WorkspaceDb,
  agencyId: number,
  period: Period,
): Promise<AgencyBurden | null> {
  const agency = await db
    .selectFrom("agencies")
    .select(["id", "name"])
    .where("id", "=", agencyId)
    .executeTakeFirst();
  if (!agency) return null;
  await refreshStaleRollups(db);
  const ws = workspaceIdOf(db);
  const inPeriod = sql`ar.agency_id = ${agencyId} and ar.held_on between ${period.from}::date and ${period.to}::date`;
  const heldMeetings = sql`select r.meeting_id from meeting_rollups r
    where r.workspace_id = ${ws} and r.held_on between ${period.from}::date and ${period.to}::date`;

  const [totals, byBoard, people] = await Promise.all([
    sql<BurdenRow>`select ${burdenColumns} from meeting_agency_rollups ar where ar.workspace_id = ${ws} and ${inPeriod}`.execute(
      db,
    ),
    sql<BurdenRow & { board_id: number; board_name: string }>`
      select ar.board_id, b.name as board_name, ${burdenColumns}
      from meeting_agency_rollups ar
      join boards b on b.workspace_id = ar.workspace_id and b.id = ar.board_id
      where ar.workspace_id = ${ws} and ${inPeriod}
      group by ar.board_id, b.name
      order by cost_pence desc, b.name`.execute(db),
    // People and grades in one pass over the priced register: grouping sets, one per level.
    sql<
      BurdenRow & { person_id: number | null; name: string | null; grade_name: string | null; people: number }
    >`
      select ca.costed_person_id as person_id, ca.costed_name as name, ca.grade_name,
        count(distinct ca.costed_person_id)::int as people,
        count(distinct ca.meeting_id)::int as meetings,
        sum(ca.minutes_present + ca.travel_minutes + ca.preparation_minutes)::bigint as person_minutes,
        sum(ca.cost_pence)::bigint as cost_pence
      from (${costedAttendanceSql(ws, sql`a.meeting_id in (${heldMeetings})`)}) ca
      where ca.workspace_id = ${ws} and ca.agency_id = ${agencyId}
      group by grouping sets ((ca.costed_person_id, ca.costed_name, ca.grade_name), (ca.grade_name))
      order by cost_pence desc, name`.execute(db),
  ]);
  return {
    agency,
    period,
    totals: burdenOf(totals.rows[0]!),
    byBoard: byBoard.rows.map((r) => ({ ...burdenOf(r), boardId: r.board_id, boardName: r.board_name })),
    people: people.rows.flatMap((r) =>
      r.person_id === null || r.name === null
        ? []
        : [{ ...burdenOf(r), personId: r.person_id, name: r.name, gradeName: r.grade_name }],
    ),
    grades: people.rows.flatMap((r) =>
      r.person_id === null ? [{ ...burdenOf(r), gradeName: r.grade_name, people: r.people }] : [],
    ),
  };
}

export interface AgencyScore {
  agencyId: number;
  agencyName: string;
  invited: number;
  attended: number;
  apologies: number;
  absent: number;
  deputies: number;
  attendanceRate: number | null;
  deputyRate: number | null;
  overdueActions: number;
  costPence: number;
  personMinutes: number;
  /** This agency's share of the cost of every agency, 0–1. */
  costShare: number | null;
}

/** Every agency's scorecard across every board over a period (overdue actions: as of today). */
export async function agencyScorecard(
  db: WorkspaceDb,
  period: Period,
  today: string = londonDate(),
): Promise<AgencyScore[]> {
  await refreshStaleRollups(db);
  const ws = workspaceIdOf(db);
  const result = await sql<{
    agency_id: number;
    agency_name: string;
    invited: number;
    attended: number;
    apologies: number;
    absent: number;
    deputies: number;
    cost_pence: number;
    person_minutes: number;
    overdue: number;
    total_pence: number;
  }>`
    with scores as (
      select ar.agency_id, sum(ar.invited)::int as invited, sum(ar.attended)::int as attended,
        sum(ar.apologies)::int as apologies, sum(ar.absent)::int as absent, sum(ar.deputies)::int as deputies,
        sum(ar.cost_pence)::bigint as cost_pence, sum(ar.person_minutes)::bigint as person_minutes
      from meeting_agency_rollups ar
      where ar.workspace_id = ${ws} and ar.held_on between ${period.from}::date and ${period.to}::date
      group by ar.agency_id
    ),
    overdue as (
      select a.owner_agency_id as agency_id, count(*)::int as overdue
      from actions a
      where a.workspace_id = ${ws} and a.status in ('open', 'in_progress') and a.due_date < ${today}::date
      group by a.owner_agency_id
    )
    select ag.id as agency_id, ag.name as agency_name,
      coalesce(s.invited, 0) as invited, coalesce(s.attended, 0) as attended,
      coalesce(s.apologies, 0) as apologies, coalesce(s.absent, 0) as absent,
      coalesce(s.deputies, 0) as deputies, coalesce(s.cost_pence, 0)::bigint as cost_pence,
      coalesce(s.person_minutes, 0)::bigint as person_minutes, coalesce(o.overdue, 0) as overdue,
      (sum(coalesce(s.cost_pence, 0)) over ())::bigint as total_pence
    from agencies ag
    left join scores s on s.agency_id = ag.id
    left join overdue o on o.agency_id = ag.id
    where ag.workspace_id = ${ws} and (ag.archived_at is null or s.agency_id is not null)
    order by cost_pence desc, ag.name`.execute(db);
  return result.rows.map((r) => ({
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    invited: r.invited,
    attended: r.attended,
    apologies: r.apologies,
    absent: r.absent,
    deputies: r.deputies,
    attendanceRate: r.invited > 0 ? r.attended / r.invited : null,
    deputyRate: r.attended > 0 ? r.deputies / r.attended : null,
    overdueActions: r.overdue,
    costPence: Number(r.cost_pence),
    personMinutes: Number(r.person_minutes),
    costShare: Number(r.total_pence) > 0 ? Number(r.cost_pence) / Number(r.total_pence) : null,
  }));
}

/** The agency burden page and the API's agency rollup: admins and leaders only (404 otherwise). */
export async function getAgencyBurden(
  viewer: Viewer,
  agencyId: number,
  period: Period,
): Promise<AgencyBurden> {
  ensure(can.readDashboards(viewer));
  return (await agencyBurden(viewer.db, agencyId, period)) ?? notFound();
}
