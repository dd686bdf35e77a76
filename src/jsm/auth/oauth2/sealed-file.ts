/**
 * The OAuth settings file, encrypted at rest: AES-256-GCM under a key derived (scrypt, salt per
 * write) from the operator's secret, so a copy of the file without that secret tells nothing and a
 * changed byte is detected. Written with mode 0600 to a temporary file in the same directory and
 * renamed over the old one: a reader (this process or another gateway sharing the file) sees the
 * old settings or the new ones, never half of a rotated refresh token.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PgError, SqlState } from '../../../errors/index.ts';

const FORMAT = 'jsm-pg-oauth-settings';
const VERSION = 1;
/** Bound into the tag: an envelope of another format or version cannot be passed off as this one. */
const AAD = Buffer.from(`${FORMAT}/${VERSION}`);

interface Envelope {
  format: string;
  version: number;
  kdf: 'scrypt';
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

/** scrypt is slow on purpose; a key is derived once per salt (one per write) and kept. */
const derived = new Map<string, Buffer>();

function keyFor(secret: string, salt: Buffer): Buffer {
  const id = `${salt.toString('base64')}\n${secret}`;
  let key = derived.get(id);
  if (!key) {
    key = scryptSync(secret, salt, 32);
    if (derived.size > 32) derived.clear();
    derived.set(id, key);
  }
  return key;
}

export function seal(plain: string, secret: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, salt), iv);
  cipher.setAAD(AAD);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const envelope: Envelope = {
    format: FORMAT,
    version: VERSION,
    kdf: 'scrypt',
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  return JSON.stringify(envelope) + '\n';
}

/** The plain text, or a 28000 that names the file (never its content) when it cannot be opened. */
export function unseal(text: string, secret: string, where: string): string {
  let envelope: Envelope;
  try {
    envelope = JSON.parse(text) as Envelope;
  } catch {
    throw unreadable(where, 'it is not a jsm-pg OAuth settings file');
  }
  if (envelope.format !== FORMAT || envelope.version !== VERSION) throw unreadable(where, 'it is not a jsm-pg OAuth settings file of this version');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, Buffer.from(envelope.salt, 'base64')), Buffer.from(envelope.iv, 'base64'));
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw unreadable(where, 'the key does not open it (another JSM_PG_OAUTH_KEY, or the file was changed)');
  }
}

function unreadable(where: string, why: string): PgError {
  return new PgError(SqlState.InvalidAuthorizationSpecification, `the OAuth settings file ${where} cannot be read: ${why}`, {
    hint: 'Set JSM_PG_OAUTH_KEY to the key the file was written with, or remove the file and authorize again.',
  });
}

/** The file's text, or undefined when there is none yet. */
export async function readSealed(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PgError(SqlState.InvalidAuthorizationSpecification, `the OAuth settings file ${path} cannot be read: ${(err as Error).message}`);
  }
}

/** Temp file (0600, created exclusively) + fsync + rename: atomic on one file system. */
export async function writeSealed(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new PgError(SqlState.InvalidAuthorizationSpecification, `the OAuth settings file ${path} cannot be written: ${(err as Error).message}`);
  }
}
