import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import type { ServerBuild } from "react-router";
import { closeDatabase, database } from "./app/db.server";
import { runShutdownHooks } from "./app/lifecycle.server";
import {
  annotateRequest,
  describeError,
  isShuttingDown,
  log,
  markShuttingDown,
  newRequestRecord,
  requestFinished,
  runWithRequestRecord,
} from "./app/observability.server";

/*
 * The production HTTP server (`npm start`, the Docker image): Express serving the built
 * assets and handing every other request to the React Router server build.
 *
 * - One JSON log line per request (app/observability.server.ts) and Prometheus metrics
 *   (at /metrics, a route of the app).
 * - Graceful shutdown on SIGTERM or SIGINT: /healthz turns 503, the listener closes (no new
 *   connections), requests in flight finish (up to SHUTDOWN_TIMEOUT_MS, then their
 *   connections are cut), the shutdown hooks run (the job worker finishes its job), the
 *   database closes, and the process exits 0. A second signal exits at once.
 */

export interface ServerOptions {
  /** The server build, e.g. build/server/index.js. */
  buildPath: string;
  port: number;
  host?: string;
  /** How long in-flight requests may take to finish after a shutdown signal. */
  shutdownTimeoutMs: number;
}

export interface RunningServer {
  server: Server;
  port: number;
  /** Stops as described above; resolves with the exit code. Safe to call more than once. */
  shutdown(reason: string): Promise<number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const buildPath = path.resolve(options.buildPath);
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  const clientDir = path.resolve(path.dirname(buildPath), "../client");

  const inFlight = new Set<express.Response>();
  const app = express();
  app.disable("x-powered-by");

  // First: every request gets its record, is counted, and is logged once when it ends.
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const record = newRequestRecord(req.method);
    res.setHeader("X-Request-Id", record.id);
    if (isShuttingDown()) res.setHeader("Connection", "close");
    inFlight.add(res);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      inFlight.delete(res);
      // A client that went away before the answer is logged as 499, as nginx does.
      const status = res.writableFinished ? res.statusCode : 499;
      requestFinished(record, status, Number(process.hrtime.bigint() - started) / 1e6);
    };
    res.on("finish", end);
    res.on("close", end);
    runWithRequestRecord(record, next);
  });

  app.use(compression());
  // Files of the client build; a request that reaches the app is given its route pattern there.
  app.use((_req, _res, next) => {
    annotateRequest({ route: "static" });
    next();
  });
  // Fingerprinted build output: cached for a year.
  app.use(
    `${build.publicPath}assets`,
    express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }),
  );
  app.use(build.publicPath, express.static(clientDir, { maxAge: "1h", index: false }));
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = options.host
      ? app.listen(options.port, options.host, () => resolve(listening))
      : app.listen(options.port, () => resolve(listening));
    listening.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  log("info", "listening", { url: `http://localhost:${port}`, pid: process.pid });

  let stopping: Promise<number> | undefined;
  const shutdown = (reason: string): Promise<number> => {
    stopping ??= (async () => {
      markShuttingDown();
      log("info", "shutdown started", { reason, inFlight: inFlight.size });
      // Answers still to come close their connection once sent.
      for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      let allClosed = false;
      void closed.then(() => {
        allClosed = true;
      });
      const deadline = Date.now() + options.shutdownTimeoutMs;
      // Keep-alive connections close as soon as their request is answered.
      while ((inFlight.size > 0 || !allClosed) && Date.now() < deadline) {
        server.closeIdleConnections();
        await sleep(25);
      }
      let code = 0;
      if (inFlight.size > 0 || !allClosed) {
        log("warn", "shutdown deadline passed; closing connections", { inFlight: inFlight.size });
        server.closeAllConnections();
        await closed;
      }
      log("info", "requests finished");
      await runShutdownHooks();
      log("info", "shutdown hooks finished");
      try {
        await closeDatabase();
        log("info", "database closed");
      } catch (error) {
        log("error", "closing the database failed", describeError(error));
        code = 1;
      }
      return code;
    })();
    return stopping;
  };

  return { server, port, shutdown };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (!process.env.DATABASE_URL) {
    // The embedded database is opened (and locked) before listening: a second process on
    // the same ./data is refused here, with the reason, rather than corrupting it later.
    try {
      await database();
    } catch (error) {
      log("error", "the embedded database could not be opened", describeError(error));
      process.exit(1);
    }
  }
  const running = await startServer({
    buildPath: process.argv[2] ?? "build/server/index.js",
    port: Number(process.env.PORT ?? 3000),
    host: process.env.HOST || undefined,
    shutdownTimeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 20_000),
  });
  let signals = 0;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      signals++;
      if (signals > 1) {
        log("warn", "second signal: exiting at once", { signal });
        process.exit(1);
      }
      void running.shutdown(signal).then((code) => {
        log("info", "exiting", { code });
        process.exit(code);
      });
    });
  }
  process.on("unhandledRejection", (reason) => log("error", "unhandled rejection", describeError(reason)));
}
