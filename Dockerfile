# syntax=docker/dockerfile:1
# Roster: the API (NestJS, dist/apps/api/main.js) serving the built console (dist/apps/console/browser).
#   docker build -t roster .        (or: docker compose up --build, see compose.yaml and docs/deploy.md)
# The container needs DATABASE_URL: the embedded PostgreSQL of `npm start` is not used in it.
# Pin NODE_IMAGE by digest for reproducible images (node:22-bookworm-slim@sha256:...).
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- 1. build: every dependency (dev included), then the API and the console ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    NX_SKIP_NX_CACHE=true \
    CI=true
COPY package.json package-lock.json ./
# Exactly the lock file's versions (`npm ci` stops if package.json and the lock disagree). No install script is needed.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build -p api,console --parallel=1 --outputStyle=static

# ---- 2. production dependencies only (what dist/apps/api/main.js requires at run time) ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The embedded PostgreSQL of `npm start`, the playground's React and GraphiQL (copied into dist/ by the build) and the
# build tools are devDependencies. TypeScript and ts-node are optional peers of @nestjs/graphql and TypeORM (for their
# command-line tools), which npm installs with them because they are devDependencies here: the server never loads them.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/typescript node_modules/ts-node node_modules/.bin/ts* \
 && npm cache clean --force

# ---- 3. runtime ----
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# NODE_OPTIONS: the V8 heap of `npm start` (128 MB old space, 16 MB semi-spaces), which a container with more or less
# memory replaces, e.g. `-e NODE_OPTIONS=--max-old-space-size=384` (see docs/deploy.md).
# MALLOC_ARENA_MAX: glibc's malloc keeps two arenas instead of one per allocating thread (up to 8 per core), whose
# freed memory stayed resident after a load: ~7 MB less resident on Node 22, idle and under load, for the same req/s
# (docs/performance.md, "The Node flags of npm start").
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    CONSOLE_DIR=/app/dist/apps/console/browser \
    ROSTER_DATA_DIR=/tmp/roster-data \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=16" \
    MALLOC_ARENA_MAX=2
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/dist/apps/api ./dist/apps/api
COPY --from=build --chown=root:root /app/dist/apps/console/browser ./dist/apps/console/browser
# Files owned by root and read-only to the process; it runs as the image's unprivileged "node" user.
USER node
EXPOSE 3000
# /readyz: 200 when serving, 503 while draining after SIGTERM (slim images have no curl: Node's fetch).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
# With NODE_OPTIONS above, the flags of `npm start` (package.json; tools/testing/server.ts NODE_FLAGS). These two are
# not allowed in NODE_OPTIONS, and set nothing a memory limit depends on.
CMD ["node", "--heap-growing-percent=100", "--no-allocation-site-pretenuring", "dist/apps/api/main.js"]
