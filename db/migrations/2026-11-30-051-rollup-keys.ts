import { type Kysely, sql } from "kysely";

/*
 * Rollups are derived rows that only refreshStaleRollups writes, so their foreign keys
 * (migration 050) cost a lookup per row on each refresh and guarded nothing: about 72,000
 * agency rows per 10,000 meetings, 1.9 s of a 5 s refresh. Only meeting_rollups keeps its
 * key to meetings, which deletes it with its meeting (a workspace or board deleted deletes
 * its meetings). Per-agency rows go with their meeting by a trigger instead, and the
 * refresh deletes them with a rollup it drops.
 */

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
  await sql`create trigger meetings_agency_rollups_del after delete on meetings
    referencing old table as old_rows for each statement execute function meeting_agency_rollups_delete()`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
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
