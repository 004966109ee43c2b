import { mkdirSync, writeFileSync } from "node:fs";
import { sql } from "kysely";
import { openDatabase } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { generate } from "../db/seed/generate";
import { adminUrl, withDatabaseName } from "../tests/database-urls";

/*
 * Benchmarks on generated data (`npm run bench`). Today: how long `generate` takes to load
 * N meetings into real PostgreSQL, and the cost of the main list queries on that data.
 * Page throughput with autocannon follows with the performance work (issue 8).
 *
 *   BENCH_DATABASE_URL  a PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres);
 *                       a fresh database is created on it and dropped afterwards
 *   BENCH_MEETINGS      meetings to generate (default 100000)
 */

const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const meetings = Number(process.env.BENCH_MEETINGS ?? 100_000);
const name = `bl_bench_${Date.now()}`;

const admin = openDatabase({ databaseUrl: adminUrl(serverUrl), poolSize: 1 });
await sql.raw(`create database ${name}`).execute(admin.db);
const handle = openDatabase({ databaseUrl: withDatabaseName(serverUrl, name), poolSize: 4 });

interface QueryTiming {
  query: string;
  medianMs: number;
  runs: number;
}

async function timeQuery(label: string, run: () => Promise<unknown>, runs = 20): Promise<QueryTiming> {
  await run(); // warm up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { query: label, medianMs: Number(times[Math.floor(times.length / 2)]!.toFixed(2)), runs };
}

try {
  await migrateToLatest(handle.db);
  const started = performance.now();
  const summary = await generate(handle.db, {
    meetings,
    engine: "postgres",
    onProgress: (m) => console.log(`  ${m}`),
  });
  const generateSeconds = (performance.now() - started) / 1000;
  console.log(`generate --meetings ${meetings}: ${generateSeconds.toFixed(1)} s`);
  await sql`analyze`.execute(handle.db);

  const ws = await handle.db
    .selectFrom("workspaces")
    .select("id")
    .where("slug", "=", "bench")
    .executeTakeFirstOrThrow();
  const board = await handle.db
    .selectFrom("boards")
    .select("id")
    .where("workspace_id", "=", ws.id)
    .executeTakeFirstOrThrow();
  const queries = [
    await timeQuery("boards of a workspace with member and meeting counts", () =>
      sql`select b.id, b.name,
            (select count(*) from memberships m where m.workspace_id = b.workspace_id and m.board_id = b.id and m.to_date is null) as members,
            (select max(starts_at) from meetings mt where mt.workspace_id = b.workspace_id and mt.board_id = b.id and mt.status = 'held') as last_held
          from boards b where b.workspace_id = ${ws.id} order by b.name limit 50`.execute(handle.db),
    ),
    await timeQuery("a board's 20 most recent meetings", () =>
      sql`select id, starts_at from meetings where workspace_id = ${ws.id} and board_id = ${board.id}
          order by starts_at desc limit 20`.execute(handle.db),
    ),
    await timeQuery("50 open actions by due date", () =>
      sql`select id, title, due_date from actions where workspace_id = ${ws.id} and status in ('open', 'in_progress')
          order by due_date, id limit 50`.execute(handle.db),
    ),
  ];
  for (const q of queries) console.log(`${q.query}: median ${q.medianMs} ms over ${q.runs} runs`);

  mkdirSync("bench/results", { recursive: true });
  writeFileSync(
    "bench/results/latest.json",
    `${JSON.stringify({ at: new Date().toISOString(), meetings, generateSeconds, summary, queries }, null, 2)}\n`,
  );
  console.log("Results written to bench/results/latest.json");
} finally {
  await handle.close();
  await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
  await admin.close();
}
