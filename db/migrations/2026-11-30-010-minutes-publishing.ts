import { type Kysely, sql } from "kysely";

/*
 * Minutes publishing (issue 5).
 *
 * - minute_versions.note: why a version exists when it is not an ordinary save: "Autosaved",
 *   or the reason given for re-opening approved or published minutes.
 * - minute_versions.status is one of the minutes' statuses (the table had no check).
 * - Public pages and feeds show each minutes' latest *published version* (a snapshot that
 *   never changes), so re-opened minutes stay public as last published until republished.
 *   This index finds those versions newest first for a workspace's feed.
 */

const statements = [
  "alter table minute_versions add column note text check (length(note) <= 2000)",
  `alter table minute_versions add constraint minute_versions_status_check
    check (status in ('draft', 'circulated', 'approved', 'published'))`,
  `create index minute_versions_published_idx on minute_versions (workspace_id, created_at desc)
    where status = 'published'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw("drop index if exists minute_versions_published_idx").execute(db);
  await sql
    .raw("alter table minute_versions drop constraint if exists minute_versions_status_check")
    .execute(db);
  await sql.raw("alter table minute_versions drop column if exists note").execute(db);
}
