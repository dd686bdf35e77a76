// Gateway users: who may connect to the PostgreSQL listener. Only SCRAM-SHA-256
// verifiers are stored (never passwords), in a JSON file readable by its owner only.
import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { PgError, SqlState } from '../errors/index.ts';
import { createVerifier, SCRAM_MECHANISM, verifyPassword, type ScramSha256Data } from './scram.ts';

export const USERS_FILE_VERSION = 1;
/** Owner read/write only: verifiers are not passwords but can be attacked offline. */
export const USERS_FILE_MODE = 0o600;

/** The fixed credentials of demo mode. */
export const DEMO_USER = Object.freeze({ name: 'demo', password: 'demo' });

const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64');

const userRecordSchema = z
  .object({
    mechanism: z.literal(SCRAM_MECHANISM),
    iterations: z.number().int().min(1),
    salt: base64,
    storedKey: base64,
    serverKey: base64,
    /**
     * This user's own JSM connection properties (a connection string, e.g. `User=…;APIToken=…`),
     * over the gateway's: the user reads JSM as that identity. The file is the owner's only (0600).
     */
    connection: z.string().min(1).optional(),
  })
  .strict();

const usersFileSchema = z
  .object({ version: z.literal(USERS_FILE_VERSION), users: z.record(userRecordSchema) })
  .strict();

export type UserRecord = z.infer<typeof userRecordSchema>;
export type UsersFileData = z.infer<typeof usersFileSchema>;

/** Command hint used wherever a user is missing. */
export function addUserHint(path = 'PATH'): string {
  return `Add one with: npx jsm-pg user add NAME --users-file ${path}`;
}

/** PostgreSQL role-name limits: up to 63 bytes, and nothing a shell or log line would mangle. */
export function validateUserName(name: string): string {
  if (name === '' || Buffer.byteLength(name) > 63 || /[\s\p{Cc}]/u.test(name)) {
    throw new PgError(
      SqlState.InvalidParameterValue,
      'user names must be 1-63 bytes long without spaces or control characters',
    );
  }
  return name;
}

function fileError(path: string, message: string, cause?: unknown): PgError {
  return new PgError(SqlState.ConfigFileError, `users file ${path}: ${message}`, {}, cause ? { cause } : undefined);
}

