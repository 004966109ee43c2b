# syntax=docker/dockerfile:1
#
# Boardledger's production image. Three stages:
#   build    all dependencies, then `react-router build` (build/client and build/server)
#   deps     production dependencies only (tsx is one: the operator CLI runs TypeScript directly)
#   runtime  the two put together, run as the unprivileged `node` user
#
# Migrations are not run here: on Fly.io the release command runs them (fly.toml); elsewhere
# run `npm run cli -- migrate` before starting a new version.

ARG NODE_IMAGE=node:20-bookworm-slim

# ── Build ────────────────────────────────────────────────────────────────────────────────
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# ── Production dependencies ───────────────────────────────────────────────────────────────
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# ── Runtime ──────────────────────────────────────────────────────────────────────────────
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=8080
WORKDIR /app

# Code and dependencies stay owned by root (read-only to the app); only ./data is writable,
# for the embedded database when DATABASE_URL is not set.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json server.ts ./
COPY --from=build /app/build ./build
# The CLI (`npm run cli`, the release command) runs from source: bin/, db/ and whatever
# app/**/*.server.ts it imports. tsconfig.json gives tsx the `~/` and `#db/` import aliases.
COPY --from=build /app/bin ./bin
COPY --from=build /app/db ./db
COPY --from=build /app/app ./app
RUN mkdir -p /app/data && chown node:node /app/data

USER node
EXPOSE 8080
# server.ts: Express + the React Router build, JSON logs, /metrics, graceful shutdown on SIGTERM.
CMD ["node", "--import", "tsx", "server.ts"]
