import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { onShutdown } from "../lifecycle.server";
import { checkMailConfig } from "../mail/config.server";
import { jobHandlers, schedules } from "./registry.server";
import { Scheduler } from "./scheduler.server";
import { JobWorker } from "./worker.server";

/*
 * The worker and scheduler running inside a process: the app server (started once from
 * entry.server.tsx) or `npm run cli -- worker`. Mail settings are checked first, so a bad
 * MAIL_TRANSPORT stops the start. Stopping (onShutdown) stops the scheduler, then lets the
 * jobs in flight finish.
 *
 * JOB_WORKER=off keeps the app server from running jobs (when dedicated worker processes
 * do); WORKER_CONCURRENCY sets how many jobs one process runs at once.
 */

export interface RunningWorker {
  worker: JobWorker;
  scheduler: Scheduler;
  stop(): Promise<void>;
}

export function workerConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.WORKER_CONCURRENCY ?? "4");
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new Error(
      `WORKER_CONCURRENCY must be a whole number from 1 to 64 (it is "${env.WORKER_CONCURRENCY}")`,
    );
  }
  return n;
}

export function startWorker(db: Kysely<Database>, options: { concurrency?: number } = {}): RunningWorker {
  checkMailConfig();
  const worker = new JobWorker({
    db,
    handlers: jobHandlers,
    concurrency: options.concurrency ?? workerConcurrency(),
  });
  const scheduler = new Scheduler(db, schedules, {
    onError: (error) => console.error("[jobs] The scheduler could not queue its slots", error),
  });
  worker.start();
  scheduler.start();
  const stop = async () => {
    await scheduler.stop();
    await worker.stop();
  };
  onShutdown("job-worker", stop);
  return { worker, scheduler, stop };
}

const globalForWorker = globalThis as typeof globalThis & {
  __boardledgerWorker?: Promise<RunningWorker | null>;
};

/**
 * Starts the app server's worker once per process (a dev-server reload keeps the running
 * one). Never in tests, which start their own workers.
 */
export function startAppWorker(open: () => Promise<Kysely<Database>>): void {
  if (process.env.VITEST || process.env.JOB_WORKER === "off") return;
  // Checked now, synchronously: a bad mail setting fails the server's start.
  checkMailConfig();
  globalForWorker.__boardledgerWorker ??= open()
    .then((db) => startWorker(db))
    .catch((error: unknown) => {
      console.error("[jobs] The job worker did not start; it will try again on the next request", error);
      globalForWorker.__boardledgerWorker = undefined;
      return null;
    });
}
