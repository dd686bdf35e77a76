# jsm-pg: PostgreSQL wire-protocol gateway for Jira Service Management.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    JSM_PG_CACHE_DIR=/home/jsmpg/.cache/jsm-pg
# postgresql-client for the healthcheck (pg_isready) and for psql inside the container;
# libjemalloc2 so that closed sessions' engine threads give their memory back (bin/with-allocator.sh)
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 jsmpg \
 && mkdir -p /data && chown jsmpg:jsmpg /data
# /data exists in the image owned by the runtime user, so a named volume mounted there (the users
# file in docker-compose.yml) starts out writable by it instead of root-owned
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY catalog ./catalog
USER jsmpg
EXPOSE 5432
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD pg_isready -h 127.0.0.1 -p "${JSM_PG_PORT:-5432}" -q || exit 1
ENTRYPOINT ["sh", "bin/with-allocator.sh", "node", "bin/jsm-pg.js"]
CMD ["serve", "--host", "0.0.0.0"]
