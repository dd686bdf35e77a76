import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildInThread } from './engine.ts';
import { ENGINE_CONF, engineRuntime, wasm } from './runtime.ts';
import { INITDB_ARGS, SLIMMING_SQL } from './snapshot-recipe.ts';

/** Snapshots kept in the cache directory; the least recently used beyond this are deleted. */
const KEEP = 16;

/**
 * Builds the engine data directory once (initdb and the schema take seconds, in a thread of their
 * own) and keeps it as a tarball keyed by everything it is made of, so later starts and every test
 * process load it in a fraction of a second. `onBuild` hears when a build starts (the first start
 * waits for it).
 */
export async function schemaSnapshot(ddl: string, opts: { cacheDir?: string; onBuild?: () => void } = {}): Promise<Blob> {
  const { wasmModule } = await engineRuntime();
  const engineId = wasm.Module.exports(wasmModule).length + ':' + (await pgliteVersion());
  const hash = createHash('sha256').update(engineId).update('\0').update(INITDB_ARGS.join(' ')).update('\0')
    .update(SLIMMING_SQL.join(';')).update('\0').update(ENGINE_CONF.join(' ')).update('\0').update(ddl).digest('hex').slice(0, 16);
  const dir = opts.cacheDir ?? process.env.JSM_PG_CACHE_DIR ?? join(tmpdir(), 'jsm-pg-cache');
  const file = join(dir, `schema-${hash}.tar`);
  try {
    const blob = new Blob([await readFile(file)]);
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    return blob;
  } catch {
    // not cached yet
  }
  opts.onBuild?.();
  const blob = await buildInThread(ddl);
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}`;
  await writeFile(tmp, Buffer.from(await blob.arrayBuffer()));
  await rename(tmp, file);
  await evictBeyond(dir, KEEP).catch(() => undefined);
  return blob;
}

/** Deletes all but the `keep` most recently used snapshots (each is 15+ MB; a test run makes dozens). */
async function evictBeyond(dir: string, keep: number): Promise<void> {
  const names = (await readdir(dir)).filter((n) => /^schema-[0-9a-f]+\.tar$/.test(n));
  const used = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  used.sort((a, b) => b.t - a.t);
  await Promise.all(used.slice(keep).map(({ n }) => unlink(join(dir, n)).catch(() => undefined)));
}

async function pgliteVersion(): Promise<string> {
  const require = createRequire(import.meta.url);
  const pkg = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(await readFile(pkg, 'utf8')) as { version: string }).version;
}
