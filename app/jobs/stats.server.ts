import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";

/** How many jobs each queue holds in each status (the queue table is not per workspace). */
export async function jobCounts(
  db: Kysely<Database>,
): Promise<{ queue: string; status: string; count: number }[]> {
  return db
    .selectFrom("jobs")
    .select(["queue", "status", (eb) => eb.fn.countAll<number>().as("count")])
    .groupBy(["queue", "status"])
    .orderBy("queue")
    .orderBy("status")
    .execute();
}
