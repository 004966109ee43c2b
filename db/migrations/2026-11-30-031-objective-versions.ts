import { type Kysely, sql } from "kysely";

/*
 * Plans (issue 6): plan_objectives.version. An objective's edit form carries the version it
 * was opened on, so an edit made meanwhile (a current value, a RAG) is refused, never
 * silently overwritten. Existing objectives start at 1.
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table plan_objectives add column version integer not null default 1 check (version >= 1)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table plan_objectives drop column if exists version`.execute(db);
}
