import { sql } from "kysely";
import { refreshStaleRollups } from "./app/costs/rollups.server";
import { openDatabase } from "./db/client";
import { scopeToWorkspace } from "./db/tenancy";

const handle = openDatabase({ databaseUrl: process.env.DATABASE_URL! });
const db = scopeToWorkspace(handle.db, 1);
const times: number[] = [];
for (let i = 0; i < 10; i++) {
  await sql`update attendance set minutes_present = 60 + ${i} where workspace_id = 1 and id = (select min(id) + ${i * 1000} from attendance where workspace_id = 1)`.execute(
    handle.db,
  );
  const t = performance.now();
  await refreshStaleRollups(db);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log("one meeting stale, refresh ms: median", times[5]!.toFixed(1), "max", times[9]!.toFixed(1));
const full: number[] = [];
for (let i = 0; i < 3; i++) {
  await sql`update meeting_rollups set stale = true where workspace_id = 1`.execute(handle.db);
  const t = performance.now();
  await refreshStaleRollups(db);
  full.push(performance.now() - t);
}
console.log("all stale, refresh s:", full.map((x) => (x / 1000).toFixed(2)).join(", "));
const noop: number[] = [];
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  await refreshStaleRollups(db);
  noop.push(performance.now() - t);
}
noop.sort((a, b) => a - b);
console.log("nothing stale, ms: median", noop[10]!.toFixed(2), "max", noop[19]!.toFixed(2));
await handle.close();
