# jsm-pg: PostgreSQL wire-protocol gateway for Jira Service Management.
# No "# syntax=" line: it makes BuildKit pull a frontend image, which an offline build cannot.

# dist/: the TypeScript compiled once here (npm run build), so the image runs plain JavaScript
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY bin ./bin
COPY catalog ./catalog
COPY src ./src
RUN npm run build

# the runtime packages only (no tsx, esbuild, typescript, vitest, testcontainers)
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    JSM_PG_CACHE_DIR=/home/jsmpg/.cache/jsm-pg
# libjemalloc2 so that closed sessions' engine threads give their memory back (bin/with-allocator.sh),
# and none of apt's lists or caches (75 MB: a debootstrapped base has no docker-clean hook);
# /data exists owned by the runtime user, so a named volume mounted there (the users file in
# docker-compose.yml) starts out writable by it instead of root-owned
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && useradd --create-home --uid 10001 jsmpg \
 && mkdir -p /data && chown jsmpg:jsmpg /data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin/jsm-pg.js bin/with-allocator.sh ./bin/
COPY --from=build /app/dist ./dist
# read at run time next to its source: the simulator's OpenAPI description (demo mode, `simulator`)
COPY src/simulator/spec ./src/simulator/spec
COPY docker/init-users.sh ./docker/
USER jsmpg
EXPOSE 5432
# Probes the port the gateway listens on, resolved from its own flags and environment like serve
# does (--port, JSM_PG_PORT, a config file), with an SSLRequest: answered once the gateway serves.
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "dist/healthcheck.js"]
ENTRYPOINT ["sh", "bin/with-allocator.sh", "node", "bin/jsm-pg.js"]
CMD ["serve", "--host", "0.0.0.0"]
