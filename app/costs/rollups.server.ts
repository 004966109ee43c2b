import { sql } from "kysely";
import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { costedAttendanceSql } from "./costs.server";
import { judgeMeeting, type MeetingFigures, type Verdict, type VerdictThresholds } from "./verdicts";

export { VERDICT_LABELS, VERDICTS } from "./verdicts";

/*
 * Materialised per-meeting figures (meeting_rollups, meeting_agency_rollups; migration 050).
 *
 * Triggers on every table that moves a meeting's figures only mark its rollup stale; this
 * module recomputes, with the one cost model (costedAttendanceSql), every stale rollup and
 * every meeting held since the last refresh, in a few set-based statements. Every reader
 * calls refreshStaleRollups first: when nothing has changed it is one indexed query.
 *
 * The verdict and its reasons are worked out by judgeMeeting (verdicts.ts) from the
 * figures the upsert returns, so the reasons' money comes from the one formatter.
 */

/** Rows per statement when writing verdicts back (keeps each parameter a few hundred KB). */
const VERDICT_BATCH = 5000;

interface RefreshedRow {
  meeting_id: number;
  cost_pence: number;
  invited: number;
  attended: number;
  agencies_present: number;
  quorum: number;
  items: number;
  information_items: number;
  decisions: number;
  actions_raised: number;
  actions_completed_since_previous: number;
  feedback_count: number;
  feedback_average: number | null;
}

/**
 * Brings the workspace's rollups up to date: recomputes stale rollups, adds meetings held
 * since the last refresh, and drops those no longer held (cancelled, or moved to the future).
 * A no-op (one query) when nothing has changed.
 */
export async function refreshStaleRollups(db: WorkspaceDb): Promise<void> {
  const ws = workspaceIdOf(db);
  const pending = await sql<{ pending: boolean }>`
    select exists (select 1 from meeting_rollups where workspace_id = ${ws} and stale)
      or exists (
        select 1 from meetings m
        where m.workspace_id = ${ws} and m.status <> 'cancelled' and m.starts_at <= now()
          -- A scalar sub-query, so the range is an index scan on (workspace_id, starts_at).
          and m.starts_at >= coalesce((select rollups_complete_until from workspaces where id = ${ws}), '-infinity')
      )
      or coalesce((select rollup_verdicts_stale from workspaces where id = ${ws}), false) as pending`.execute(
    db,
  );
  if (!pending.rows[0]?.pending) return;
  await inTransaction(db, (trx) => refreshInTransaction(trx));
}

async function refreshInTransaction(trx: WorkspaceDb): Promise<void> {
  const ws = workspaceIdOf(trx);
  // One refresh per workspace at a time; a second waits, then finds little or nothing to do.
  await trx.selectNoFrom(sql`pg_advisory_xact_lock(7007, ${ws}::int)`.as("locked")).execute();
  const settings = await trx
    .selectFrom("workspaces")
    .select([
      // As text: a Date would lose the microseconds the comparison below needs.
      sql<string | null>`rollups_complete_until::text`.as("until"),
      "review_cost_per_outcome_pence",
      "stop_information_share_pct",
      "review_attendance_share_pct",
      "rollup_verdicts_stale",
    ])
    .where("id", "=", ws)
    .executeTakeFirst();
  if (!settings) return;

  // Meetings no longer held (cancelled, or moved to the future): their rollups go, per agency too.
  await sql`
    with dropped as (
      delete from meeting_rollups r
      where r.workspace_id = ${ws} and r.stale and not exists (
        select 1 from meetings m
        where m.workspace_id = r.workspace_id and m.id = r.meeting_id
          and m.status <> 'cancelled' and m.starts_at <= now()
      )
      returning r.workspace_id, r.meeting_id
    )
    delete from meeting_agency_rollups mar using dropped d
    where mar.workspace_id = ${ws} and mar.meeting_id = d.meeting_id`.execute(trx);

  const refreshed = await upsertMeetingRollups(trx, settings.until);
  if (refreshed.length > 0) {
    await writeVerdicts(trx, refreshed, thresholdsOf(settings));
  }
  if (settings.rollup_verdicts_stale) await rejudgeVerdicts(trx, thresholdsOf(settings));

  // Advance the watermark (to this transaction's start) unless a backdated meeting lowered it meanwhile.
  await trx
    .updateTable("workspaces")
    .set({ rollups_complete_until: sql<Date>`now()` })
    .where("id", "=", ws)
    .where(sql<boolean>`rollups_complete_until is not distinct from ${settings.until}::timestamptz`)
    .execute();
}

