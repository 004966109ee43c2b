import { parseArgs } from "node:util";
import { startWorker, workerConcurrency } from "../app/jobs/app-worker.server";
import { jobHandlers, schedules } from "../app/jobs/registry.server";
import { enqueueDueSlots } from "../app/jobs/scheduler.server";
import { JobWorker } from "../app/jobs/worker.server";
import { runShutdownHooks } from "../app/lifecycle.server";
import { checkMailConfig } from "../app/mail/config.server";
import { BackupError, exportWorkspace, importWorkspace } from "../db/backup";
import { type DatabaseHandle, DataDirInUse, openDatabase } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "../db/seed/demo";
import { generate } from "../db/seed/generate";
import {
  checkTokenArguments,
  createApiTokenFor,
  createUserWithRole,
  createWorkspace,
  UsageError,
} from "./operator";

/*
 * The operator CLI: `npm run cli -- <command> [options]`.
 * Every command opens the database the app would (PGlite in ./data, or DATABASE_URL).
 * PGlite is single-process: stop the app before running a command against ./data.
 */

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<Parameters<typeof parseArgs>[0]>["options"];
  /** Checks the arguments before any database is opened; throws UsageError. */
  check?(values: Record<string, string | boolean | undefined>): void;
  run(values: Record<string, string | boolean | undefined>, handle: DatabaseHandle): Promise<void>;
}

const commands: Record<string, Command> = {
  boot: {
    summary:
      "Migrate; on the embedded database (or with SEED_DEMO=1) seed the demo partnership on first start",
    usage: "boot",
    options: {},
    async run(_values, handle) {
      await migrateToLatest(handle.db);
      const wantsDemo = handle.engine === "pglite" || process.env.SEED_DEMO === "1";
      const workspaces = await handle.db.selectFrom("workspaces").select("id").limit(1).execute();
      if (wantsDemo && workspaces.length === 0) {
        const summary = await seedDemo(handle.db);
        console.log(`Seeded the demo partnership (${summary.counts.meetings} meetings).`);
      }
      const port = process.env.PORT ?? "3000";
      console.log(`\nBoardledger will serve http://localhost:${port}`);
      const demo = await handle.db
        .selectFrom("workspaces")
        .select("id")
        .where("is_demo", "=", true)
        .executeTakeFirst();
      if (demo) {
        console.log(`Demo sign-in accounts (password "${DEMO_PASSWORD}"):`);
        for (const account of DEMO_ACCOUNTS)
          console.log(`  ${account.email.padEnd(22)} ${account.description}`);
      }
      console.log("");
    },
  },
  migrate: {
    summary: "Run every pending database migration",
    usage: "migrate",
    options: {},
    async run(_values, handle) {
      const result = await migrateToLatest(handle.db);
      const applied = result.results?.filter((r) => r.status === "Success").map((r) => r.migrationName) ?? [];
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
    },
  },
  "seed-demo": {
    summary: "Create the demo partnership and its sign-in accounts (refuses if it exists)",
    usage: "seed-demo",
    options: {},
    async run(_values, handle) {
      await migrateToLatest(handle.db);
      const existing = await handle.db
        .selectFrom("workspaces")
        .select("id")
        .where("slug", "=", "demo")
        .executeTakeFirst();
      if (existing) throw new UsageError('The demo workspace ("demo") already exists.');
      const summary = await seedDemo(handle.db);
      console.log(`Seeded the demo partnership: ${JSON.stringify(summary.counts)}`);
    },
  },
  generate: {
    summary: "Generate synthetic data at scale for benchmarks (its own workspace)",
    usage: "generate --meetings N [--workspace bench] [--seed 1]",
    options: { meetings: { type: "string" }, workspace: { type: "string" }, seed: { type: "string" } },
    check(values) {
      positiveInteger(values.meetings, "--meetings");
      if (values.seed !== undefined) positiveInteger(values.seed, "--seed");
    },
    async run(values, handle) {
      const meetings = positiveInteger(values.meetings, "--meetings");
      const seed = values.seed === undefined ? undefined : positiveInteger(values.seed, "--seed");
      await migrateToLatest(handle.db);
      const started = Date.now();
      const summary = await generate(handle.db, {
        meetings,
        seed,
        workspaceSlug: typeof values.workspace === "string" ? values.workspace : undefined,
        engine: handle.engine,
        onProgress: (message) => console.log(message),
      });
      console.log(`Generated in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(summary)}`);
    },
  },
  "export-workspace": {
    summary: "Write one workspace (its rows, users and queued jobs) to a file, from one consistent snapshot",
    usage: "export-workspace --workspace SLUG --out FILE",
    options: { workspace: { type: "string" }, out: { type: "string" } },
    check(values) {
      if (typeof values.workspace !== "string" || !values.workspace)
        throw new UsageError("--workspace is needed.");
      if (typeof values.out !== "string" || !values.out) throw new UsageError("--out is needed.");
    },
    async run(values, handle) {
      const counts = await backupStep(() =>
        exportWorkspace(handle.db, String(values.workspace), String(values.out)),
      );
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      console.log(
        `Exported ${values.workspace} to ${values.out}: ${total} rows in ${Object.keys(counts).length} tables.`,
      );
    },
  },
  "import-workspace": {
    summary: "Load a workspace export into an empty database, in one transaction (ids kept)",
    usage: "import-workspace --in FILE",
    options: { in: { type: "string" } },
    check(values) {
      if (typeof values.in !== "string" || !values.in) throw new UsageError("--in is needed.");
    },
    async run(values, handle) {
      await migrateToLatest(handle.db);
      const result = await backupStep(() => importWorkspace(handle.db, String(values.in)));
      const total = Object.values(result.counts).reduce((sum, n) => sum + n, 0);
      console.log(`Imported ${result.workspace}: ${total} rows.`);
    },
  },
  "create-workspace": {
    summary: "Create a workspace (a customer)",
    usage: "create-workspace --slug northshire --name 'Northshire Partnership'",
    options: { slug: { type: "string" }, name: { type: "string" } },
    async run(values, handle) {
      await migrateToLatest(handle.db);
      const id = await createWorkspace(handle.db, { slug: values.slug, name: values.name });
      console.log(`Created workspace ${String(values.slug)} (id ${id}).`);
    },
  },
  "create-user": {
    summary: "Create a user (or add an existing one) in a workspace with a role",
    usage:
      "create-user --workspace SLUG --email EMAIL --name NAME --role admin|leader|secretary|member|partner [--board SLUG] [--agency NAME] [--password PASSWORD]",
    options: {
      workspace: { type: "string" },
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      board: { type: "string" },
      agency: { type: "string" },
      password: { type: "string" },
    },
    async run(values, handle) {
      await migrateToLatest(handle.db);
      const result = await createUserWithRole(handle.db, values);
      console.log(`User ${result.email} is ${result.role} in ${result.workspace}.`);
      if (result.generatedPassword) console.log(`Their password: ${result.generatedPassword} (shown once)`);
    },
  },
  worker: {
    summary:
      "Run the job worker and scheduler alone (email, reminders) until stopped; --once runs what is due and exits",
    usage: "worker [--concurrency N] [--once]",
    options: { concurrency: { type: "string" }, once: { type: "boolean" } },
    check(values) {
      if (values.concurrency !== undefined) positiveInteger(values.concurrency, "--concurrency");
      checkMailConfig();
    },
    async run(values, handle) {
      const concurrency =
        values.concurrency === undefined
          ? workerConcurrency()
          : positiveInteger(values.concurrency, "--concurrency");
      if (values.once) {
        await enqueueDueSlots(handle.db, schedules);
        const ran = await new JobWorker({ db: handle.db, handlers: jobHandlers, concurrency }).drain();
        console.log(`Ran ${ran} job(s).`);
        return;
      }
      const running = startWorker(handle.db, { concurrency });
      console.log(
        `Worker ${running.worker.id} running ${concurrency} job(s) at a time. Stop with Ctrl+C or SIGTERM.`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGTERM", stop);
        process.once("SIGINT", stop);
      });
      console.log("Stopping: finishing the jobs in flight…");
      await runShutdownHooks();
    },
  },
  "create-token": {
    summary: "Make a personal access token for the JSON API for a user (shown once)",
    usage:
      "create-token --email EMAIL --scope read|write [--workspace SLUG] [--expires-days N] [--name NAME]",
    options: {
      email: { type: "string" },
      scope: { type: "string" },
      workspace: { type: "string" },
      "expires-days": { type: "string" },
      name: { type: "string" },
    },
    check(values) {
      checkTokenArguments(values);
    },
    async run(values, handle) {
      await migrateToLatest(handle.db);
      const made = await createApiTokenFor(handle.db, values);
      console.log(
        `Token for ${made.email} in ${made.workspace} (${made.scope === "write" ? "read and write" : "read only"}, expires ${made.expiresAt.toISOString().slice(0, 10)}):`,
      );
      console.log(made.token);
      console.log("It is shown once: store it now. Its user can revoke it on their account page.");
    },
  },
};

