/**
 * How the engine data directory is made smaller than PGlite's default (snapshot-build.ts), kept
 * apart from the build so that the main thread reads it (for the snapshot's cache key) without
 * loading PGlite. Every engine reads the directory from memory shared by all of them and copies
 * the files it writes (shared-memfs.ts; bench/README.md, "Where an idle session's memory goes"), and
 * a smaller directory is less to unpack and keep:
 * - 1 MB WAL segments instead of 16 MB (the segment is a file of its full size);
 * - only the one database: template0, template1 and postgres are 7.5 MB each, and a session
 *   cannot create databases.
 */
export const INITDB_ARGS = ['--wal-segsize=1'];

export const SLIMMING_SQL = [
  'DROP DATABASE postgres',
  'ALTER DATABASE template0 IS_TEMPLATE false',
  'DROP DATABASE template0',
  'ALTER DATABASE template1 IS_TEMPLATE false',
  'DROP DATABASE template1',
  'CHECKPOINT',
];
