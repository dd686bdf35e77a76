import { MemoryFS } from '@electric-sql/pglite';
import type { SharedDataDir } from './shared-files.ts';

/**
 * PGlite's in-memory file system (Emscripten's MEMFS), with the files every engine starts with
 * pointing into SharedArrayBuffers shared by all engine threads (shared-files.ts) rather than held
 * by each engine. MEMFS keeps a file as a Uint8Array (`node.contents`) and reads it with subarray
 * copies, so a view onto shared memory reads like its own; the one place it changes a file's bytes
 * in place is its stream `write` (msync goes through it too). That write is wrapped so a file still
 * pointing into shared memory is first copied into a buffer of the engine's own: no engine ever
 * writes to shared bytes, so none sees another's changes. Truncating or growing a file already
 * allocates a fresh buffer in MEMFS.
 */

/** PGlite's data directory inside the engine (PGDATA). */
const PGDATA = '/pglite/data';

interface MemfsNode {
  contents: Uint8Array | null;
  usedBytes: number;
  mode: number;
}

type Write = (stream: { node: MemfsNode }, ...rest: unknown[]) => number;

interface Memfs {
  stream_ops: { write: Write };
  ops_table: { file: { stream: { write: Write } } } | null;
}

interface EmscriptenFs {
  mkdirTree(path: string): void;
  writeFile(path: string, data: Uint8Array, opts: { canOwn: boolean }): void;
  utime(path: string, atime: number, mtime: number): void;
}

export interface SharedFiles {
  readonly dataDir: SharedDataDir;
  /** PGlite's file-system bundle (pglite.data: share/, the ICU data, extension libraries). */
  readonly bundle: SharedArrayBuffer;
}

/** PGlite's `fs` option for an engine booted from shared files, with `fsBundle()` for its `fsBundle` option. */
export class SharedMemoryFS extends MemoryFS {
  constructor(private readonly files: SharedFiles) {
    super();
  }

  /**
   * The shared bundle as PGlite's `fsBundle`. Emscripten's file packager makes every share/ file a
   * view onto the buffer it is given (createDataFile with canOwn), so they all read the shared
   * bytes. It asserts that the buffer's constructor is named ArrayBuffer, although all it does is
   * wrap it in a Uint8Array: this thread's own handle on the shared memory (structuredClone of a
   * SharedArrayBuffer shares it) says so. A private copy instead stayed alive per engine (6.2 MB:
   * PGlite's getPreloadedPackage keeps what it was given).
   */
  fsBundle(): Blob {
    const source = {
      arrayBuffer: async () => {
        const shared = structuredClone(this.files.bundle);
        Object.defineProperty(shared, 'constructor', { value: ArrayBuffer });
        return shared;
      },
    };
    return source as unknown as Blob;
  }

  /** Runs after Emscripten created the file system and unpacked the bundle, before Postgres starts. */
  override async initialSyncFs(): Promise<void> {
    await super.initialSyncFs();
    const mod = this.pg!.Module as unknown as { FS: EmscriptenFs; MEMFS: Memfs };
    copyOnWrite(mod.MEMFS);
    loadDataDir(mod.FS, this.files.dataDir);
  }
}

/** Makes MEMFS copy a file that points into shared memory before it writes to it. */
function copyOnWrite(memfs: Memfs): void {
  const fileOps = memfs.ops_table?.file.stream;
  if (!fileOps) throw new Error('PGlite\'s MEMFS has no file operations yet: the shared file system cannot hook its writes');
  for (const ops of new Set([memfs.stream_ops, fileOps])) {
    const write = ops.write;
    ops.write = (stream, ...rest) => {
      ownCopy(stream.node);
      return write(stream, ...rest);
    };
  }
}

function ownCopy(node: MemfsNode): void {
  const shared = node.contents;
  if (!shared || !(shared.buffer instanceof SharedArrayBuffer)) return;
  const own = new Uint8Array(node.usedBytes);
  own.set(shared.subarray(0, node.usedBytes));
  node.contents = own;
}

/** The data directory as views into shared memory (MEMFS keeps a buffer it may own instead of copying it). */
function loadDataDir(fs: EmscriptenFs, dir: SharedDataDir): void {
  fs.mkdirTree(PGDATA);
  for (const d of dir.dirs) fs.mkdirTree(`${PGDATA}/${d}`);
  for (const f of dir.files) {
    const path = `${PGDATA}/${f.path}`;
    fs.writeFile(path, new Uint8Array(dir.bytes, f.offset, f.size), { canOwn: true });
    fs.utime(path, f.mtime, f.mtime);
  }
}
