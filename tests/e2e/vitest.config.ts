import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

/*
 * Browser tests: the production build served by server.ts over a fresh embedded
 * database, driven by Chromium. Build first (`npm run build`), then `npm run test:e2e`.
 * One file at a time in one fork: each file starts its own server and browser.
 */
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/e2e/**/*.e2e.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
