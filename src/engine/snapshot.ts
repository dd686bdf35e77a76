import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ENGINE_CONF, engineRuntime, wasm } from './runtime.ts';

export const ENGINE_DATABASE = 'jsm';

/**
 * Builds the engine data directory once (initdb takes seconds) and keeps it as a tarball keyed by
 * the schema's hash, so later starts and every test process load it in a fraction of a second.
 */
export async function schemaSnapshot(ddl: string, opts: { cacheDir?: string } = {}): Promise<Blob> {
  const { wasmModule } = await engineRuntime();
  const engineId = wasm.Module.exports(wasmModule).length + ':' + (await pgliteVersion());
  const hash = createHash('sha256').update(engineId).update('\0').update(ddl).digest('hex').slice(0, 16);
  const dir = opts.cacheDir ?? process.env.JSM_PG_CACHE_DIR ?? join(tmpdir(), 'jsm-pg-cache');
  const file = join(dir, `schema-${hash}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    // not cached yet
  }
  const blob = await buildSnapshot(ddl);
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}`;
  await writeFile(tmp, Buffer.from(await blob.arrayBuffer()));
  await rename(tmp, file);
  return blob;
}

async function pgliteVersion(): Promise<string> {
  const require = createRequire(import.meta.url);
  const pkg = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(await readFile(pkg, 'utf8')) as { version: string }).version;
}

async function buildSnapshot(ddl: string): Promise<Blob> {
  const { wasmModule, fsBundle } = await engineRuntime();
  const boot = await PGlite.create({ pgliteWasmModule: wasmModule, fsBundle, postgresqlconf: ENGINE_CONF });
  await boot.exec(`CREATE DATABASE ${ENGINE_DATABASE}`);
  const bootDump = await boot.dumpDataDir('none');
  await boot.close();
  const db = await PGlite.create({
    pgliteWasmModule: wasmModule, fsBundle, loadDataDir: bootDump, database: ENGINE_DATABASE, postgresqlconf: ENGINE_CONF,
  });
  await db.exec(ddl);
  const dump = await db.dumpDataDir('none');
  await db.close();
  return dump;
}
