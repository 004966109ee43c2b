import { sql } from "kysely";
import pg from "pg";
import { refreshStaleRollups } from "./app/costs/rollups.server";
import { openDatabase } from "./db/client";
import { scopeToWorkspace } from "./db/tenancy";

let captured: { sql: string; parameters: readonly unknown[] } | null = null;
const handle = openDatabase({
  databaseUrl: process.env.DATABASE_URL!,
  log: (e) => {
    if (e.query.sql.includes("upserted as")) captured = e.query as never;
  },
});
const db = scopeToWorkspace(handle.db, 1);
await sql`update meeting_rollups set stale = true where workspace_id = 1`.execute(handle.db);
await refreshStaleRollups(db);
await sql`update meeting_rollups set stale = true where workspace_id = 1`.execute(handle.db);
await handle.close();
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
await client.query("begin");
await client.query("set jit = off");
await client.query("delete from meeting_agency_rollups where workspace_id = 1");
const c = captured as unknown as { sql: string; parameters: unknown[] };
const r = await client.query(`explain (analyze, costs off, timing on) ${c.sql}`, c.parameters);
console.log(r.rows.map((x) => x["QUERY PLAN"]).join("\n"));
await client.query("rollback");
await client.end();