/** Read and validate a users file; `undefined` when it does not exist. */
export async function readUsersFile(path: string): Promise<UsersFileData | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw fileError(path, `cannot be read (${code ?? 'error'})`, err);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw fileError(path, 'is not valid JSON', err);
  }
  const result = usersFileSchema.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw fileError(path, `is not a jsm-pg users file${where}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/** Replace the file atomically (write + rename) so a crash never leaves half a file. */
export async function writeUsersFile(path: string, data: UsersFileData): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: USERS_FILE_MODE, flag: 'wx' });
    await chmod(tmp, USERS_FILE_MODE);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw fileError(path, `cannot be written (${(err as NodeJS.ErrnoException).code ?? 'error'})`, err);
  }
}

function toRecord(data: ScramSha256Data, connection?: string): UserRecord {
  return { mechanism: SCRAM_MECHANISM, iterations: data.iterations, salt: data.salt, storedKey: data.storedKey, serverKey: data.serverKey, ...(connection ? { connection } : {}) };
}

/**
 * Add `name`, or replace its verifier (and its own JSM connection, when `connection` is given;
 * else the one it had is kept); creates the file when missing. Returns whether it existed.
 */
export async function addUserToFile(path: string, name: string, password: string, connection?: string): Promise<{ replaced: boolean }> {
  validateUserName(name);
  if (password === '') throw new PgError(SqlState.InvalidParameterValue, 'the password must not be empty');
  const data = (await readUsersFile(path)) ?? { version: USERS_FILE_VERSION, users: {} };
  const replaced = Object.hasOwn(data.users, name);
  data.users[name] = toRecord(await createVerifier(password), connection ?? data.users[name]?.connection);
  await writeUsersFile(path, data);
  return { replaced };
}

/** Remove `name`; fails when the file or the user does not exist. */
export async function removeUserFromFile(path: string, name: string): Promise<void> {
  const data = await readUsersFile(path);
  if (data === undefined) throw fileError(path, 'does not exist');
  if (!Object.hasOwn(data.users, name)) {
    throw new PgError(SqlState.UndefinedObject, `user "${name}" is not in users file ${path}`);
  }
  delete data.users[name];
  await writeUsersFile(path, data);
}

/** Where a file-backed store reports reloads and unusable files; messages never hold verifiers. */
export interface UserStoreLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Changes to the users file are picked up this long after the last one (editors write in steps). */
const WATCH_DEBOUNCE_MS = 100;

type Users = ReadonlyMap<string, ScramSha256Data>;

function toUsers(data: UsersFileData): Users {
  return new Map(
    Object.entries(data.users).map(([name, r]): [string, ScramSha256Data] => [
      name,
      Object.freeze({ iterations: r.iterations, salt: r.salt, storedKey: r.storedKey, serverKey: r.serverKey }),
    ]),
  );
}

function toConnections(data: UsersFileData): ReadonlyMap<string, string> {
  return new Map(Object.entries(data.users).flatMap(([name, r]) => (r.connection ? [[name, r.connection] as const] : [])));
}

/** What identifies one version of the file: an atomic rename changes the inode, an edit in place the size or mtime. */
async function fileVersion(path: string): Promise<string | undefined> {
  try {
    const st = await stat(path, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return undefined;
  }
}

/**
 * The gateway's users. A store read from a file follows it while the gateway runs: each login
 * (`lookup`) first checks whether the file changed (one stat) and re-reads it if so, and `watch()`
 * re-reads it shortly after a change, to log the reload. A file that cannot be used (missing,
 * broken) keeps the last good set of users and logs a warning naming the file and the problem.
 */
export class UserStore {
  private version?: string;
  private refreshing?: Promise<void>;
  private watcher?: FSWatcher;
  private debounce?: NodeJS.Timeout;
  /** The version last warned about, so a broken file is reported once, not at every login. */
  private warnedVersion?: string;

  private constructor(
    private users: Users,
    private readonly source?: { path: string; log?: UserStoreLog },
    private connections: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** The user's own JSM connection properties (a connection string), if the users file gives some. */
  connectionOf(name: string): string | undefined {
    return this.connections.get(name);
  }

  /** Load a users file; a missing file is an error that says how to create one. */
  static async fromFile(path: string, opts: { log?: UserStoreLog } = {}): Promise<UserStore> {
    const version = await fileVersion(path);
    const data = await readUsersFile(path);
    if (data === undefined) {
      throw new PgError(SqlState.ConfigFileError, `users file ${path} does not exist`, { hint: addUserHint(path) });
    }
    const store = new UserStore(toUsers(data), { path, log: opts.log }, toConnections(data));
    store.version = version;
    return store;
  }

  /** Users from name → password (or password and own connection) (demo mode, tests); verifiers are derived at once. */
  static async inMemory(users: Record<string, string | { password: string; connection?: string }>): Promise<UserStore> {
    const given = Object.entries(users).map(([name, u]) => ({ name: validateUserName(name), ...(typeof u === 'string' ? { password: u } : u) }));
    const entries = await Promise.all(given.map(async (u): Promise<[string, ScramSha256Data]> => [u.name, Object.freeze(await createVerifier(u.password))]));
    return new UserStore(new Map(entries), undefined, new Map(given.flatMap((u) => (u.connection ? [[u.name, u.connection] as const] : []))));
  }

  /** The verifier pg-gateway's `getScramSha256Data` should return; names are case-sensitive. */
  get(name: string): ScramSha256Data | undefined {
    return this.users.get(name);
  }

  /** `get` after taking in any change to the users file: what a login asks. */
  async lookup(name: string): Promise<ScramSha256Data | undefined> {
    await this.refresh();
    return this.users.get(name);
  }

  /** Re-read the users file if it changed since it was last read; never throws. */
  refresh(): Promise<void> {
    if (!this.source) return Promise.resolve();
    // Logins at once share one check; the file is read again only when its version changed.
    this.refreshing ??= this.reload(this.source).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async reload(source: { path: string; log?: UserStoreLog }): Promise<void> {
    const version = await fileVersion(source.path);
    if (version === this.version || (version !== undefined && version === this.warnedVersion)) return;
    try {
      const data = await readUsersFile(source.path);
      if (data === undefined) throw new PgError(SqlState.ConfigFileError, `users file ${source.path} does not exist`);
      this.users = toUsers(data);
      this.connections = toConnections(data);
      this.version = version;
      this.warnedVersion = undefined;
      source.log?.info({ path: source.path, users: this.users.size }, 'users file reloaded');
    } catch (err) {
      if (this.warnedVersion === (version ?? 'missing')) return;
      this.warnedVersion = version ?? 'missing';
      // Only our own message: a JSON parser's message can quote the file's content.
      const reason = err instanceof PgError ? err.message : 'cannot be read';
      source.log?.warn({ path: source.path, reason, users: this.users.size }, 'users file not reloaded; keeping the users loaded before');
    }
  }

  /**
   * Follow the file's folder (an atomic rename replaces the file, so watching the file itself
   * would lose it) and re-read the file after changes. No-op for stores not read from a file.
   */
  watch(): void {
    if (!this.source || this.watcher) return;
    const name = basename(this.source.path);
    try {
      this.watcher = watch(dirname(this.source.path), { persistent: false }, (_event, file) => {
        if (file !== null && file !== name) return;
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => void this.refresh(), WATCH_DEBOUNCE_MS);
        this.debounce.unref();
      });
      this.watcher.on('error', (err) => {
        this.source?.log?.warn({ path: this.source.path, reason: (err as NodeJS.ErrnoException).code ?? 'error' }, 'users file no longer watched; changes are read at logins');
        this.stopWatching();
      });
    } catch (err) {
      this.source.log?.warn({ path: this.source.path, reason: (err as NodeJS.ErrnoException).code ?? 'error' }, 'users file not watched; changes are read at logins');
    }
  }

  /** Stop following the file. */
  stopWatching(): void {
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }

  names(): string[] {
    return [...this.users.keys()].sort();
  }

  get size(): number {
    return this.users.size;
  }

  /** Check a cleartext password (only ever received over TLS). */
  async verify(name: string, password: string): Promise<boolean> {
    const data = this.users.get(name);
    return data !== undefined && (await verifyPassword(data, password));
  }
}
