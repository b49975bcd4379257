# syntax=docker/dockerfile:1
# One image for the gateway and all five subgraphs. The default command starts
# the gateway; docker-compose.yml picks each service's entry point via `command:`
#   node dist/gateway/main.js
#   node dist/subgraphs/<tenant|student|billing|credits|messaging>/main.js
# Each main.js starts OpenTelemetry first when an OTEL_* exporter is set (core/observability/instrument.ts).

# ---- build: full dependency tree + TypeScript compile -----------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# mongodb-memory-server (used only for local dev without MONGODB_URI) would
# otherwise download a mongod binary during `npm ci`.
ENV MONGOMS_DISABLE_POSTINSTALL=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime: production dependencies + compiled output ----------------------
FROM node:20-bookworm-slim
WORKDIR /app
# A heap cap per process: without it V8 lets garbage grow towards its default limit (~4 GB
# here) before collecting, and RSS follows (issue 19: the live heap of a subgraph serving
# 10,000 tenants stays near 200 MB; uncapped RSS reached 700 MB). Override per service.
ENV NODE_ENV=production \
    MONGOMS_DISABLE_POSTINSTALL=1 \
    NODE_OPTIONS=--max-old-space-size=512
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Read at run time (e.g. the gateway's supergraph.graphql), located relative to package.json.
COPY schema ./schema
USER node
# 9464: /metrics (METRICS_PORT) in production, apart from the public port.
EXPOSE 4000 4001 4002 4003 4004 4005 9464
CMD ["node", "dist/gateway/main.js"]
