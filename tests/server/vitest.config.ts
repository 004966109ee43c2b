import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

/*
 * Tests of the production server as a real process (logs, metrics, graceful shutdown, and,
 * with PG_FAULT_TESTS=1, a real PostgreSQL outage). Build first (`npm run build`).
 * One file at a time: each starts its own server.
 */
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/server/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