interface VerdictThresholdRow {
  review_cost_per_outcome_pence: number;
  stop_information_share_pct: number;
  review_attendance_share_pct: number;
}

function thresholdsOf(row: VerdictThresholdRow): VerdictThresholds {
  return {
    reviewCostPerOutcomePence: Number(row.review_cost_per_outcome_pence),
    stopInformationSharePct: Number(row.stop_information_share_pct),
    reviewAttendanceSharePct: Number(row.review_attendance_share_pct),
  };
}

/** The meetings to recompute: stale rollups and meetings started since the watermark. */
function targetsSql(ws: number, until: string | null) {
  return sql<{ meeting_id: number }>`
    select m.id as meeting_id from meetings m
    where m.workspace_id = ${ws} and m.status <> 'cancelled' and m.starts_at <= now()
      and m.starts_at >= coalesce(${until}::timestamptz, '-infinity')
    union
    select r.meeting_id from meeting_rollups r where r.workspace_id = ${ws} and r.stale`;
}

/**
 * Recomputes the figures of stale and newly held meetings, per meeting and per agency, in
 * one statement (so attendees are priced once); returns the meetings' figures for the verdicts.
 */
async function upsertMeetingRollups(trx: WorkspaceDb, until: string | null): Promise<RefreshedRow[]> {
  const ws = workspaceIdOf(trx);
  const targets = await targetsSql(ws, until).execute(trx);
  if (targets.rows.length === 0) return [];
  // The ids as one array constant: the planner then sizes every step for them (index scans
  // for the one meeting a write marked; hash joins for a workspace's whole history).
  const ids = sql`${`{${targets.rows.map((r) => Number(r.meeting_id)).join(",")}}`}::bigint[]`;
  const these = (column: string) => sql`${sql.ref(column)} = any(${ids})`;
  // Their per-agency rows are rebuilt whole: an agency may have left the register.
  await sql`delete from meeting_agency_rollups where workspace_id = ${ws} and ${these("meeting_id")}`.execute(
    trx,
  );
  const result = await sql<RefreshedRow>`
    with held as (
      select m.id, m.board_id, m.starts_at, m.venue_cost_pence, m.catering_cost_pence, b.quorum
      from meetings m
      join boards b on b.workspace_id = m.workspace_id and b.id = m.board_id
      where m.workspace_id = ${ws} and ${these("m.id")}
        and m.status <> 'cancelled' and m.starts_at <= now()
    ),
    costed as (${costedAttendanceSql(ws, these("a.meeting_id"))}),
    cost as (
      select meeting_id, sum(cost_pence) as cost_pence,
        sum(minutes_present + travel_minutes + preparation_minutes) as person_minutes,
        count(distinct agency_id) as agencies_present
      from costed group by meeting_id
    ),
    register as (
      select meeting_id, count(*) as invited,
        count(*) filter (where status in ('attended', 'deputy')) as attended,
        count(*) filter (where status = 'apologies') as apologies,
        count(*) filter (where status = 'absent') as absent,
        count(*) filter (where status = 'deputy') as deputies
      from attendance where workspace_id = ${ws} and ${these("meeting_id")}
      group by meeting_id
    ),
    agenda as (
      select meeting_id, count(*) as items, count(*) filter (where purpose = 'information') as information_items
      from agenda_items where workspace_id = ${ws} and ${these("meeting_id")}
      group by meeting_id
    ),
    decided as (
      select meeting_id, count(*) as decisions
      from decisions where workspace_id = ${ws} and ${these("meeting_id")}
      group by meeting_id
    ),
    raised as (
      select meeting_id, count(*) as actions_raised
      from actions where workspace_id = ${ws} and ${these("meeting_id")}
      group by meeting_id
    ),
    completed as (
      select h.id as meeting_id, count(*) as actions_completed
      from held h
      left join lateral (
        select max(pm.starts_at) as starts_at from meetings pm
        where pm.workspace_id = ${ws} and pm.board_id = h.board_id
          and pm.status <> 'cancelled' and pm.starts_at < h.starts_at
      ) previous on true
      join actions a on a.workspace_id = ${ws} and a.board_id = h.board_id and a.status = 'done'
        and a.completed_at <= h.starts_at and a.completed_at > coalesce(previous.starts_at, '-infinity')
      group by h.id
    ),
    feedback as (
      select meeting_id, count(*) as feedback_count, round(avg(score), 2) as feedback_average
      from meeting_feedback where workspace_id = ${ws} and ${these("meeting_id")}
      group by meeting_id
    ),
    -- Per agency: register counts by the invited person's agency, time and cost by the costed person's.
    agency_parts as (
      select a.meeting_id, p.agency_id, 1 as invited,
        (a.status in ('attended', 'deputy'))::int as attended, (a.status = 'apologies')::int as apologies,
        (a.status = 'absent')::int as absent, (a.status = 'deputy')::int as deputies,
        0 as person_minutes, 0::bigint as cost_pence
      from attendance a
      join people p on p.workspace_id = a.workspace_id and p.id = a.person_id
      where a.workspace_id = ${ws} and ${these("a.meeting_id")}
      union all
      select meeting_id, agency_id, 0, 0, 0, 0, 0,
        minutes_present + travel_minutes + preparation_minutes, cost_pence
      from costed
    ),
    upserted as (
    insert into meeting_rollups (
      workspace_id, meeting_id, board_id, held_on, cost_pence, person_minutes,
      invited, attended, apologies, absent, deputies, agencies_present, quorum, quorum_met,
      items, information_items, decisions, actions_raised, actions_completed_since_previous,
      outcomes, feedback_count, feedback_average, verdict, reasons, stale, refreshed_at
    )
    select
      ${ws}, h.id, h.board_id, (h.starts_at at time zone 'Europe/London')::date,
      coalesce(c.cost_pence, 0) + h.venue_cost_pence + h.catering_cost_pence,
      coalesce(c.person_minutes, 0),
      coalesce(r.invited, 0), coalesce(r.attended, 0), coalesce(r.apologies, 0),
      coalesce(r.absent, 0), coalesce(r.deputies, 0),
      coalesce(c.agencies_present, 0), h.quorum, coalesce(c.agencies_present, 0) >= h.quorum,
      coalesce(g.items, 0), coalesce(g.information_items, 0), coalesce(d.decisions, 0),
      coalesce(ra.actions_raised, 0), coalesce(co.actions_completed, 0),
      coalesce(d.decisions, 0) + coalesce(ra.actions_raised, 0) + coalesce(co.actions_completed, 0),
      coalesce(f.feedback_count, 0), f.feedback_average,
      -- Set from these figures by writeVerdicts, in this same transaction.
      'worth_holding', '[]'::jsonb, false, now()
    from held h
    left join cost c on c.meeting_id = h.id
    left join register r on r.meeting_id = h.id
    left join agenda g on g.meeting_id = h.id
    left join decided d on d.meeting_id = h.id
    left join raised ra on ra.meeting_id = h.id
    left join completed co on co.meeting_id = h.id
    left join feedback f on f.meeting_id = h.id
    order by h.id
    on conflict (workspace_id, meeting_id) do update set
      board_id = excluded.board_id, held_on = excluded.held_on, cost_pence = excluded.cost_pence,
      person_minutes = excluded.person_minutes, invited = excluded.invited,
      attended = excluded.attended, apologies = excluded.apologies, absent = excluded.absent,
      deputies = excluded.deputies, agencies_present = excluded.agencies_present,
      quorum = excluded.quorum, quorum_met = excluded.quorum_met, items = excluded.items,
      information_items = excluded.information_items, decisions = excluded.decisions,
      actions_raised = excluded.actions_raised,
      actions_completed_since_previous = excluded.actions_completed_since_previous,
      outcomes = excluded.outcomes, feedback_count = excluded.feedback_count,
      feedback_average = excluded.feedback_average, stale = false, refreshed_at = excluded.refreshed_at
    returning meeting_id, cost_pence, invited, attended, agencies_present, quorum, items,
      information_items, decisions, actions_raised, actions_completed_since_previous,
      feedback_count, feedback_average
    ),
    agencies as (
      insert into meeting_agency_rollups (
        workspace_id, meeting_id, agency_id, board_id, held_on,
        invited, attended, apologies, absent, deputies, person_minutes, cost_pence
      )
      select ${ws}, x.meeting_id, x.agency_id, h.board_id, (h.starts_at at time zone 'Europe/London')::date,
        sum(x.invited), sum(x.attended), sum(x.apologies), sum(x.absent), sum(x.deputies),
        sum(x.person_minutes), sum(x.cost_pence)
      from agency_parts x
      join held h on h.id = x.meeting_id
      group by x.meeting_id, x.agency_id, h.board_id, h.starts_at
    )
    select * from upserted`.execute(trx);
  return result.rows;
}

