import { createHash, timingSafeEqual } from "node:crypto";
import { database, openedDatabase } from "./db.server";
import { jobCounts } from "./jobs/stats.server";
import { observability } from "./observability.server";

/*
 * The Prometheus scrape (/metrics): request counts and latencies (recorded by server.ts),
 * the process's own figures, the PostgreSQL pool, and the job queue's counts read at scrape
 * time. Only a scraper holding METRICS_TOKEN may read it; anyone else gets 404.
 */

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Whether the request carries `Authorization: Bearer <METRICS_TOKEN>` (and a token is set). */
export function mayScrapeMetrics(request: Request): boolean {
  const token = process.env.METRICS_TOKEN;
  if (!token) return false;
  const given = request.headers.get("Authorization") ?? "";
  return timingSafeEqual(digest(given), digest(`Bearer ${token}`));
}

export async function scrapeMetrics(): Promise<{ contentType: string; body: string }> {
  const o = observability();
  const pool = openedDatabase()?.pool;
  if (pool) {
    o.poolConnections.set({ state: "total" }, pool.totalCount);
    o.poolConnections.set({ state: "idle" }, pool.idleCount);
    o.poolConnections.set({ state: "waiting" }, pool.waitingCount);
  }
  try {
    const counts = await jobCounts(await database());
    o.jobs.reset();
    for (const row of counts) o.jobs.set({ queue: row.queue, status: row.status }, row.count);
    o.databaseUp.set(1);
  } catch {
    // The rest of the figures are still worth having while the database is away.
    o.databaseUp.set(0);
  }
  return { contentType: o.registry.contentType, body: await o.registry.metrics() };
}
