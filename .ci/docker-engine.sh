#!/usr/bin/env bash
# Starts a Docker engine on a Debian 12 machine that reaches Debian's package mirror and the npm
# registry but no container registry (the CI machine), and builds local stand-ins for the base
# images the project uses, so `docker build`, `docker-compose` and testcontainers (test/image) run.
# Copied from the workspace's shared tool docker-engine.sh (/work/shared/tools), which CI cannot see.
#
#   eval "$(bash .ci/docker-engine.sh --env)"      # .ci/run does this; prints `export DOCKER_HOST=…`
#
# Leaves dockerd running with its state under $DOCKER_WORK (default: docker-engine in the temp dir)
# and exports DOCKER_HOST. Takes about 3 minutes the first time (debootstrap), seconds afterwards;
# an engine already answering there is reused.
# Images it makes: local/debian:12 (minbase) and node:20-bookworm-slim (that plus this machine's node
# and npm, and this machine's CA bundle as NODE_EXTRA_CA_CERTS, which npm needs here); the
# Dockerfile builds FROM node:20-bookworm-slim, so it finds the stand-in and pulls nothing.
# Notes: Debian's own nodejs is 18 (too old); Docker Hub images (metabase, ryuk) cannot be pulled, so
# testcontainers needs TESTCONTAINERS_RYUK_DISABLED=true, and testcontainers 12 needs Node >= 22.19:
# use testcontainers 11 on Node 20. A '# syntax=docker/dockerfile:1' line makes BuildKit pull an image:
# leave it out. Only the Python docker-compose 1.29 is in Debian (`docker-compose`, not `docker compose`).
set -euo pipefail
W=${DOCKER_WORK:-${TMPDIR:-$(dirname "$(mktemp -u)")}/docker-engine}
mkdir -p "$W"
export DEBIAN_FRONTEND=noninteractive
need=()
for p in docker.io debootstrap docker-compose; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
export DOCKER_HOST=unix://$W/docker.sock
DOCKER=/usr/bin/docker   # Debian's client, matching Debian's engine
if ! $DOCKER info >/dev/null 2>&1; then
  dockerd --data-root "$W/data" --exec-root "$W/exec" --pidfile "$W/dockerd.pidfile" \
    -H "$DOCKER_HOST" >"$W/dockerd.log" 2>&1 &
  echo $! >"$W/dockerd.pid"
  for _ in $(seq 60); do $DOCKER info >/dev/null 2>&1 && break; sleep 1; done
  $DOCKER info >/dev/null || { tail -20 "$W/dockerd.log"; exit 1; }
fi
if ! $DOCKER image inspect local/debian:12 >/dev/null 2>&1; then
  # the mirror this machine's apt already uses
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
           | awk '/^(URIs:|deb) /{print $2}' | grep -E '/debian/?$' | head -1 || true)
  [ -n "$mirror" ] || { echo "no Debian mirror found in apt's sources" >&2; exit 1; }
  debootstrap --variant=minbase bookworm "$W/rootfs" "$mirror" >"$W/debootstrap.log"
  rm -rf "$W/rootfs/var/cache/apt/archives/"*.deb "$W/rootfs/var/lib/apt/lists/"*
  tar -C "$W/rootfs" -c . | $DOCKER import - local/debian:12 >/dev/null
  rm -rf "$W/rootfs"
fi
if ! $DOCKER image inspect node:20-bookworm-slim >/dev/null 2>&1; then
  b=$W/nodebase; rm -rf "$b"; mkdir -p "$b"
  cp "$(readlink -f "$(command -v node)")" "$b/node"
  cp -a "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$b/npm"
  cp /etc/ssl/certs/ca-certificates.crt "$b/"
  cat >"$b/Dockerfile" <<'DOCKERFILE'
FROM local/debian:12
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node -v && npm -v
CMD ["node"]
DOCKERFILE
  $DOCKER build -q -t node:20-bookworm-slim "$b" >/dev/null
fi
if [ "${1:-}" = "--env" ]; then echo "export DOCKER_HOST=$DOCKER_HOST"; fi
