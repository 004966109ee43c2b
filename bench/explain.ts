import pg from "pg";
import { openDatabase, POSTGRES_SESSION_OPTIONS } from "../db/client";
import { runCli } from "../tests/app-process";

/*
 * `tsx bench/explain.ts ROUTE PATH [admin|partner|public] [params as JSON]`: runs one page's
 * loader against DATABASE_URL (a database loaded by `npm run cli -- generate`), captures its
 * SQL with Kysely's query log, and prints each statement's EXPLAIN (ANALYZE, BUFFERS) with
 * its median execution time (EXPLAIN_RUNS, default 5): the quick way to see which query of a page is slow, and to check an
 * index or a rewrite, before running the whole benchmark.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/followup_bench \
 *     npx tsx bench/explain.ts actions._index "/actions?pageSize=50" partner
 *
 * Creates admin@bench.test and partner@bench.test (a partner for the agency owning most
 * actions) in the "bench" workspace the first time. EXPLAIN_PLANS=1 prints whole plans.
 */

const [route, path, as = "admin", paramsJson = "{}"] = process.argv.slice(2);
const databaseUrl = process.env.DATABASE_URL;
if (!route || !path || !databaseUrl || !["admin", "partner", "public"].includes(as)) {
  console.error("Usage: DATABASE_URL=… tsx bench/explain.ts ROUTE PATH [admin|partner|public] [params JSON]");
  process.exit(2);
}
const params = JSON.parse(paramsJson) as Record<string, string>;
const PASSWORD = "bench-password-5c1d-a7";

const data = new pg.Pool({ connectionString: databaseUrl, max: 1, options: POSTGRES_SESSION_OPTIONS });
const one = async <T>(text: string, values: unknown[] = []) => (await data.query(text, values)).rows[0] as T;

async function ensureUser(email: string, role: string, extra: string[]) {
  if (await one(`select 1 from users where email = $1`, [email])) return;
  const args = ["create-user", "--workspace", "bench", "--email", email, "--name", email, "--role", role];
  await runCli([...args, ...extra, "--password", PASSWORD], { ...process.env });
}

let cookie: string | null = null;
if (as !== "public") {
  const agency = await one<{ name: string }>(
    `select a.name from agencies a join actions x on x.workspace_id = a.workspace_id and x.owner_agency_id = a.id
     group by a.id, a.name order by count(*) desc limit 1`,
  );
  await ensureUser("admin@bench.test", "admin", []);
  await ensureUser("partner@bench.test", "partner", ["--agency", agency.name]);
}

const queries: { sql: string; parameters: readonly unknown[] }[] = [];
const handle = openDatabase({
  databaseUrl,
  poolSize: 1,
  log: (event) => {
    if (event.level === "query") queries.push({ sql: event.query.sql, parameters: event.query.parameters });
  },
});
const { useDatabaseForTests: adoptDatabase } = await import("../app/db.server");
const { runWithRequestContext } = await import("../app/request-context.server");
const { getViewer } = await import("../app/auth/viewer.server");
const { routeArgs, cookieFor } = await import("../tests/routes");
adoptDatabase(handle);
if (as !== "public") cookie = await cookieFor(handle.db, `${as}@bench.test`);
const module = (await import(`../app/routes/${route}.tsx`)) as {
  loader: (args: unknown) => Promise<unknown>;
};
queries.length = 0;
const request = new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });
await runWithRequestContext(request, async () => {
  await getViewer(request);
  await module.loader(routeArgs(request, params));
});
await handle.close();

const runs = Number(process.env.EXPLAIN_RUNS ?? 5);
let total = 0;
for (const query of queries) {
  // One run to warm the cache, then the median of `runs` (the machine is shared and noisy).
  const explain = async () =>
    (await data.query(`explain (analyze, buffers) ${query.sql}`, [...query.parameters])).rows.map(
      (r: Record<string, string>) => r["QUERY PLAN"] ?? "",
    );
  let plan = await explain();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    plan = await explain();
    times.push(Number(/Execution Time: ([\d.]+) ms/.exec(plan.join("\n"))?.[1] ?? Number.NaN));
  }
  const time = times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? Number.NaN;
  total += time;
  console.log(`${time.toFixed(2).padStart(9)} ms  ${query.sql.replace(/\s+/g, " ").slice(0, 160)}`);
  if (process.env.EXPLAIN_PLANS) console.log(`${plan.join("\n")}\n`);
}
console.log(`${total.toFixed(2).padStart(9)} ms  in all (${queries.length} statements)`);
await data.end();
