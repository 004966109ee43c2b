import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { backoffDelayMs } from "./backoff";

/*
 * The job worker: runs the jobs that app/jobs/queue.server.ts put in the `jobs` table
 * (decision 020).
 *
 * - Claiming: `FOR UPDATE SKIP LOCKED` picks due jobs no other worker is claiming, and marks
 *   them running with this worker's id and the time (the lease). Two workers never claim the
 *   same job at once.
 * - The lease: a worker renews it while a job runs. A worker that crashes stops renewing; once
 *   the lease has expired, any worker may claim the job again and re-run it. Every write about
 *   a running job names the worker and the attempt (a fencing token), so a worker that lost
 *   its lease (paused, partitioned) can no longer finish, fail or send for that job.
 * - Failures: retried with exponential back-off and jitter (backoff.ts) up to the job's
 *   max_attempts, then `failed` with the last error, where an admin can retry it
 *   (/admin/jobs). A PermanentJobError fails the job at once.
 * - Handlers: one per queue name, given a JobContext. A handler's side effects must be safe to
 *   repeat, because a job whose worker died is run again: mail goes through
 *   app/mail/deliveries.server.ts, which records each message so it is not sent twice.
 */

export interface ClaimedJob {
  id: number;
  queue: string;
  payload: unknown;
  /** This try, counting from 1. */
  attempt: number;
  maxAttempts: number;
  workspaceId: number | null;
  dedupeKey: string | null;
}

export interface JobContext {
  job: ClaimedJob;
  /** The raw handle: for the queue's own tables and for system jobs that span workspaces. */
  db: Kysely<Database>;
  /** The job's workspace handle (every query confined to it); a job with no workspace fails. */
  workspaceDb(): WorkspaceDb;
  /** Aborted when this worker loses the job's lease or is made to stop before it finishes. */
  signal: AbortSignal;
  /**
   * Inside a transaction: confirms this worker still holds the job, renews its lease and
   * locks the job's row until the transaction ends; throws LeaseLostError otherwise.
   */
  holdLease(trx: Kysely<Database>): Promise<void>;
}

export type JobHandler = (context: JobContext) => Promise<void>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;

/** A failure that trying again cannot fix (a bad payload, a refused address): no retries. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/** This worker no longer holds the job: another has taken it over, so this one stops. */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
  constructor(jobId: number) {
    super(`Job ${jobId}: the lease passed to another worker`);
  }
}

export type WorkerLog = (
  level: "info" | "warn" | "error",
  message: string,
  details?: Record<string, unknown>,
) => void;

export interface WorkerOptions {
  db: Kysely<Database>;
  handlers: JobHandlers;
  /** Names this worker in locked_by; default host:pid:random. */
  id?: string;
  /** Jobs run at once (default 4). */
  concurrency?: number;
  /** How often an idle worker looks for due jobs (default 1 s). */
  pollMs?: number;
  /** How long a claim lasts without renewal before another worker may take the job over (default 5 min). */
  leaseMs?: number;
  /** The wait before the next try after `attempt` failed (default backoff.ts). */
  backoffMs?: (attempt: number) => number;
  log?: WorkerLog;
}

const DEFAULT_LEASE_MS = 5 * 60_000;
const MAX_ERROR_LENGTH = 2_000;

const defaultLog: WorkerLog = (level, message, details) => {
  if (process.env.VITEST) return;
  const line = details ? `${message} ${JSON.stringify(details)}` : message;
  if (level === "error") console.error(`[jobs] ${line}`);
  else if (level === "warn") console.warn(`[jobs] ${line}`);
  else console.log(`[jobs] ${line}`);
};

