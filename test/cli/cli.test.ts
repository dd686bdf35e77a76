import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserStore } from '../../src/auth/index.ts';
import { CONNECTION_PROPERTIES, formatPropertyValue, SERVER_OPTIONS } from '../../src/config/index.ts';
import { runBin } from './run-bin.ts';

const dir = mkdtempSync(join(tmpdir(), 'jsm-pg-cli-'));
const SITE = 'https://example.atlassian.net';

describe('jsm-pg --help / --version', () => {
  it('documents every flag and every connection property with default and env var', async () => {
    const { code, stdout } = await runBin(['--help']);
    expect(code).toBe(0);
    for (const option of SERVER_OPTIONS) {
      expect(stdout).toContain(option.flag);
      expect(stdout).toContain(option.envVar);
    }
    for (const flag of ['--config', '--connection', '--version']) expect(stdout).toContain(flag);
    for (const def of CONNECTION_PROPERTIES) {
      expect(stdout, def.name).toMatch(new RegExp(`^  ${def.name}  `, 'm'));
      expect(stdout, def.name).toContain(def.envVar);
      expect(stdout, def.name).toContain(def.flag);
      expect(stdout.replace(/\s+/g, ' '), def.name).toContain(def.description);
      const dflt = formatPropertyValue(def.default);
      if (dflt !== '') expect(stdout.replace(/\s+/g, ' '), def.name).toContain(`default: ${dflt}`);
    }
    expect(stdout).toContain('Examples:');
    expect((await runBin(['help'])).stdout).toBe(stdout);
    expect((await runBin(['serve', '-h'])).stdout).toBe(stdout);
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const { code, stdout } = await runBin(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`jsm-pg ${pkg.version}`);
  });
});

describe('usage errors exit with 2', () => {
  it('rejects an unknown flag with a suggestion', async () => {
    const { code, stderr, stdout } = await runBin(['--prot', '5432']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown option --prot');
    expect(stderr).toContain('--port');
    expect(stdout).toBe('');
  });

  it('rejects an unknown command', async () => {
    const { code, stderr } = await runBin(['serv']);
    expect(code).toBe(2);
    expect(stderr).toContain('"serve"');
  });

  it('refuses passwords on the command line', async () => {
    const { code, stderr } = await runBin(['user', 'add', 'alice', '--password=hunter2', '--users-file', join(dir, 'x.json')]);
    expect(code).toBe(2);
    expect(stderr).toContain('never accepted on the command line');
    expect(stderr).not.toContain('hunter2');
  });

  it('needs a users file for user commands', async () => {
    expect((await runBin(['user', 'list'])).code).toBe(2);
  });
});

describe('configuration errors exit with 1 and never print secrets', () => {
  it('names the property and source of a bad value', async () => {
    const { code, stderr } = await runBin(['--connection', 'Timeout=soon;APIToken=tok-secret'], { env: { JSM_URL: SITE } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/"Timeout".*connection string/);
    expect(stderr).not.toContain('tok-secret');
  });
});

describe('jsm-pg user', () => {
  it('adds a user from standard input without storing the password', async () => {
    const path = join(dir, 'users.json');
    const added = await runBin(['user', 'add', 'alice', '--users-file', path], { stdin: 'pa ss;word\nignored second line\n' });
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('alice');
    expect(added.stdout + added.stderr).not.toContain('pa ss;word');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('pa ss;word');
    const store = await UserStore.fromFile(path);
    expect(await store.verify('alice', 'pa ss;word')).toBe(true);
    expect(await store.verify('alice', 'ignored second line')).toBe(false);

    const env = { JSM_PG_USERS_FILE: path };
    expect((await runBin(['user', 'add', 'bob'], { stdin: 'b0b', env })).code).toBe(0);
    const list = await runBin(['user', 'list'], { env });
    expect(list.stdout).toBe('alice\nbob\n');
    expect((await runBin(['user', 'remove', 'bob'], { env })).code).toBe(0);
    expect((await runBin(['user', 'list', '--users-file', path])).stdout).toBe('alice\n');
    const missing = await runBin(['user', 'remove', 'bob'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('"bob"');
  });

  it('rejects an empty password', async () => {
    const { code, stderr } = await runBin(['user', 'add', 'carol', '--users-file', join(dir, 'empty-pw.json')], { stdin: '\n' });
    expect(code).toBe(1);
    expect(stderr).toContain('no password');
  });
});

describe('jsm-pg serve without users', () => {
  it('refuses to start when no users file is configured, saying how to add a user', async () => {
    const { code, stderr } = await runBin(['--url', SITE, '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toContain('jsm-pg user add NAME --users-file');
  });

  it('refuses to start with an empty or missing users file', async () => {
    const empty = join(dir, 'no-users.json');
    writeFileSync(empty, JSON.stringify({ version: 1, users: {} }));
    const emptyRun = await runBin(['--users-file', empty, '--port', '0'], { env: { JSM_URL: SITE } });
    expect(emptyRun.code).toBe(1);
    expect(emptyRun.stderr).toContain(`jsm-pg user add NAME --users-file ${empty}`);
    const missingRun = await runBin(['--users-file', join(dir, 'absent.json'), '--port', '0'], { env: { JSM_URL: SITE } });
    expect(missingRun.code).toBe(1);
    expect(missingRun.stderr).toContain('jsm-pg user add NAME --users-file');
  });
});

describe('jsm-pg serve on a port in use', () => {
  it('fails before warming up, naming the port and suggesting --port', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      // demo mode: the port is checked before the simulator, the snapshot and the engines
      const { code, stdout, stderr } = await runBin(['serve', '--port', String(port)], { env: { JSM_PG_LOG_LEVEL: 'info' } });
      expect(code).toBe(1);
      expect(stderr).toContain(`jsm-pg: cannot listen on 127.0.0.1:${port}: port ${port} is already in use`);
      expect(stderr).toMatch(/^hint: .*--port N.*--port 0/m);
      expect(stderr).not.toContain('EADDRINUSE');
      expect(stdout).not.toContain('simulator started');
      expect(stdout).not.toContain('is ready');
    } finally {
      taken.close();
    }
  });
});
