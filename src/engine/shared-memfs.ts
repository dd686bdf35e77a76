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
  root: { contents: Record<string, MemfsNode> };
  mkdirTree(path: string): void;
  writeFile(path: string, data: Uint8Array, opts: { canOwn: boolean }): void;
  utime(path: string, atime: number, mtime: number): void;
  isFile(mode: number): boolean;
  isDir(mode: number): boolean;
}

export interface SharedFiles {
  readonly dataDir: SharedDataDir;
  /** PGlite's file-system bundle (pglite.data: share/, the ICU data, extension libraries). */
  readonly bundle: SharedArrayBuffer;
}

/** PGlite's `fs` option for an engine booted from shared files, with `fsBundle()` for its `fsBundle` option. */
export class SharedMemoryFS extends MemoryFS {
  /** The engine's own copy of the bundle, which Emscripten's file packager made the share/ files views of. */
  private privateBundle?: ArrayBuffer;

  constructor(private readonly files: SharedFiles) {
    super();
  }

  /**
   * The bundle as PGlite reads it: a private copy (Emscripten's file packager accepts nothing but an
   * ArrayBuffer), which `initialSyncFs` then points the files away from, leaving it garbage.
   */
  fsBundle(): Blob {
    const source = {
      arrayBuffer: async () => {
        const own = new ArrayBuffer(this.files.bundle.byteLength);
        new Uint8Array(own).set(new Uint8Array(this.files.bundle));
        this.privateBundle = own;
        return own;
      },
    };
    return source as unknown as Blob;
  }

  /** Runs after Emscripten created the file system and unpacked the bundle, before Postgres starts. */
  override async initialSyncFs(): Promise<void> {
    await super.initialSyncFs();
    const mod = this.pg!.Module as unknown as { FS: EmscriptenFs; MEMFS: Memfs };
    copyOnWrite(mod.MEMFS);
    if (this.privateBundle) repoint(mod.FS, this.privateBundle, this.files.bundle);
    this.privateBundle = undefined;
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

/** Every file whose bytes are a view into `from` becomes the same view into `to` (same bytes, shared). */
function repoint(fs: EmscriptenFs, from: ArrayBuffer, to: SharedArrayBuffer): void {
  const walk = (dir: { contents: Record<string, MemfsNode> }): void => {
    // a directory of another file system mounted here (/proc, /dev) may keep no contents object
    if (!dir.contents || typeof dir.contents !== 'object') return;
    for (const node of Object.values(dir.contents)) {
      if (fs.isDir(node.mode)) walk(node as unknown as { contents: Record<string, MemfsNode> });
      else if (fs.isFile(node.mode) && node.contents?.buffer === from) {
        node.contents = new Uint8Array(to, node.contents.byteOffset, node.contents.byteLength);
      }
    }
  };
  walk(fs.root);
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
