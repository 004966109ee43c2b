import { sql } from "kysely";
import { database } from "../db.server";
import { isShuttingDown } from "../observability.server";

/*
 * Health check for the load balancer and the test harness: the database answers a trivial
 * query within 2 seconds (200), or it does not (503). A server that is shutting down also
 * answers 503, so the load balancer stops sending it new work. Never cached.
 */

const TIMEOUT_MS = 2_000;

type Health = { status: "ok" | "unavailable" | "stopping"; database: "ok" | "unavailable" | "not checked" };

function json(body: Health, status: number): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

export async function loader() {
  if (isShuttingDown()) return json({ status: "stopping", database: "not checked" }, 503);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), TIMEOUT_MS);
  });
  const unavailable = () => json({ status: "unavailable", database: "unavailable" }, 503);
  try {
    const probe = database().then((db) => sql`select 1`.execute(db));
    // A probe that loses the race may still fail later; that must not go unhandled.
    probe.catch(() => {});
    const result = await Promise.race([probe, timeout]);
    return result === "timeout" ? unavailable() : json({ status: "ok", database: "ok" }, 200);
  } catch {
    return unavailable();
  } finally {
    clearTimeout(timer);
  }
}
