import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/*
 * Logs and metrics, shared by the HTTP server (server.ts) and the app's server bundle.
 * Both load this module (the bundle has its own copy), so the state lives on globalThis:
 * one metrics registry and one request store per process.
 *
 * Each request gets a RequestRecord when it arrives. The app fills in what only it knows
 * (the matched route pattern, the signed-in user and workspace); the server writes one JSON
 * log line from it when the response has been sent. What is logged is chosen field by
 * field: never a query string, a cookie, a header, a form value or a token in a path.
 */

export interface RequestRecord {
  id: string;
  method: string;
  /** The matched route pattern, e.g. "/boards/:boardId"; "static" for built assets. */
  route?: string;
  /** The path with its ids filled in and any token parameter left as ":token". */
  path?: string;
  userId?: number;
  workspace?: string;
  /** Set when the database could not be reached while serving this request. */
  databaseUnavailable?: boolean;
}

interface Observability {
  requests: AsyncLocalStorage<RequestRecord>;
  registry: Registry;
  httpRequests: Counter<"route" | "method" | "status">;
  httpDuration: Histogram<"route" | "method" | "status">;
  jobs: Gauge<"queue" | "status">;
  databaseUp: Gauge;
  poolConnections: Gauge<"state">;
  shuttingDown: boolean;
}

const globalForObservability = globalThis as typeof globalThis & {
  __boardledgerObservability?: Observability;
};

function create(): Observability {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "boardledger_" });
  const labelNames = ["route", "method", "status"] as const;
  return {
    requests: new AsyncLocalStorage<RequestRecord>(),
    registry,
    httpRequests: new Counter({
      name: "boardledger_http_requests_total",
      help: "HTTP requests answered, by route pattern, method and status",
      labelNames,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "boardledger_http_request_duration_seconds",
      help: "Time from a request's arrival to its response being sent",
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    jobs: new Gauge({
      name: "boardledger_jobs",
      help: "Jobs in the queue table, by queue and status",
      labelNames: ["queue", "status"],
      registers: [registry],
    }),
    databaseUp: new Gauge({
      name: "boardledger_database_up",
      help: "1 when the database answered the last scrape's query, else 0",
      registers: [registry],
    }),
    poolConnections: new Gauge({
      name: "boardledger_db_pool_connections",
      help: "PostgreSQL pool connections: total, idle, and requests waiting for one",
      labelNames: ["state"],
      registers: [registry],
    }),
    shuttingDown: false,
  };
}

export function observability(): Observability {
  globalForObservability.__boardledgerObservability ??= create();
  return globalForObservability.__boardledgerObservability;
}

/** Runs `work` (the rest of the request's handling) with a fresh record for this request. */
export function runWithRequestRecord<T>(record: RequestRecord, work: () => T): T {
  return observability().requests.run(record, work);
}

export function newRequestRecord(method: string): RequestRecord {
  return { id: randomUUID(), method: method.toUpperCase() };
}

export function currentRequestRecord(): RequestRecord | undefined {
  return observability().requests.getStore();
}

/** What the app learns about the request: who asked, and which route answered. */
export function annotateRequest(fields: Partial<Omit<RequestRecord, "id" | "method">>): void {
  const record = currentRequestRecord();
  if (record) Object.assign(record, fields);
}

const SECRET_PARAM = /token|secret|code|key/i;

/**
 * The path to log: the pattern with its parameters filled in, except secrets (invitation
 * and reset tokens travel in the path) and splats (whatever someone typed).
 */
export function loggablePath(pattern: string, params: Record<string, string | undefined>): string {
  return pattern.replace(/:([A-Za-z0-9_]+)(\?)?/g, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined || SECRET_PARAM.test(name)) return `:${name}`;
    return encodeURIComponent(value);
  });
}

export type LogLevel = "debug" | "info" | "warn" | "error";
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const wanted = process.env.LOG_LEVEL as LogLevel | undefined;
  return LEVELS[wanted && wanted in LEVELS ? wanted : "info"];
}

/** One JSON line on stdout (errors on stderr). */
export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  if (LEVELS[level] < threshold()) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === "error") process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

/** An error's name, message and stack, for a log line (no request data). */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.name, message: error.message, stack: error.stack };
  return { error: String(error) };
}

/** Records a finished request in the metrics and writes its log line. */
export function requestFinished(record: RequestRecord, status: number, durationMs: number): void {
  const o = observability();
  const labels = { route: record.route ?? "unmatched", method: record.method, status: String(status) };
  o.httpRequests.inc(labels);
  o.httpDuration.observe(labels, durationMs / 1000);
  log(status >= 500 ? "error" : "info", "request", {
    requestId: record.id,
    method: record.method,
    route: labels.route,
    path: record.path,
    status,
    durationMs: Math.round(durationMs * 10) / 10,
    userId: record.userId,
    workspace: record.workspace,
    ...(record.databaseUnavailable ? { databaseUnavailable: true } : {}),
  });
}

export function isShuttingDown(): boolean {
  return observability().shuttingDown;
}

export function markShuttingDown(): void {
  observability().shuttingDown = true;
}
