import { sql } from "kysely";
import { database } from "../db.server";

/*
 * Health check for the load balancer and the test harness: the database answers a trivial
 * query within 2 seconds (200), or it does not (503). Never cached.
 */

const TIMEOUT_MS = 2_000;

function json(body: { status: "ok" | "unavailable" }, status: number): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

export async function loader() {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), TIMEOUT_MS);
  });
  try {
    const probe = database().then((db) => sql`select 1`.execute(db));
    // A probe that loses the race may still fail later; that must not go unhandled.
    probe.catch(() => {});
    const result = await Promise.race([probe, timeout]);
    return result === "timeout" ? json({ status: "unavailable" }, 503) : json({ status: "ok" }, 200);
  } catch {
    return json({ status: "unavailable" }, 503);
  } finally {
    clearTimeout(timer);
  }
}
