import { type Kysely, sql } from "kysely";

/*
 * Rollups are derived rows that only refreshStaleRollups writes, so their foreign keys
 * (migration 050) cost a lookup per row on each refresh and guarded nothing: about 72,000
 * agency rows per 10,000 meetings, 1.9 s of a 5 s refresh. Only meeting_rollups keeps its
 * key to meetings, which deletes it with its meeting (a workspace or board deleted deletes
 * its meetings). Per-agency rows go with their meeting by a trigger instead, and the
 * refresh deletes them with a rollup it drops.
 *
 * A change of verdict thresholds alone no longer marks every rollup stale (a full re-roll:
 * 2-6 s per 10,000 meetings): it sets workspaces.rollup_verdicts_stale, and the next refresh
 * re-judges the stored figures. A change of the cost model's defaults still marks them all.
 */

const COST_DEFAULTS =
  "annual_working_hours, default_on_cost_pct, default_overhead_pct, default_mileage_pence";
const THRESHOLDS = "review_cost_per_outcome_pence, stop_information_share_pct, review_attendance_share_pct";
const both = (columns: string, side: "n" | "o") =>
  `(${columns
    .split(", ")
    .map((c) => `${side}.${c}`)
    .join(", ")})`;

const markWorkspaces = `create or replace function meeting_rollups_mark_workspaces() returns trigger language plpgsql as $$
  begin
    update meeting_rollups r set stale = true
    from new_rows n join old_rows o on o.id = n.id
    where ${both(COST_DEFAULTS, "n")} is distinct from ${both(COST_DEFAULTS, "o")}
      and r.workspace_id = n.id and not r.stale;
    -- Only when they changed: a statement trigger fires even for no rows, and this update
    -- of workspaces fires this trigger again.
    if exists (
      select 1 from new_rows n join old_rows o on o.id = n.id
      where ${both(THRESHOLDS, "n")} is distinct from ${both(THRESHOLDS, "o")} and not n.rollup_verdicts_stale
    ) then
      update workspaces w set rollup_verdicts_stale = true
      from new_rows n join old_rows o on o.id = n.id
      where ${both(THRESHOLDS, "n")} is distinct from ${both(THRESHOLDS, "o")}
        and w.id = n.id and not w.rollup_verdicts_stale;
    end if;
    return null;
  end $$`;

/** Migration 050's version, for down(). */
const markWorkspacesBefore = `create or replace function meeting_rollups_mark_workspaces() returns trigger language plpgsql as $$
  begin
    update meeting_rollups r set stale = true
    from new_rows n join old_rows o on o.id = n.id
    where (${both(COST_DEFAULTS, "n").slice(1, -1)}, ${both(THRESHOLDS, "n").slice(1, -1)})
      is distinct from (${both(COST_DEFAULTS, "o").slice(1, -1)}, ${both(THRESHOLDS, "o").slice(1, -1)})
      and r.workspace_id = n.id and not r.stale;
    return null;
  end $$`;

const constraints = [
  ["meeting_rollups", "meeting_rollups_workspace_id_fkey"],
  ["meeting_rollups", "meeting_rollups_workspace_id_board_id_fkey"],
  ["meeting_agency_rollups", "meeting_agency_rollups_workspace_id_fkey"],
  ["meeting_agency_rollups", "meeting_agency_rollups_workspace_id_agency_id_fkey"],
  ["meeting_agency_rollups", "meeting_agency_rollups_workspace_id_meeting_id_fkey"],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, name] of constraints) {
    await sql.raw(`alter table ${table} drop constraint if exists ${name}`).execute(db);
  }
  await sql`create function meeting_agency_rollups_delete() returns trigger language plpgsql as $$
    begin
      delete from meeting_agency_rollups mar using old_rows o
      where mar.workspace_id = o.workspace_id and mar.meeting_id = o.id;
      return null;
    end $$`.execute(db);
  await sql`alter table workspaces add column rollup_verdicts_stale boolean not null default false`.execute(
    db,
  );
  await sql.raw(markWorkspaces).execute(db);
  await sql`create trigger meetings_agency_rollups_del after delete on meetings
    referencing old table as old_rows for each statement execute function meeting_agency_rollups_delete()`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(markWorkspacesBefore).execute(db);
  await sql`alter table workspaces drop column if exists rollup_verdicts_stale`.execute(db);
  await sql`drop trigger if exists meetings_agency_rollups_del on meetings`.execute(db);
  await sql`drop function if exists meeting_agency_rollups_delete()`.execute(db);
  await sql`alter table meeting_agency_rollups add constraint meeting_agency_rollups_workspace_id_meeting_id_fkey
    foreign key (workspace_id, meeting_id) references meeting_rollups (workspace_id, meeting_id) on delete cascade`.execute(
    db,
  );
  await sql`alter table meeting_rollups add constraint meeting_rollups_workspace_id_fkey
    foreign key (workspace_id) references workspaces (id) on delete cascade`.execute(db);
  await sql`alter table meeting_rollups add constraint meeting_rollups_workspace_id_board_id_fkey
    foreign key (workspace_id, board_id) references boards (workspace_id, id) on delete cascade`.execute(db);
  await sql`alter table meeting_agency_rollups add constraint meeting_agency_rollups_workspace_id_fkey
    foreign key (workspace_id) references workspaces (id) on delete cascade`.execute(db);
  await sql`alter table meeting_agency_rollups add constraint meeting_agency_rollups_workspace_id_agency_id_fkey
    foreign key (workspace_id, agency_id) references agencies (workspace_id, id) on delete cascade`.execute(
    db,
  );
}