/** A backup refusal (no such workspace, a damaged file, a clash) is the operator's to fix: a usage error. */
async function backupStep<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BackupError) throw new UsageError(error.message);
    throw error;
  }
}

function positiveInteger(value: string | boolean | undefined, flag: string): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} needs a whole number of 1 or more.`);
  return n;
}

function help(): string {
  const lines = ["Usage: npm run cli -- <command> [options]", "", "Commands:"];
  for (const [name, command] of Object.entries(commands)) {
    lines.push(
      `  ${name.padEnd(18)} ${command.summary}`,
      `  ${"".padEnd(18)} npm run cli -- ${command.usage}`,
    );
  }
  lines.push(`  ${"help".padEnd(18)} Show this help`);
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(help());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false });
    values = parsed.values as Record<string, string | boolean | undefined>;
  } catch (error) {
    console.error(
      `${error instanceof Error ? error.message : String(error)}\nUsage: npm run cli -- ${command.usage}`,
    );
    return 2;
  }
  try {
    command.check?.(values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\nUsage: npm run cli -- ${command.usage}`);
    return 2;
  }
  let handle: DatabaseHandle;
  try {
    handle = openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, poolSize: 4 });
  } catch (error) {
    if (!(error instanceof DataDirInUse)) throw error;
    console.error(error.message);
    return 1;
  }
  try {
    await command.run(values, handle);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\nUsage: npm run cli -- ${command.usage}`);
      return 2;
    }
    console.error(error);
    return 1;
  } finally {
    await handle.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
