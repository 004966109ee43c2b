import { type Kysely, sql } from "kysely";

/*
 * Indexes for the action log at scale (issue 8, docs/performance.md):
 * - actions_status_due_idx: the action log's default order is by RAG, then due date. RAG
 *   depends on today, so it cannot be indexed; the list picks each RAG band's first rows
 *   instead (app/actions/actions.server.ts, ragPageIds). Open and in-progress bands come
 *   from actions_open_due_idx; done and dropped from this one, in due-date order.
 * - action_supporting_agencies_agency_idx replaces (workspace_id, agency_id) with one that
 *   also holds the action id, so the actions an agency supports are read from the index
 *   alone (a partner's list reads them first, as an array of ids).
 */

const statements = [
  "create index actions_status_due_idx on actions (workspace_id, status, due_date, id)",
  "create index action_supporting_agencies_agency_idx on action_supporting_agencies (workspace_id, agency_id, action_id)",
  "drop index action_supporting_agency_idx",
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists action_supporting_agency_idx on action_supporting_agencies (workspace_id, agency_id)`.execute(
    db,
  );
  await sql`drop index if exists action_supporting_agencies_agency_idx`.execute(db);
  await sql`drop index if exists actions_status_due_idx`.execute(db);
}
