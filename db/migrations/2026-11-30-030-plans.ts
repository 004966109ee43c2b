import { type Kysely, sql } from "kysely";

/*
 * Plans and the action log review (issue 6). The plan tables themselves came with the
 * domain migration; this adds the index the "action log review" agenda item reads by: a
 * board's open actions (the other half, those closed since a date, has
 * actions_completed_idx). The action log's default view, a board's open actions, uses it
 * too.
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index actions_board_open_idx on actions (workspace_id, board_id, due_date)
    where status in ('open', 'in_progress')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists actions_board_open_idx`.execute(db);
}
