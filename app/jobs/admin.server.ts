import { sql } from "kysely";
import { z } from "zod";
import type { JobStatus } from "../../db/schema";
import { inTransaction, workspaceIdOf } from "../../db/tenancy";
import { type AuditActor, recordAudit } from "../audit/audit.server";
import { can, ensure } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import type { TableState } from "../components/table-state";
import { QUEUE_LABELS } from "./registry.server";

/*
 * The admin view of the job queue (/admin/jobs): this workspace's jobs (emails, reminder
 * runs) with their state, tries, last error and how many of their messages went, filtered
 * and paged in SQL; and retrying a failed job. `jobs` is not a workspace table (system jobs
 * such as the scheduler's have no workspace), so every query here names the workspace.
 */

export const JOB_SORTS = ["created", "next-try", "queue", "attempts"] as const;
export type JobSort = (typeof JOB_SORTS)[number];

/** What admins filter by: "pending" includes jobs running now. */
export const JOB_STATES = ["pending", "sent", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];
const STATUSES_OF: Record<JobState, JobStatus[]> = {
  pending: ["pending", "running"],
  sent: ["done"],
  failed: ["failed"],
};

export const jobFilterSchema = z.object({
  state: z.enum(JOB_STATES).optional().catch(undefined),
  queue: z.string().trim().max(100).optional().catch(undefined),
});
export type JobFilters = z.infer<typeof jobFilterSchema>;

export interface AdminJobRow {
  id: number;
  queue: string;
  queueLabel: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  createdAt: Date;
  runAt: Date;
  finishedAt: Date | null;
  lastError: string | null;
  messagesSent: number;
  messagesFailed: number;
}

export function queueLabel(queue: string): string {
  return QUEUE_LABELS[queue] ?? queue;
}

export async function listJobs(
  viewer: Viewer,
  filters: JobFilters,
  table: TableState<JobSort>,
): Promise<{ rows: AdminJobRow[]; total: number; counts: Record<JobState, number>; queues: string[] }> {
  ensure(can.administer(viewer));
  const workspaceId = workspaceIdOf(viewer.db);
  const base = viewer.db.selectFrom("jobs").where("jobs.workspace_id", "=", workspaceId);
  let filtered = base;
  if (filters.state) filtered = filtered.where("jobs.status", "in", STATUSES_OF[filters.state]);
  if (filters.queue) filtered = filtered.where("jobs.queue", "=", filters.queue);

  const order = table.dir;
  let query = filtered
    .select([
      "jobs.id",
      "jobs.queue",
      "jobs.status",
      "jobs.attempts",
      "jobs.max_attempts",
      "jobs.created_at",
      "jobs.run_at",
      "jobs.finished_at",
      "jobs.last_error",
    ])
    .select((eb) => [
      eb
        .selectFrom("mail_deliveries as d")
        .select(sql<number>`count(*) filter (where d.status = 'sent')`.as("n"))
        .whereRef("d.job_id", "=", "jobs.id")
        .as("messages_sent"),
      eb
        .selectFrom("mail_deliveries as d")
        .select(sql<number>`count(*) filter (where d.status = 'failed')`.as("n"))
        .whereRef("d.job_id", "=", "jobs.id")
        .as("messages_failed"),
    ]);
  switch (table.sort) {
    case "next-try":
      query = query.orderBy("jobs.run_at", order);
      break;
    case "queue":
      query = query.orderBy("jobs.queue", order).orderBy("jobs.created_at", "desc");
      break;
    case "attempts":
      query = query.orderBy("jobs.attempts", order);
      break;
    case "created":
      query = query.orderBy("jobs.created_at", order);
      break;
  }
  const [rows, total, counts, queues] = await Promise.all([
    query
      .orderBy("jobs.id", order)
      .limit(table.pageSize)
      .offset((table.page - 1) * table.pageSize)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    base
      .select([
        sql<number>`count(*) filter (where jobs.status in ('pending', 'running'))`.as("pending"),
        sql<number>`count(*) filter (where jobs.status = 'done')`.as("sent"),
        sql<number>`count(*) filter (where jobs.status = 'failed')`.as("failed"),
      ])
      .executeTakeFirstOrThrow(),
    base.select("jobs.queue").distinct().orderBy("jobs.queue").execute(),
  ]);
  return {
    rows: rows.map((r) => ({
      id: Number(r.id),
      queue: r.queue,
      queueLabel: queueLabel(r.queue),
      status: r.status,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      createdAt: new Date(r.created_at),
      runAt: new Date(r.run_at),
      finishedAt: r.finished_at ? new Date(r.finished_at) : null,
      lastError: r.last_error,
      messagesSent: Number(r.messages_sent ?? 0),
      messagesFailed: Number(r.messages_failed ?? 0),
    })),
    total: Number(total.n),
    counts: { pending: Number(counts.pending), sent: Number(counts.sent), failed: Number(counts.failed) },
    queues: queues.map((q) => q.queue),
  };
}

export type RetryResult = { ok: true; message: string } | { ok: false; message: string };

/**
 * Puts a failed job of this workspace back in the queue with fresh tries. Messages it had
 * already sent are not sent again (mail_deliveries); refused ones are tried again. A job of
 * another workspace, or one that has not failed, is not found.
 */
export async function retryJob(viewer: Viewer, actor: AuditActor, jobId: number): Promise<RetryResult> {
  ensure(can.administer(viewer) && Number.isSafeInteger(jobId) && jobId > 0);
  const workspaceId = workspaceIdOf(viewer.db);
  return inTransaction(viewer.db, async (trx) => {
    const job = await trx
      .updateTable("jobs")
      .set({
        status: "pending",
        attempts: 0,
        run_at: sql<Date>`now()`,
        locked_at: null,
        locked_by: null,
        finished_at: null,
      })
      .where("id", "=", jobId)
      .where("workspace_id", "=", workspaceId)
      .where("status", "=", "failed")
      .returning(["id", "queue", "last_error"])
      .executeTakeFirst();
    if (!job)
      return {
        ok: false,
        message: "That job is no longer failed; it may have been retried already",
      } as const;
    // Refused recipients get another try; sent ones are left alone.
    await trx
      .deleteFrom("mail_deliveries")
      .where("job_id", "=", jobId)
      .where("status", "=", "failed")
      .execute();
    await recordAudit(trx, actor, {
      event: "job.retried",
      entityType: "job",
      entityId: jobId,
      changes: { queue: job.queue, last_error: job.last_error },
    });
    return {
      ok: true,
      message: `${queueLabel(job.queue)} job ${jobId} will be tried again shortly`,
    } as const;
  });
}

/** Whether this workspace has a job with this id (any state): an unknown one answers 404. */
export async function jobExists(viewer: Viewer, jobId: number): Promise<boolean> {
  if (!Number.isSafeInteger(jobId) || jobId <= 0) return false;
  const row = await viewer.db
    .selectFrom("jobs")
    .select("id")
    .where("id", "=", jobId)
    .where("workspace_id", "=", workspaceIdOf(viewer.db))
    .executeTakeFirst();
  return row !== undefined;
}
