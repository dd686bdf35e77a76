/**
 * Issue 15, item 1: the schema snapshot is cached under a key made of what shapes the schema only,
 * so two gateways on two sites (here two simulators on random ports, as demo mode starts them) share
 * one cached snapshot, and each still shows its own connection in sys_connection_props.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';

const stacks: TestStack[] = [];
const cacheDir = mkdtempSync(join(tmpdir(), 'jsm-pg-cache-test-'));
const before = process.env.JSM_PG_CACHE_DIR;

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()));
  if (before === undefined) delete process.env.JSM_PG_CACHE_DIR;
  else process.env.JSM_PG_CACHE_DIR = before;
  rmSync(cacheDir, { recursive: true, force: true });
});

async function props(stack: TestStack): Promise<Record<string, { value: string; etc: string }>> {
  const c = new pg.Client(stack.url);
  await c.connect();
  try {
    const { rows } = await c.query<{ name: string; value: string; etc: string }>(
      "SELECT name, value, etc FROM sys_connection_props WHERE name IN ('URL', 'User', 'APIToken', 'PageSize')",
    );
    return Object.fromEntries(rows.map((r) => [r.name, { value: r.value, etc: r.etc }]));
  } finally {
    await c.end();
  }
}

describe('one snapshot for every start', () => {
  it('two gateways on two sites load the same cached snapshot and each shows its own connection', async () => {
    process.env.JSM_PG_CACHE_DIR = cacheDir;
    stacks.push(await startStack());
    stacks.push(await startStack({ connection: 'PageSize=50' }));
    const [a, b] = stacks as [TestStack, TestStack];
    expect(a.sim.url).not.toBe(b.sim.url);
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.tar'))).toHaveLength(1);

    const pa = await props(a);
    const pb = await props(b);
    expect(pa.URL).toEqual({ value: a.sim.url, etc: 'explicit' });
    expect(pb.URL).toEqual({ value: b.sim.url, etc: 'explicit' });
    expect(pa.User!.value).toBe('agent@example.com');
    expect(pa.APIToken!.value).not.toContain('agent-token');
    expect(pa.PageSize!.etc).toBe('default');
    expect(pb.PageSize).toEqual({ value: '50', etc: 'explicit' });
  });
});
