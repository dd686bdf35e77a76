/**
 * The files AttachTemporaryFile may read: only under the folders of the AttachmentFolders
 * property, since a client would otherwise read any file the gateway's process can. A path outside
 * them is refused before the file system is asked anything (its existence is not revealed), and
 * again after symbolic links are followed.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve, sep } from 'node:path';
import { PgError, SqlState } from '../errors/index.ts';

/** JSM Cloud's default attachment limit is 1 GB; the gateway holds the file in memory, so less. */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

const inside = (root: string, path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

export function allowedFolders(setting: string): string[] {
  return setting.split(',').map((f) => f.trim()).filter(Boolean).map((f) => resolve(f));
}

export interface AllowedFile {
  readonly name: string;
  readonly bytes: Buffer;
}

export async function readAllowedFile(source: string, setting: string): Promise<AllowedFile> {
  const folders = allowedFolders(setting);
  if (folders.length === 0) {
    throw new PgError(SqlState.InsufficientPrivilege, 'AttachTemporaryFile may not read files: no folder is allowed', {
      hint:
        "The gateway's operator allows folders with the AttachmentFolders connection property (--attachment-folders, JSM_ATTACHMENT_FOLDERS), " +
        "e.g. AttachmentFolders=/srv/uploads. Or pass the file's content: CALL AttachTemporaryFile(Content => decode('…', 'base64'), FileName => 'name.txt').",
    });
  }
  const denied = () =>
    new PgError(SqlState.InsufficientPrivilege, `file "${source}" is not under a folder AttachTemporaryFile may read`, {
      hint: `Allowed folders (AttachmentFolders): ${folders.join(', ')}.`,
    });
  // a relative path is taken in the first allowed folder
  const path = isAbsolute(source) ? resolve(source) : resolve(folders[0]!, source);
  if (!folders.some((f) => inside(f, path))) throw denied();
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw new PgError(SqlState.InvalidParameterValue, `file "${source}" does not exist or cannot be read`);
  }
  const realFolders = await Promise.all(folders.map((f) => realpath(f).catch(() => undefined)));
  if (!realFolders.some((f) => f !== undefined && inside(f, real))) throw denied();
  const info = await stat(real);
  if (!info.isFile()) throw new PgError(SqlState.InvalidParameterValue, `"${source}" is not a file`);
  if (info.size > MAX_ATTACHMENT_BYTES) {
    throw new PgError(SqlState.ProgramLimitExceeded, `file "${source}" has ${info.size} bytes; AttachTemporaryFile uploads at most ${MAX_ATTACHMENT_BYTES}`);
  }
  return { name: basename(path), bytes: await readFile(real) };
}
