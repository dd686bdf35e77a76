/**
 * A gateway over TCP in front of the simulator, configured the four ways a user can: connection
 * string, environment (JSM_<NAME>), config file (connection: section) and command-line flags.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { UserStore } from '../../src/auth/index.ts';
import { findProperty, loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startGateway, type RunningGateway } from '../../src/server/gateway.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';

export type Via = 'connection string' | 'env' | 'file' | 'flag';

export interface PropStack {
  sim: RunningSimulator;
  gateway: RunningGateway;
  url: string;
  close(): Promise<void>;
}

/** argv and env that set `props` through `via` (names as the seed spells them). */
export function configure(props: Record<string, string>, via: Via): { argv: string[]; env: NodeJS.ProcessEnv } {
  const entries = Object.entries(props);
  switch (via) {
    case 'connection string':
      return { argv: ['--connection', entries.map(([k, v]) => `${k}=${/[;'"=]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v}`).join(';')], env: {} };
    case 'env':
      return { argv: [], env: Object.fromEntries(entries.map(([k, v]) => [findProperty(k)!.envVar, v])) };
    case 'file': {
      const dir = mkdtempSync(join(tmpdir(), 'jsm-pg-props-'));
      const file = join(dir, 'config.yaml');
      writeFileSync(file, `connection:\n${entries.map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n')}\n`);
      return { argv: ['--config', file], env: {} };
    }
    case 'flag':
      return { argv: entries.flatMap(([k, v]) => [`${findProperty(k)!.flag}=${v}`]), env: {} };
  }
}

export async function startWith(props: Record<string, string>, via: Via = 'connection string'): Promise<PropStack> {
  const sim = await startSimulator({ port: 0, scale: 'small', seed: 1 });
  try {
    const base = `AuthScheme=APIToken;URL=${sim.url};User=agent@example.com;APIToken=agent-token`;
    const { argv, env } = configure(props, via);
    const config = loadConfig({ argv: ['--port', '0', '--pool-size', '1', '--connection', base, ...argv], env });
    const users = await UserStore.inMemory({ demo: 'demo' });
    const gateway = await startGateway({ config, users, logger: createLogger({ level: process.env.JSM_PG_TEST_LOG ?? 'silent' }) });
    return {
      sim,
      gateway,
      url: `postgresql://demo:demo@127.0.0.1:${gateway.port}/jsm`,
      async close() {
        await gateway.close();
        await sim.close();
      },
    };
  } catch (err) {
    await sim.close();
    throw err;
  }
}

export async function calls(sim: RunningSimulator): Promise<{ method: string; path: string; query: Record<string, string>; headers?: Record<string, string> }[]> {
  const body = (await (await fetch(`${sim.url}/__sim/calls`)).json()) as unknown;
  return (Array.isArray(body) ? body : (body as { calls: never[] }).calls) as never;
}

export async function clearCalls(sim: RunningSimulator): Promise<void> {
  await fetch(`${sim.url}/__sim/calls`, { method: 'DELETE' });
}

export interface Answer { rows: Record<string, unknown>[]; notices: string[] }

/** Runs SQL over node-postgres (simple protocol unless params are given), collecting NOTICEs; the rows of its last statement. */
export async function query(url: string, sql: string, params?: unknown[]): Promise<Answer> {
  const c = new pg.Client(url);
  const notices: string[] = [];
  c.on('notice', (n) => notices.push(n.message ?? ''));
  await c.connect();
  try {
    const r = (await c.query(sql, params)) as pg.QueryResult | pg.QueryResult[];
    // several statements in one string: the last one's rows
    return { rows: (Array.isArray(r) ? r[r.length - 1]! : r).rows, notices };
  } finally {
    await c.end();
  }
}

/** The error a statement fails with (its SQLSTATE and message). */
export async function failure(url: string, sql: string): Promise<{ code: string; message: string }> {
  try {
    await query(url, sql);
  } catch (err) {
    const e = err as { code: string; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error(`expected ${sql} to fail`);
}
