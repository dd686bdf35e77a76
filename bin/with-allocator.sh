#!/bin/sh
# Runs a command (the gateway) with a memory allocator that gives the memory of ended engine
# threads back to the system (bench/README.md, "Memory after sessions close"): jemalloc when it is
# installed (Debian: apt install libjemalloc2; the image has it), else glibc with large blocks
# mmapped and two arenas.
if [ -z "${LD_PRELOAD:-}" ]; then
  for lib in /usr/lib/*/libjemalloc.so.2 /usr/lib/libjemalloc.so.2 /usr/local/lib/libjemalloc.so.2; do
    if [ -f "$lib" ]; then
      export LD_PRELOAD="$lib"
      export MALLOC_CONF="${MALLOC_CONF:-background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0}"
      break
    fi
  done
fi
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec "$@"