export function figuresOf(row: RefreshedRow): MeetingFigures {
  return {
    costPence: Number(row.cost_pence),
    invited: Number(row.invited),
    attended: Number(row.attended),
    agenciesPresent: Number(row.agencies_present),
    quorum: Number(row.quorum),
    items: Number(row.items),
    informationItems: Number(row.information_items),
    decisions: Number(row.decisions),
    actionsRaised: Number(row.actions_raised),
    actionsCompletedSincePrevious: Number(row.actions_completed_since_previous),
    feedbackCount: Number(row.feedback_count),
    feedbackAverage: row.feedback_average === null ? null : Number(row.feedback_average),
  };
}

async function writeVerdicts(
  trx: WorkspaceDb,
  rows: RefreshedRow[],
  thresholds: VerdictThresholds,
): Promise<void> {
  const ws = workspaceIdOf(trx);
  for (let start = 0; start < rows.length; start += VERDICT_BATCH) {
    const batch = rows.slice(start, start + VERDICT_BATCH).map((row) => {
      const { verdict, reasons } = judgeMeeting(figuresOf(row), thresholds);
      return { meeting_id: Number(row.meeting_id), verdict, reasons };
    });
    await sql`
      update meeting_rollups r set verdict = v.verdict, reasons = v.reasons
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as v(meeting_id bigint, verdict text, reasons jsonb)
      where r.workspace_id = ${ws} and r.meeting_id = v.meeting_id
        and (r.verdict is distinct from v.verdict or r.reasons is distinct from v.reasons)`.execute(trx);
  }
}

