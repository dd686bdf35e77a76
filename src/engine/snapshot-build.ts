import { PGlite } from '@electric-sql/pglite';
import { INITDB_ARGS, SLIMMING_SQL } from './snapshot-recipe.ts';

/** Builds an engine data directory as snapshot-recipe.ts says, in an engine thread that ends afterwards (snapshot.ts). */
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
