import { PGlite } from '@electric-sql/pglite';

/**
 * Builds an engine data directory, in an engine thread that ends afterwards (snapshot.ts). Everything a
 * session's engine does not need is left out, since every engine holds its own copy of the
 * directory in memory (bench/README.md, "Where an idle session's memory goes"):
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

export async function buildDataDir(opts: {
  wasmModule: WebAssembly.Module;
  fsBundle: Blob;
  database: string;
  conf: readonly string[];
  ddl: string;
}): Promise<Blob> {
  const { wasmModule, fsBundle, database } = opts;
  const postgresqlconf = [...opts.conf];
  const boot = await PGlite.create({ pgliteWasmModule: wasmModule, fsBundle, postgresqlconf, initDbStartParams: INITDB_ARGS });
  await boot.exec(`CREATE DATABASE ${database}`);
  const bootDump = await boot.dumpDataDir('none');
  await boot.close();
  const db = await PGlite.create({ pgliteWasmModule: wasmModule, fsBundle, loadDataDir: bootDump, database, postgresqlconf });
  await db.exec(opts.ddl);
  for (const sql of SLIMMING_SQL) await db.exec(sql);
  // not closed: the thread that built it ends (a close after DROP DATABASE never returned in a worker thread)
  return db.dumpDataDir('none');
}
