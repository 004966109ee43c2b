import { type Kysely, sql } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { enqueueJob } from "~/jobs/queue.server";
import { type JobContext, type JobHandlers, JobWorker, PermanentJobError } from "~/jobs/worker.server";
import { deliverAll, deliveryReference } from "~/mail/deliveries.server";
import {
  clearRecordedMail,
  type MailMessage,
  MailSendError,
  type MailTransport,
  recordedMail,
  setMailTransport,
} from "~/mail/mailer.server";
import { type DatabaseHandle, openDatabase } from "../../db/client";
import type { Database } from "../../db/schema";
import { inTransaction, scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { freshDatabase } from "../database";
import { withDatabaseName } from "../database-urls";
import { insertWorkspace } from "../factories";

/*
 * The queue's guarantees (decision 020), on PGlite and on PostgreSQL: a job exists only if
 * the change that queued it committed; failures are retried with back-off and end as
 * failed; a job whose worker died runs again once its lease expires, exactly once; and two
 * workers never send one job's message twice.
 */

let handle: DatabaseHandle;
let db: WorkspaceDb;

/** A queue whose job emails `payload.to` once, through deliverAll. */
const MAIL_QUEUE = "test.mail";
const mailHandler = async (context: JobContext) => {
  const { to, subject } = context.job.payload as { to: string; subject: string };
  await deliverAll(context, [{ to, subject, text: `Job ${context.job.id}` }]);
};
const handlers: JobHandlers = { [MAIL_QUEUE]: mailHandler };

/** Retries wait a minute (makeDue() ends the wait), so drain() stops after each try. */
const aMinute = () => 60_000;

function worker(options: Partial<ConstructorParameters<typeof JobWorker>[0]> = {}) {
  return new JobWorker({ db: handle.db, handlers, backoffMs: aMinute, concurrency: 2, ...options });
}

async function job(id: number) {
  return handle.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function queueMail(to: string, extra: { maxAttempts?: number } = {}): Promise<number> {
  await enqueueJob(db, {
    queue: MAIL_QUEUE,
    payload: { to, subject: `For ${to}` },
    dedupeKey: `test:${to}`,
    ...extra,
  });
  const row = await handle.db
    .selectFrom("jobs")
    .select("id")
    .where("dedupe_key", "=", `test:${to}`)
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Time passes: the job's lease (or its back-off) is over. */
async function expireLease(id: number) {
  await sql`update jobs set locked_at = now() - interval '1 hour' where id = ${id}`.execute(handle.db);
}
async function makeDue(id?: number) {
  await sql`update jobs set run_at = now() where status = 'pending' and (${id ?? null}::bigint is null or id = ${id ?? null})`.execute(
    handle.db,
  );
}

beforeAll(async () => {
  handle = await freshDatabase();
  const ws = await insertWorkspace(handle.db, { slug: "queue" });
  db = scopeToWorkspace(handle.db, ws.id);
});
afterAll(() => handle.close());
beforeEach(async () => {
  clearRecordedMail();
  await handle.db.deleteFrom("jobs").execute();
});
afterEach(() => setMailTransport(undefined));

describe("enqueueing", () => {
  it("never runs a job queued in a transaction that rolled back", async () => {
    const ran: number[] = [];
    const w = worker({ handlers: { "test.effect": async (c) => void ran.push(c.job.id) } });
    await expect(
      inTransaction(db, async (trx) => {
        await enqueueJob(trx, { queue: "test.effect", payload: { n: 1 } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await w.drain()).toBe(0);
    expect(ran).toEqual([]);
    const count = await handle.db
      .selectFrom("jobs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);

    // The same job in a transaction that commits runs once.
    await inTransaction(db, async (trx) => enqueueJob(trx, { queue: "test.effect", payload: { n: 2 } }));
    expect(await w.drain()).toBe(1);
    expect(ran).toHaveLength(1);
  });

  it("queues a dedupe key once", async () => {
    expect(await enqueueJob(db, { queue: "test.effect", payload: {}, dedupeKey: "once" })).toBe(true);
    expect(await enqueueJob(db, { queue: "test.effect", payload: {}, dedupeKey: "once" })).toBe(false);
  });
});

describe("failures", () => {
  it("retries a failing transport with growing, jittered back-off, then marks the job failed", async () => {
    const tries: string[] = [];
    setMailTransport({
      name: "down",
      async send(message) {
        tries.push(message.to);
        throw new MailSendError("Service unavailable (503)", { retryable: true, status: 503 });
      },
    });
    const id = await queueMail("retry@north.test", { maxAttempts: 3 });
    // The real back-off: 15–30 s after the first try, 30–60 s after the second.
    const w = worker({ backoffMs: undefined });
    const waits: number[] = [];
    for (const attempt of [1, 2]) {
      expect(await w.runOnce()).toBe(1);
      const row = await job(id);
      expect(row).toMatchObject({ status: "pending", attempts: attempt, locked_at: null });
      expect(row.last_error).toContain("Service unavailable (503)");
      const wait = await sql<{
        s: number;
      }>`select extract(epoch from run_at - now())::float8 as s from jobs where id = ${id}`.execute(
        handle.db,
      );
      waits.push(Number(wait.rows[0]!.s));
      // Not due yet: nothing runs until the back-off is over.
      expect(await w.runOnce()).toBe(0);
      await makeDue(id);
    }
    expect(waits[0]).toBeGreaterThan(13);
    expect(waits[0]).toBeLessThanOrEqual(30);
    expect(waits[1]).toBeGreaterThan(28);
    expect(waits[1]).toBeLessThanOrEqual(60);

    expect(await w.runOnce()).toBe(1);
    const failed = await job(id);
    expect(failed).toMatchObject({ status: "failed", attempts: 3 });
    expect(failed.finished_at).not.toBeNull();
    expect(failed.last_error).toContain("Service unavailable (503)");
    expect(tries).toEqual(["retry@north.test", "retry@north.test", "retry@north.test"]);
    expect(await w.drain()).toBe(0);
  });

  it("sends on a later try once the transport recovers, and only once", async () => {
    let down = true;
    const sent: MailMessage[] = [];
    setMailTransport({
      name: "flaky",
      async send(message) {
        if (down) throw new MailSendError("Rate limited (429)", { retryable: true, status: 429 });
        sent.push(message);
        return { providerRef: `ref-${sent.length}` };
      },
    });
    const id = await queueMail("flaky@north.test");
    const w = worker();
    await w.drain();
    expect((await job(id)).status).toBe("pending");
    down = false;
    await makeDue(id);
    await w.drain();
    expect(await job(id)).toMatchObject({ status: "done", attempts: 2 });
    expect(sent.map((m) => m.to)).toEqual(["flaky@north.test"]);
    const delivery = await handle.db
      .selectFrom("mail_deliveries")
      .selectAll()
      .where("job_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ status: "sent", provider_ref: "ref-1", attempt: 2 });
  });

  it("fails at once, without retrying, when the refusal is permanent", async () => {
    let tries = 0;
    setMailTransport({
      name: "refusing",
      async send() {
        tries++;
        throw new MailSendError("BadRequestError: Not a valid email address (400)", {
          retryable: false,
          status: 400,
        });
      },
    });
    const id = await queueMail("not-an-address@north.test");
    await worker().drain();
    const row = await job(id);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row.last_error).toContain("Refused for 1 of 1 recipient(s): not-an-address@north.test");
    expect(tries).toBe(1);
  });

  it("fails a job whose payload makes no sense, naming the queue it has no handler for after its tries", async () => {
    await enqueueJob(db, { queue: "test.bad", payload: {}, dedupeKey: "bad-payload" });
    await enqueueJob(db, { queue: "test.nobody", payload: {}, dedupeKey: "no-handler", maxAttempts: 2 });
    const w = worker({
      handlers: {
        "test.bad": async () => {
          throw new PermanentJobError("Unexpected payload");
        },
      },
    });
    await w.drain();
    await makeDue();
    await w.drain();
    const rows = await handle.db
      .selectFrom("jobs")
      .select(["queue", "status", "attempts", "last_error"])
      .where("dedupe_key", "in", ["bad-payload", "no-handler"])
      .orderBy("queue")
      .execute();
    expect(rows).toEqual([
      {
        queue: "test.bad",
        status: "failed",
        attempts: 1,
        last_error: "PermanentJobError: Unexpected payload",
      },
      {
        queue: "test.nobody",
        status: "failed",
        attempts: 2,
        last_error: 'No handler for the queue "test.nobody"',
      },
    ]);
  });
});

describe("a worker that dies", () => {
  it("leaves its job to be run again once its lease expires, exactly once", async () => {
    const id = await queueMail("restart@north.test");
    const crashed = worker({ id: "crashed" });
    // It claims the job and dies before running it.
    expect((await crashed.claim(1)).map((j) => j.id)).toEqual([id]);
    // Until the lease expires, nobody else touches it.
    const [b, c] = [worker({ id: "b" }), worker({ id: "c" })];
    expect(await b.drain()).toBe(0);
    await expireLease(id);
    const ran = (await Promise.all([b.drain(), c.drain()])).reduce((x, y) => x + y, 0);
    expect(ran).toBe(1);
    expect(await job(id)).toMatchObject({ status: "done", attempts: 2 });
    expect(recordedMail().map((m) => m.to)).toEqual(["restart@north.test"]);
  });

  it("cannot send or finish once another worker has taken its job over", async () => {
    const id = await queueMail("paused@north.test");
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A worker that stalls (a long pause) after claiming, before it sends.
    const stalled = worker({
      id: "stalled",
      handlers: {
        [MAIL_QUEUE]: async (context) => {
          await gate;
          await mailHandler(context);
        },
      },
    });
    const stalledRun = stalled.runOnce();
    await expect.poll(async () => (await job(id)).locked_by).toBe("stalled");
    await expireLease(id);
    expect(await worker({ id: "rescuer" }).drain()).toBe(1);
    release();
    await stalledRun;
    expect(await job(id)).toMatchObject({ status: "done", attempts: 2, locked_by: "rescuer" });
    expect(recordedMail().map((m) => m.to)).toEqual(["paused@north.test"]);
  });

  it("does not send again a message recorded as sent before the crash", async () => {
    const id = await queueMail("recorded@north.test");
    // The first try sends and records the message, then dies before marking the job done.
    expect((await worker({ id: "first" }).claim(1)).map((j) => j.id)).toEqual([id]);
    await handle.db
      .insertInto("mail_deliveries")
      .values({
        job_id: id,
        recipient: "recorded@north.test",
        status: "sent",
        attempt: 1,
        transport: "log",
        sent_at: new Date(),
      })
      .execute();
    await expireLease(id);
    await worker({ id: "second" }).drain();
    expect(await job(id)).toMatchObject({ status: "done", attempts: 2 });
    expect(recordedMail()).toEqual([]);
  });

  it("sends a message left in doubt again with the same reference, when the provider cannot be asked", async () => {
    const id = await queueMail("doubt@north.test");
    expect((await worker({ id: "first" }).claim(1)).map((j) => j.id)).toEqual([id]);
    // It died between handing the message over and recording that it was sent.
    await handle.db
      .insertInto("mail_deliveries")
      .values({ job_id: id, recipient: "doubt@north.test", status: "sending", attempt: 1, transport: "log" })
      .execute();
    await expireLease(id);
    await worker({ id: "second" }).drain();
    expect(recordedMail().map((m) => [m.to, m.reference])).toEqual([
      ["doubt@north.test", deliveryReference(id, "doubt@north.test")],
    ]);
  });
});

describe("two workers", () => {
  it("never claim the same job (claims interleaved on one connection)", async () => {
    const ids = await Promise.all(
      ["a", "b", "c", "d", "e"].map((n) => queueMail(`interleaved-${n}@north.test`)),
    );
    const [a, b] = [worker({ id: "a" }), worker({ id: "b" })];
    const first = await a.claim(2);
    const second = await b.claim(2);
    const third = await a.claim(2);
    const fourth = await b.claim(2);
    const claimed = [...first, ...second, ...third, ...fourth].map((j) => j.id);
    expect(claimed.sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(claimed).size).toBe(5);
    expect(fourth).toEqual([]);
    // Clean up: let them run (as b, which now holds none of them, they are not b's to run).
    await sql`update jobs set status = 'done' where id in (${sql.join(ids)})`.execute(handle.db);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "running claim loops at once on PostgreSQL send each job's message exactly once (PGlite is one connection, so two loops cannot run at once there)",
    async () => {
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(handle.db);
      const other = openDatabase({
        databaseUrl: withDatabaseName(process.env.DATABASE_URL!, rows[0]!.name),
        poolSize: 4,
      });
      const sent: { to: string; reference: string | undefined }[] = [];
      const slowTransport: MailTransport = {
        name: "slow",
        async send(message, options) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          sent.push({ to: message.to, reference: options?.reference });
          return { providerRef: options?.reference ?? null };
        },
      };
      setMailTransport(slowTransport);
      try {
        const ids: number[] = [];
        for (let n = 0; n < 40; n++) ids.push(await queueMail(`concurrent-${n}@north.test`));
        const one = new JobWorker({ db: handle.db, handlers, id: "one", concurrency: 3, pollMs: 20 });
        const two = new JobWorker({
          db: other.db as Kysely<Database>,
          handlers,
          id: "two",
          concurrency: 3,
          pollMs: 20,
        });
        one.start();
        two.start();
        await expect
          .poll(
            async () =>
              Number(
                (
                  await handle.db
                    .selectFrom("jobs")
                    .select((eb) => eb.fn.countAll<number>().as("n"))
                    .where("id", "in", ids)
                    .where("status", "=", "done")
                    .executeTakeFirstOrThrow()
                ).n,
              ),
            { timeout: 20_000, interval: 100 },
          )
          .toBe(40);
        await Promise.all([one.stop(), two.stop()]);
        expect(sent).toHaveLength(40);
        expect(new Set(sent.map((s) => s.reference)).size).toBe(40);
        const byWorker = await handle.db
          .selectFrom("jobs")
          .select(["locked_by", (eb) => eb.fn.countAll<number>().as("n")])
          .where("id", "in", ids)
          .groupBy("locked_by")
          .execute();
        // Both took part, and every job ran on its first try.
        expect(byWorker.map((r) => r.locked_by).sort()).toEqual(["one", "two"]);
        const attempts = await handle.db
          .selectFrom("jobs")
          .select("attempts")
          .where("id", "in", ids)
          .execute();
        expect(attempts.every((a) => a.attempts === 1)).toBe(true);
      } finally {
        await other.close();
      }
    },
  );
});

describe("stopping", () => {
  it("finishes the jobs in flight, then stops claiming", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const finished: number[] = [];
    const w = new JobWorker({
      db: handle.db,
      handlers: {
        "test.slow": async (context) => {
          await gate;
          finished.push(context.job.id);
        },
      },
      pollMs: 10,
    });
    await enqueueJob(db, { queue: "test.slow", payload: {}, dedupeKey: "slow-1" });
    w.start();
    await expect
      .poll(
        async () =>
          (
            await handle.db
              .selectFrom("jobs")
              .select("status")
              .where("dedupe_key", "=", "slow-1")
              .executeTakeFirstOrThrow()
          ).status,
      )
      .toBe("running");
    const stopping = w.stop();
    await enqueueJob(db, { queue: "test.slow", payload: {}, dedupeKey: "slow-2" });
    release();
    await stopping;
    expect(finished).toHaveLength(1);
    const statuses = await handle.db
      .selectFrom("jobs")
      .select(["dedupe_key", "status"])
      .where("dedupe_key", "in", ["slow-1", "slow-2"])
      .orderBy("dedupe_key")
      .execute();
    expect(statuses).toEqual([
      { dedupe_key: "slow-1", status: "done" },
      { dedupe_key: "slow-2", status: "pending" },
    ]);
  });
});
