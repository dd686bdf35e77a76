/**
 * The files every engine starts with (the snapshot's data directory and PGlite's share/ bundle),
 * unpacked once per process into SharedArrayBuffers that every engine thread's in-memory file
 * system points into, instead of 23 MB unpacked again into each engine (bench/README.md, "Where an
 * idle session's memory goes"). Only the main thread makes these; engine threads read them
 * (shared-memfs.ts), and copy a file privately before they change it.
 */

/** One regular file of a data directory: its bytes are `bytes[offset, offset + size)`. */
export interface SharedFile {
  readonly path: string;
  readonly offset: number;
  readonly size: number;
  /** Modification time, ms since the epoch (as in the tarball). */
  readonly mtime: number;
}

/** A data directory unpacked once: directories, then files, with their bytes side by side. */
export interface SharedDataDir {
  readonly dirs: readonly string[];
  readonly files: readonly SharedFile[];
  readonly bytes: SharedArrayBuffer;
}

const BLOCK = 512;

const unpacked = new WeakMap<Blob, Promise<SharedDataDir>>();

/** The snapshot unpacked, once per snapshot for the life of the process (the pool boots every engine from the same one). */
export function sharedDataDir(snapshot: Blob): Promise<SharedDataDir> {
  let dir = unpacked.get(snapshot);
  if (!dir) {
    dir = snapshot.arrayBuffer().then((tar) => unpackDataDir(new Uint8Array(tar)));
    unpacked.set(snapshot, dir);
  }
  return dir;
}

/**
 * Unpacks a data directory tarball as PGlite writes it (`dumpDataDir('none')`: ustar, regular
 * files and directories only, paths relative to PGDATA) into one SharedArrayBuffer.
 */
export function unpackDataDir(tar: Uint8Array): SharedDataDir {
  const dirs: string[] = [];
  const entries: { path: string; start: number; size: number; mtime: number }[] = [];
  let total = 0;
  for (let pos = 0; pos + BLOCK <= tar.length;) {
    const header = tar.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) break;
    const name = field(header, 0, 100);
    const prefix = field(header, 257, 6).startsWith('ustar') ? field(header, 345, 155) : '';
    const path = normalize(prefix ? `${prefix}/${name}` : name);
    const size = octal(header, 124, 12);
    const mtime = octal(header, 136, 12) * 1000;
    const type = String.fromCharCode(header[156]!);
    pos += BLOCK;
    if (type === '0' || type === '\0') {
      if (pos + size > tar.length) throw new Error(`the snapshot tarball ends inside ${path}`);
      entries.push({ path, start: pos, size, mtime });
      total += size;
    } else if (type === '5') {
      if (path) dirs.push(path);
    } else {
      throw new Error(`the snapshot tarball holds ${path} of type '${type}', which is neither a file nor a directory`);
    }
    pos += Math.ceil(size / BLOCK) * BLOCK;
  }
  const bytes = new SharedArrayBuffer(total);
  const view = new Uint8Array(bytes);
  const files: SharedFile[] = [];
  let offset = 0;
  for (const e of entries) {
    view.set(tar.subarray(e.start, e.start + e.size), offset);
    files.push({ path: e.path, offset, size: e.size, mtime: e.mtime });
    offset += e.size;
  }
  return { dirs, files, bytes };
}

/** The bytes of `data` in a SharedArrayBuffer of their own (PGlite's share/ bundle). */
export async function sharedCopy(data: Blob | Uint8Array): Promise<SharedArrayBuffer> {
  const src = data instanceof Uint8Array ? data : new Uint8Array(await data.arrayBuffer());
  const bytes = new SharedArrayBuffer(src.byteLength);
  new Uint8Array(bytes).set(src);
  return bytes;
}

function field(header: Uint8Array, at: number, len: number): string {
  const raw = header.subarray(at, at + len);
  const end = raw.indexOf(0);
  return new TextDecoder().decode(end < 0 ? raw : raw.subarray(0, end));
}

function octal(header: Uint8Array, at: number, len: number): number {
  const text = field(header, at, len).trim();
  return text ? parseInt(text, 8) : 0;
}

/** `/base/1/` and `base//1` alike as `base/1`. */
function normalize(path: string): string {
  return path.split('/').filter((p) => p && p !== '.').join('/');
}
