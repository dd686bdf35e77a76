// End-to-end: `jsm-pg serve --users-file` as a real process; `jsm-pg user add` and `user remove`
// (real processes too) change who may log in without a restart; node-postgres logs in over TCP.
// The gateway's JSON log lines are checked on the way: one pid key, a session-end line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { BIN, runBin } from './run-bin.ts';

/** Bounds that catch a hang, far above a start on a busy machine: how long a start takes is the bench's business. */
const START_BOUND_MS = 180_000;

async function login(port: number, user: string, password: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, database: 'jsm', user, password });
  try {
    await client.connect();
    const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
    await client.end();
    return rows.length === 1 ? 'ok' : 'no rows';
  } catch (err) {
    await client.end().catch(() => undefined);
    return (err as { code?: string }).code ?? String(err);
  }
}

describe('jsm-pg serve follows its users file (processes)', () => {
  let sim: RunningSimulator;
  let child: ChildProcess;
  let stderr = '';
  let port = 0;
  const dir = mkdtempSync(join(tmpdir(), 'jsm-pg-reload-'));
  const usersFile = join(dir, 'users.json');
  const user = (args: string[], stdin?: string) => runBin(['user', ...args, '--users-file', usersFile], { stdin });

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, scale: 'small', seed: 1 });
    expect((await user(['add', 'alice'], 'alice-pw\n')).code).toBe(0);
    child = spawn(
      process.execPath,
      [BIN, 'serve', '--port', '0', '--pool-size', '1', '--log-format', 'json', '--users-file', usersFile,
        '--connection', `AuthScheme=APIToken;URL=${sim.url};User=agent@example.com;APIToken=agent-token`],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    let stdout = '';
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connect line; stderr: ${stderr}`)), START_BOUND_MS);
      child.stdout!.on('data', (c: Buffer) => {
        stdout += c.toString();
        const match = /port=(\d+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}; stderr: ${stderr}`)));
    });
  }, START_BOUND_MS + 30_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await sim?.close();
  });

  it('lets a user added while it runs log in, and refuses one removed', async () => {
    expect(await login(port, 'alice', 'alice-pw')).toBe('ok');
    expect(await login(port, 'bob', 'bob-pw')).toBe('28P01');

    expect((await user(['add', 'bob'], 'bob-pw\n')).code).toBe(0);
    expect(await login(port, 'bob', 'bob-pw')).toBe('ok');
    expect(await login(port, 'bob', 'wrong')).toBe('28P01');

    expect((await user(['remove', 'alice'])).code).toBe(0);
    expect(await login(port, 'alice', 'alice-pw')).toBe('28P01');
    expect(await login(port, 'bob', 'bob-pw')).toBe('ok');
  }, 120_000);

  it('logs JSON lines with one pid each, a session-end line per session, and no secrets', async () => {
    expect(await login(port, 'bob', 'bob-pw')).toBe('ok');
    // the gateway logs a session's end once it saw the socket close, which may come after login() returned
    const count = (msg: string) => stderr.split('\n').filter((l) => l.includes(`"msg":"${msg}"`)).length;
    while (count('session ended') < count('session started')) await new Promise((r) => setTimeout(r, 50));
    const lines = stderr.split('\n').filter((l) => l.startsWith('{'));
    for (const line of lines) expect(line.match(/"pid":/g)?.length ?? 0).toBeLessThanOrEqual(1);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const started = records.filter((r) => r.msg === 'session started');
    const ended = records.filter((r) => r.msg === 'session ended');
    expect(started.length).toBeGreaterThanOrEqual(4);
    expect(ended.length).toBe(started.length);
    expect(ended.at(-1)).toMatchObject({ user: 'bob', reason: 'terminate', queries: 1, backendPid: started.at(-1)!.backendPid });
    expect(typeof ended.at(-1)!.durationMs).toBe('number');
    expect(records.some((r) => r.msg === 'users file reloaded')).toBe(true);
    for (const secret of ['alice-pw', 'bob-pw', 'agent-token']) expect(stderr).not.toContain(secret);
  }, 120_000);
});
