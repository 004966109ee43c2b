import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { isWorkspaceDb, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";

/*
 * The job queue's front door: a job is a row in `jobs`, written with the same handle (and so
 * in the same transaction) as the change that causes it. A rolled-back change leaves no job;
 * a committed one leaves exactly one (the dedupe key refuses a second), which the worker
 * (app/jobs/worker.server.ts) runs, retries with back-off and never runs twice.
 */

export interface JobRequest {
  /** What the job does, e.g. "mail.minutes_published"; the worker has one handler per queue. */
  queue: string;
  payload: Record<string, unknown>;
  /** At most one job ever exists with this key; enqueueing it again is a no-op. */
  dedupeKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/** Queues the job; false when its dedupe key was already taken. Pass the change's transaction. */
export async function enqueueJob(db: WorkspaceDb | Kysely<Database>, job: JobRequest): Promise<boolean> {
  const inserted = await db
    .insertInto("jobs")
    .values({
      workspace_id: isWorkspaceDb(db) ? workspaceIdOf(db) : null,
      queue: job.queue,
      payload: JSON.stringify(job.payload),
      dedupe_key: job.dedupeKey ?? null,
      ...(job.runAt ? { run_at: job.runAt } : {}),
      ...(job.maxAttempts ? { max_attempts: job.maxAttempts } : {}),
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}