function errorText(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`
      : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

interface Running {
  job: ClaimedJob;
  controller: AbortController;
  done: Promise<void>;
}

export class JobWorker {
  readonly id: string;
  readonly #db: Kysely<Database>;
  readonly #handlers: JobHandlers;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #backoffMs: (attempt: number) => number;
  readonly #log: WorkerLog;
  readonly #running = new Map<number, Running>();
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(options: WorkerOptions) {
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.#db = options.db;
    this.#handlers = options.handlers;
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#pollMs = options.pollMs ?? 1_000;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#backoffMs = options.backoffMs ?? ((attempt) => backoffDelayMs(attempt));
    this.#log = options.log ?? defaultLog;
  }

  /** Starts claiming and running jobs in the background until stop(). */
  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#heartbeat = setInterval(() => void this.#renewLeases(), Math.max(1_000, this.#leaseMs / 3));
    this.#heartbeat.unref?.();
    this.#loop = this.#run();
  }

  /**
   * Stops claiming, lets the jobs in flight finish (up to `timeoutMs`), then returns. Jobs
   * still running after that are told to stop (their signal aborts); their leases run out
   * and another worker runs them again.
   */
  async stop({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
    const inFlight = [...this.#running.values()];
    if (inFlight.length > 0) {
      this.#log("info", `Waiting for ${inFlight.length} job(s) to finish`, { worker: this.id });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      const outcome = await Promise.race([Promise.allSettled(inFlight.map((r) => r.done)), timedOut]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        for (const running of this.#running.values())
          running.controller.abort(new Error("The worker is stopping"));
        this.#log("warn", "Stopped with jobs unfinished; they run again when their leases expire", {
          worker: this.id,
          jobs: [...this.#running.keys()],
        });
      }
    }
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  /** Claims what is due (up to the concurrency) and runs it to the end; the number run. */
  async runOnce(): Promise<number> {
    const jobs = await this.claim(this.#concurrency);
    await Promise.all(jobs.map((job) => this.#launch(job).done));
    return jobs.length;
  }

  /** Runs due jobs until none is left (for tests and the CLI); the number run. */
  async drain(maxRounds = 1_000): Promise<number> {
    let total = 0;
    for (let round = 0; round < maxRounds; round++) {
      const ran = await this.runOnce();
      if (ran === 0) break;
      total += ran;
    }
    return total;
  }

  /**
   * Claims up to `limit` due jobs: pending ones whose time has come, and running ones whose
   * lease has expired (their worker died). Marks them running under this worker.
   */
  async claim(limit: number): Promise<ClaimedJob[]> {
    const leaseSeconds = this.#leaseMs / 1_000;
    const result = await sql<{
      id: number;
      queue: string;
      payload: unknown;
      attempts: number;
      max_attempts: number;
      workspace_id: number | null;
      dedupe_key: string | null;
    }>`
      with due as (
        select id from jobs
        where (status = 'pending' and run_at <= now())
           or (status = 'running' and locked_at < now() - make_interval(secs => ${leaseSeconds}))
        order by run_at, id
        limit ${limit}
        for update skip locked
      )
      update jobs set status = 'running', attempts = jobs.attempts + 1, locked_at = now(), locked_by = ${this.id}
      from due where jobs.id = due.id
      returning jobs.id, jobs.queue, jobs.payload, jobs.attempts, jobs.max_attempts, jobs.workspace_id, jobs.dedupe_key`.execute(
      this.#db,
    );
    return result.rows
      .map((row) => ({
        id: Number(row.id),
        queue: row.queue,
        payload: row.payload,
        attempt: row.attempts,
        maxAttempts: row.max_attempts,
        workspaceId: row.workspace_id === null ? null : Number(row.workspace_id),
        dedupeKey: row.dedupe_key,
      }))
      .sort((a, b) => a.id - b.id);
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      let claimed = 0;
      const free = this.#concurrency - this.#running.size;
      if (free > 0) {
        try {
          const jobs = await this.claim(free);
          claimed = jobs.length;
          for (const job of jobs) this.#launch(job);
        } catch (error) {
          // The database is away: try again after the pause.
          this.#log("error", "Could not claim jobs", { worker: this.id, error: errorText(error) });
        }
      }
      if (this.#stopping) break;
      // Straight back for more when this look found work and a slot is free.
      if (claimed === 0 || this.#running.size >= this.#concurrency) await this.#pause(this.#pollMs);
    }
  }

  /** Waits `ms`, or less if a job finishes or stop() is called. */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  #launch(job: ClaimedJob): Running {
    const controller = new AbortController();
    const running: Running = {
      job,
      controller,
      done: this.#execute(job, controller.signal).finally(() => {
        this.#running.delete(job.id);
        this.#wake?.();
      }),
    };
    this.#running.set(job.id, running);
    return running;
  }

  async #execute(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    const context: JobContext = {
      job,
      db: this.#db,
      signal,
      workspaceDb: () => {
        if (job.workspaceId === null) throw new PermanentJobError(`Job ${job.id} belongs to no workspace`);
        return scopeToWorkspace(this.#db, job.workspaceId);
      },
      holdLease: (trx) => this.#holdLease(trx, job),
    };
    try {
      if (job.attempt > job.maxAttempts) {
        throw new PermanentJobError("The worker running its last attempt stopped before it finished");
      }
      const handler = this.#handlers[job.queue];
      // Another instance (mid-deploy) may know this queue: retry rather than fail at once.
      if (!handler) throw new Error(`No handler for the queue "${job.queue}"`);
      await handler(context);
      signal.throwIfAborted();
      await this.#settle(job, { status: "done" });
    } catch (error) {
      const reason = signal.aborted ? signal.reason : error;
      if (reason instanceof LeaseLostError || error instanceof LeaseLostError) {
        this.#log("warn", "Lost the lease; another worker has the job", { worker: this.id, job: job.id });
        return;
      }
      const last = error instanceof PermanentJobError || job.attempt >= job.maxAttempts;
      const delayMs = last ? 0 : this.#backoffMs(job.attempt);
      this.#log(last ? "error" : "warn", last ? "Job failed" : "Job will be retried", {
        job: job.id,
        queue: job.queue,
        attempt: job.attempt,
        error: errorText(error),
        ...(last ? {} : { retryInSeconds: Math.round(delayMs / 1_000) }),
      });
      await this.#settle(job, { status: last ? "failed" : "pending", error: errorText(error), delayMs });
    }
  }

  /** Records how a try ended, only if this worker still holds that try. */
  async #settle(
    job: ClaimedJob,
    outcome: { status: "done" } | { status: "pending" | "failed"; error: string; delayMs: number },
  ): Promise<void> {
    try {
      const finished = outcome.status !== "pending";
      await this.#db
        .updateTable("jobs")
        .set({
          status: outcome.status,
          locked_at: null,
          finished_at: finished ? sql<Date>`now()` : null,
          ...(outcome.status === "done"
            ? {}
            : {
                last_error: outcome.error,
                run_at: sql<Date>`now() + make_interval(secs => ${outcome.delayMs / 1_000})`,
              }),
        })
        .where("id", "=", job.id)
        .where("locked_by", "=", this.id)
        .where("attempts", "=", job.attempt)
        .where("status", "=", "running")
        .execute();
    } catch (error) {
      // The lease runs out and the job runs again: its effects are idempotent.
      this.#log("error", "Could not record a job's outcome", { job: job.id, error: errorText(error) });
    }
  }

  async #holdLease(trx: Kysely<Database>, job: ClaimedJob): Promise<void> {
    const held = await trx
      .updateTable("jobs")
      .set({ locked_at: sql<Date>`now()` })
      .where("id", "=", job.id)
      .where("locked_by", "=", this.id)
      .where("attempts", "=", job.attempt)
      .where("status", "=", "running")
      .returning("id")
      .executeTakeFirst();
    if (!held) throw new LeaseLostError(job.id);
  }

  /** Renews the leases of the jobs in flight; a job whose lease was taken over is told to stop. */
  async #renewLeases(): Promise<void> {
    const running = [...this.#running.values()];
    if (running.length === 0) return;
    try {
      const renewed = await this.#db
        .updateTable("jobs")
        .set({ locked_at: sql<Date>`now()` })
        .where("locked_by", "=", this.id)
        .where("status", "=", "running")
        .where(
          "id",
          "in",
          running.map((r) => r.job.id),
        )
        .returning(["id", "attempts"])
        .execute();
      const held = new Set(renewed.map((row) => `${row.id}:${row.attempts}`));
      for (const r of running) {
        if (!held.has(`${r.job.id}:${r.job.attempt}`)) r.controller.abort(new LeaseLostError(r.job.id));
      }
    } catch (error) {
      this.#log("error", "Could not renew job leases", { worker: this.id, error: errorText(error) });
    }
  }
}