/**
 * The thresholds changed (and nothing else): every rollup's verdict again from its stored
 * figures, without pricing anyone. The rows come to TypeScript only to be judged by the one
 * rule (judgeMeeting) with the one money formatter; only changed verdicts are written.
 */
async function rejudgeVerdicts(trx: WorkspaceDb, thresholds: VerdictThresholds): Promise<void> {
  const rows = await trx
    .selectFrom("meeting_rollups")
    .select([
      "meeting_id",
      "cost_pence",
      "invited",
      "attended",
      "agencies_present",
      "quorum",
      "items",
      "information_items",
      "decisions",
      "actions_raised",
      "actions_completed_since_previous",
      "feedback_count",
      "feedback_average",
    ])
    .execute();
  await writeVerdicts(trx, rows, thresholds);
  await trx
    .updateTable("workspaces")
    .set({ rollup_verdicts_stale: false })
    .where("id", "=", workspaceIdOf(trx))
    .execute();
}

export interface MeetingVerdictView {
  verdict: Verdict;
  reasons: string[];
  feedbackCount: number;
  feedbackAverage: number | null;
}

/** A held meeting's verdict, reasons and feedback, from its (refreshed) rollup; null if not held. */
export async function meetingVerdict(db: WorkspaceDb, meetingId: number): Promise<MeetingVerdictView | null> {
  await refreshStaleRollups(db);
  const row = await db
    .selectFrom("meeting_rollups")
    .select(["verdict", "reasons", "feedback_count", "feedback_average"])
    .where("meeting_id", "=", meetingId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    verdict: row.verdict,
    reasons: row.reasons,
    feedbackCount: Number(row.feedback_count),
    feedbackAverage: row.feedback_average === null ? null : Number(row.feedback_average),
  };
}
