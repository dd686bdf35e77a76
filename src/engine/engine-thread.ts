import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { guardEngine } from './engine-limits.ts';
import { SharedMemoryFS } from './shared-memfs.ts';
import { buildDataDir } from './snapshot-build.ts';
import { serializeError, transferable, type EngineReply, type EngineRequest, type EngineThreadData, type EngineThreadStatus } from './thread-messages.ts';

/*
 * One engine thread: one session's PGlite, booted here so that neither the boot nor any statement
 * holds the main thread (DESIGN.md §8). One engine per thread, because a thread blocked in a
 * statement cannot do anything else: the only way to stop an engine-side statement is to terminate
 * its thread, which must not take other sessions' engines with it. Without a snapshot the thread
 * only builds one (snapshot.ts).
 */

const data = workerData as EngineThreadData;
const port = parentPort!;
let db: PGlite | undefined;
let fault: () => Error | undefined = () => undefined;

async function boot(): Promise<void> {
  if (!data.dataDir) return;
  // the snapshot's files and PGlite's share/ stay in memory shared with the other engines (shared-memfs.ts)
  const fs = new SharedMemoryFS({ dataDir: data.dataDir, bundle: data.bundle });
  db = await PGlite.create({
    pgliteWasmModule: data.wasmModule,
    fs,
    fsBundle: fs.fsBundle(),
    database: data.database,
    postgresqlconf: [...data.conf],
    startParams: [...data.startParams],
  });
  const guard = guardEngine(db);
  fault = () => guard.fault;
  if (data.prepare) await db.exec(data.prepare);
}

/**
 * A boot leaves garbage (PGlite's start-up, the prepare SQL's results: ~1.5 MB per engine) that an
 * idle thread's heap never grows enough to make V8 collect: collect once, by hand, after the
 * thread said it is ready (a full collection takes 50–70 ms, which a connect waiting for this
 * engine need not wait for).
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function run(req: EngineRequest): Promise<{ value: unknown; transfer?: ArrayBuffer[] }> {
  switch (req.op) {
    case 'raw': {
      const out = await db!.execProtocolRaw(req.bytes, { syncToFs: false });
      return { value: out, transfer: transferable(out) };
    }
    case 'query':
      return { value: (await db!.query(req.sql, req.params)).rows };
    case 'exec':
      return { value: (await db!.exec(req.sql)).map((r) => r.rows) };
    case 'build': {
      const fsBundle = new Blob([new Uint8Array(data.bundle).slice()]);
      const dir = new Uint8Array(await (await buildDataDir({ ...data, fsBundle, ddl: req.ddl })).arrayBuffer());
      return { value: dir, transfer: [dir.buffer] };
    }
  }
}

function reply(msg: EngineReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

// One request at a time, in order: PGlite's protocol state is per engine, and the main thread
// sends the next request only after the answer anyway.
let queue = Promise.resolve();
port.on('message', (req: EngineRequest) => {
  queue = queue.then(async () => {
    // a dead engine runs nothing more; a fault during the request outranks its result or error
    const outcome = fault() ? undefined : await run(req).catch((error: unknown) => ({ error }));
    const dead = fault();
    if (dead || !outcome) return reply({ id: req.id, ok: false, fault: serializeError(dead) });
    if ('error' in outcome) return reply({ id: req.id, ok: false, error: serializeError(outcome.error) });
    reply({ id: req.id, ok: true, value: outcome.value }, outcome.transfer);
  });
});

boot().then(
  () => {
    port.postMessage({ ready: true } satisfies EngineThreadStatus);
    setImmediate(collectGarbage);
  },
  (err: unknown) => port.postMessage({ ready: false, error: serializeError(err) } satisfies EngineThreadStatus),
);
