import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [reactRouter(), tsconfigPaths()],
  css: {
    preprocessorOptions: {
      scss: {
        // GOV.UK Frontend and MOJ Frontend are compiled from their Sass sources. MOJ Frontend
        // loads GOV.UK Frontend as "node_modules/govuk-frontend/…", so the project root is a
        // load path too.
        loadPaths: [".", "node_modules"],
        quietDeps: true,
        silenceDeprecations: ["import", "mixed-decls", "global-builtin"],
      },
    },
  },
  ssr: {
    // Native and WASM modules stay outside the server bundle.
    external: ["@electric-sql/pglite", "@node-rs/argon2", "pg"],
  },
  server: { port: 3000 },
});
