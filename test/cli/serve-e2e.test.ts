// End-to-end: `jsm-pg --demo` as a real process, reached with node-postgres, stopped by a signal.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { BIN } from './run-bin.ts';

/** Bounds that catch a hang, far above a start on a busy machine: how long a start takes is the bench's business. */
const START_BOUND_MS = 180_000;

describe('jsm-pg serve --demo (process)', () => {
  it('prints a working psql URL and exits 0 on SIGINT and SIGTERM', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--log-level', 'warn'], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no psql line; stderr: ${stderr}`)), START_BOUND_MS);
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          const match = /psql "(postgresql:\/\/[^"]+)"/.exec(stdout);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}; stderr: ${stderr}`)));
      });
      expect(url).toMatch(/^postgresql:\/\/demo:demo@127\.0\.0\.1:\d+\/jsm$/);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
      await client.end();

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      expect(await exited).toBe(0);
      expect(stderr).not.toContain('agent-token');
    }
  }, 2 * START_BOUND_MS + 30_000);
});
