import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema";

/*
 * Rate limits kept in the database (`rate_limit_buckets`), so a limit holds across every
 * app instance. Fixed windows: one row per key and window, its hits counted by a single
 * atomic upsert, so two instances counting at once never lose a hit. Old windows are
 * pruned by the housekeeping job (pruneRateLimitBuckets).
 */

export interface RateLimitRule {
  /** Hits allowed in one window. */
  limit: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  /** Hits left in this window (0 once refused). */
  remaining: number;
  /** When this window ends and the count starts again. */
  resetAt: Date;
  /** Whole seconds until then (at least 1): the Retry-After of a refusal. */
  retryAfterSeconds: number;
}

/** Counts one hit for `key` ("api-token:42") and says whether it is within the rule. */
export async function hitRateLimit(
  db: Kysely<Database>,
  key: string,
  rule: RateLimitRule,
  now = new Date(),
): Promise<RateLimitResult> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const row = await db
    .insertInto("rate_limit_buckets")
    .values({ key, window_start: windowStart, hits: 1 })
    .onConflict((oc) =>
      oc.columns(["key", "window_start"]).doUpdateSet({ hits: sql<number>`rate_limit_buckets.hits + 1` }),
    )
    .returning("hits")
    .executeTakeFirstOrThrow();
  const hits = Number(row.hits);
  const resetAt = new Date(windowStart.getTime() + windowMs);
  return {
    allowed: hits <= rule.limit,
    limit: rule.limit,
    remaining: Math.max(0, rule.limit - hits),
    resetAt,
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000)),
  };
}

/** Deletes windows that ended more than a day ago (called by the housekeeping job). */
export async function pruneRateLimitBuckets(db: Kysely<Database>, now = new Date()): Promise<number> {
  const result = await db
    .deleteFrom("rate_limit_buckets")
    .where("window_start", "<", new Date(now.getTime() - 24 * 60 * 60_000))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
