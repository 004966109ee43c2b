import { type Kysely, sql } from "kysely";

/*
 * Mail and the job queue's worker (decision 020):
 * - mail_deliveries: one row per (job, recipient), written "sending" before a message is
 *   handed to the transport and "sent" after, so a re-run of the job never sends a message
 *   that is already recorded as sent, and knows which sends are in doubt after a crash.
 *   Like jobs, it is not a workspace table (it hangs off a job), and stays local on Citus.
 * - users.reminder_frequency: action reminders one by one ("each") or in a weekly digest.
 * - indexes for the worker (expired leases) and the admin jobs page.
 */

const statements = [
  `create table mail_deliveries (
    job_id bigint not null references jobs (id) on delete cascade,
    recipient text not null check (length(recipient) between 3 and 320),
    status text not null check (status in ('sending', 'sent', 'failed')),
    attempt integer not null check (attempt >= 1),
    transport text not null,
    provider_ref text,
    error text,
    updated_at timestamptz not null default now(),
    sent_at timestamptz,
    primary key (job_id, recipient),
    check ((status = 'sent') = (sent_at is not null))
  )`,
  `alter table users add column reminder_frequency text not null default 'each'
    check (reminder_frequency in ('each', 'weekly'))`,
  "create index jobs_lease_idx on jobs (locked_at) where status = 'running'",
  "create index jobs_workspace_status_idx on jobs (workspace_id, status, created_at desc)",
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists jobs_workspace_status_idx`.execute(db);
  await sql`drop index if exists jobs_lease_idx`.execute(db);
  await sql`alter table users drop column if exists reminder_frequency`.execute(db);
  await sql`drop table if exists mail_deliveries`.execute(db);
}
