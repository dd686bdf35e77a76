import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyScramSha256Password } from 'pg-gateway';
import { describe, expect, it } from 'vitest';
import {
  addUserToFile,
  createVerifier,
  DEMO_USER,
  removeUserFromFile,
  UserStore,
  verifyPassword,
  type ScramSha256Data,
  type UsersFileData,
} from '../../src/auth/index.ts';
import { PgError, SqlState } from '../../src/errors/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'jsm-pg-users-'));
let n = 0;
const fresh = () => join(dir, `users-${n++}.json`);

async function failure(promise: Promise<unknown>): Promise<PgError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PgError);
  return err as PgError;
}

/** What a SCRAM client (psql) sends as ClientProof for the given AuthMessage. */
function clientProof(password: string, data: ScramSha256Data, authMessage: string): string {
  const salted = pbkdf2Sync(password, Buffer.from(data.salt, 'base64'), data.iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const signature = createHmac('sha256', storedKey).update(authMessage).digest();
  return Buffer.from(clientKey.map((b, i) => b ^ signature[i])).toString('base64');
}

async function scramAccepts(data: ScramSha256Data, password: string): Promise<boolean> {
  const authMessage = 'n=,r=abc,r=abcdef,s=' + data.salt + ',i=' + data.iterations + ',c=biws,r=abcdef';
  return verifyScramSha256Password({ authMessage, clientProof: clientProof(password, data, authMessage), storedKey: data.storedKey });
}

describe('users file', () => {
  it('creates a 0600 file holding SCRAM verifiers, never the password', async () => {
    const path = fresh();
    expect(await addUserToFile(path, 'alice', 'correct horse')).toEqual({ replaced: false });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('correct horse');
    const doc = JSON.parse(text);
    expect(doc.version).toBe(1);
    expect(Object.keys(doc.users.alice).sort()).toEqual(['iterations', 'mechanism', 'salt', 'serverKey', 'storedKey']);
    expect(doc.users.alice).toMatchObject({ mechanism: 'SCRAM-SHA-256', iterations: 4096 });

    const store = await UserStore.fromFile(path);
    const data = store.get('alice')!;
    expect(await scramAccepts(data, 'correct horse')).toBe(true);
    expect(await scramAccepts(data, 'wrong')).toBe(false);
    expect(await store.verify('alice', 'correct horse')).toBe(true);
    expect(await store.verify('alice', 'Correct horse')).toBe(false);
    expect(await store.verify('nobody', 'x')).toBe(false);
  });

  it('replaces an existing user and keeps the others', async () => {
    const path = fresh();
    await addUserToFile(path, 'alice', 'one');
    await addUserToFile(path, 'bob', 'two');
    expect(await addUserToFile(path, 'alice', 'three')).toEqual({ replaced: true });
    const store = await UserStore.fromFile(path);
    expect(store.names()).toEqual(['alice', 'bob']);
    expect(await store.verify('alice', 'three')).toBe(true);
    expect(await store.verify('alice', 'one')).toBe(false);
    expect(await store.verify('bob', 'two')).toBe(true);
  });

  it('tightens permissions of an existing file on rewrite', async () => {
    const path = fresh();
    writeFileSync(path, JSON.stringify({ version: 1, users: {} }), { mode: 0o644 });
    await addUserToFile(path, 'alice', 'pw');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('removes users', async () => {
    const path = fresh();
    await addUserToFile(path, 'alice', 'one');
    await addUserToFile(path, 'bob', 'two');
    await removeUserFromFile(path, 'alice');
    expect((await UserStore.fromFile(path)).names()).toEqual(['bob']);
    await expect(removeUserFromFile(path, 'alice')).rejects.toMatchObject({ code: SqlState.UndefinedObject });
  });

  it('validates names and passwords', async () => {
    const path = fresh();
    await expect(addUserToFile(path, '', 'pw')).rejects.toBeInstanceOf(PgError);
    await expect(addUserToFile(path, 'has space', 'pw')).rejects.toBeInstanceOf(PgError);
    await expect(addUserToFile(path, 'x'.repeat(64), 'pw')).rejects.toBeInstanceOf(PgError);
    await expect(addUserToFile(path, 'alice', '')).rejects.toBeInstanceOf(PgError);
  });

  it('explains a missing file and rejects malformed ones without echoing them', async () => {
    const missing = fresh();
    const err = await failure(UserStore.fromFile(missing));
    expect(err).toBeInstanceOf(PgError);
    expect(err.code).toBe(SqlState.ConfigFileError);
    expect(err.fields.hint).toContain('jsm-pg user add NAME --users-file');

    const plaintext = fresh();
    writeFileSync(plaintext, JSON.stringify({ version: 1, users: { alice: { password: 'leaky' } } }));
    const bad = await failure(UserStore.fromFile(plaintext));
    expect(bad.code).toBe(SqlState.ConfigFileError);
    expect(bad.message).not.toContain('leaky');

    const notJson = fresh();
    writeFileSync(notJson, 'alice:secret');
    await expect(UserStore.fromFile(notJson)).rejects.toMatchObject({ code: SqlState.ConfigFileError });
  });
});

describe('UserStore.inMemory and verifiers', () => {
  it('derives verifiers for the demo user', async () => {
    const store = await UserStore.inMemory({ [DEMO_USER.name]: DEMO_USER.password });
    expect(DEMO_USER).toEqual({ name: 'demo', password: 'demo' });
    expect(store.names()).toEqual(['demo']);
    expect(store.size).toBe(1);
    expect(await scramAccepts(store.get('demo')!, 'demo')).toBe(true);
    expect(store.get('Demo')).toBeUndefined();
  });

  it('salts every verifier differently', async () => {
    const a = await createVerifier('same');
    const b = await createVerifier('same');
    expect(a.salt).not.toBe(b.salt);
    expect(await verifyPassword(a, 'same')).toBe(true);
    expect(await verifyPassword(b, 'same')).toBe(true);
  });

  it('applies SASLprep normalisation like PostgreSQL', async () => {
    const data = await createVerifier('ＡＢＣ\u00A0x');
    expect(await verifyPassword(data, 'ABC x')).toBe(true);
    expect(await scramAccepts(data, 'ABC x')).toBe(true);
  });
});

describe('UserStore following its file', () => {
  function recorder() {
    const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
    const waiters: { match: (m: string) => boolean; resolve: () => void }[] = [];
    const push = (level: string) => (obj: object, msg: string) => {
      lines.push({ level, obj: obj as Record<string, unknown>, msg });
      for (const w of waiters.filter((x) => x.match(msg))) w.resolve();
    };
    return {
      log: { info: push('info'), warn: push('warn') },
      lines,
      next: (match: (m: string) => boolean) => new Promise<void>((resolve) => waiters.push({ match, resolve })),
    };
  }

  it('takes in users added and removed by atomic rewrites at the next lookup', async () => {
    const path = fresh();
    await addUserToFile(path, 'alice', 'a-pw');
    const rec = recorder();
    const store = await UserStore.fromFile(path, { log: rec.log });
    expect(await store.lookup('bob')).toBeUndefined();

    await addUserToFile(path, 'bob', 'b-pw');
    const bob = await store.lookup('bob');
    expect(bob && (await verifyPassword(bob, 'b-pw'))).toBe(true);
    expect(store.names()).toEqual(['alice', 'bob']);

    await removeUserFromFile(path, 'alice');
    expect(await store.lookup('alice')).toBeUndefined();
    expect(rec.lines.filter((l) => l.msg === 'users file reloaded').map((l) => l.obj.users)).toEqual([2, 1]);
  });

  it('keeps the last good users when the file breaks or goes, warns once without its content', async () => {
    const path = fresh();
    await addUserToFile(path, 'alice', 'a-pw');
    const rec = recorder();
    const store = await UserStore.fromFile(path, { log: rec.log });
    const good = readFileSync(path, 'utf8');
    const salt = (JSON.parse(good) as UsersFileData).users.alice!.salt;

    writeFileSync(path, good.slice(0, good.length / 2)); // half a file: not JSON, and it quotes a salt
    expect(await store.lookup('alice')).toBeDefined();
    expect(await store.lookup('alice')).toBeDefined();
    writeFileSync(path, JSON.stringify({ version: 1, users: { eve: { mechanism: 'SCRAM-SHA-256', iterations: 1, salt: 'not base64!', storedKey: 'x', serverKey: 'y' } } }));
    expect(await store.lookup('eve')).toBeUndefined();
    rmSync(path);
    expect(await store.lookup('alice')).toBeDefined();

    const warnings = rec.lines.filter((l) => l.level === 'warn');
    expect(warnings.map((l) => l.obj.reason)).toEqual([
      expect.stringMatching(/is not valid JSON/),
      expect.stringMatching(/is not a jsm-pg users file at users\.eve\.salt/),
      expect.stringMatching(/does not exist/),
    ]);
    expect(JSON.stringify(rec.lines)).not.toContain(salt);
    expect(JSON.stringify(rec.lines)).not.toContain('not base64!');

    await addUserToFile(path, 'carol', 'c-pw');
    expect(await store.lookup('carol')).toBeDefined();
    expect(await store.lookup('alice')).toBeUndefined();
  });

  it('watches the folder and reloads after a change without a login', async () => {
    const path = fresh();
    await addUserToFile(path, 'alice', 'a-pw');
    const rec = recorder();
    const store = await UserStore.fromFile(path, { log: rec.log });
    store.watch();
    try {
      const reloaded = rec.next((m) => m === 'users file reloaded');
      await addUserToFile(path, 'bob', 'b-pw');
      await reloaded;
      expect(store.get('bob')).toBeDefined();
    } finally {
      store.stopWatching();
    }
  });

  it('in-memory stores do not change', async () => {
    const store = await UserStore.inMemory({ demo: 'demo' });
    store.watch();
    expect(await store.lookup('demo')).toBeDefined();
    store.stopWatching();
  });
});
