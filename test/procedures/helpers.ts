import pg from 'pg';
import { expect } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.ts';
import { clearSimCalls, simCalls } from '../helpers/gateway.ts';

export type Dataset = { entities: Record<string, { parent: Record<string, string>; item: Record<string, unknown> }[]>; temporaryAttachments: Record<string, unknown>[] };

export async function dataset(sim: RunningSimulator): Promise<Dataset> {
  return (await (await fetch(`${sim.url}/__sim/dataset`)).json()) as Dataset;
}

/**
 * What the simulator's clock changes by itself: each write advances it, which moves the elapsed and
 * remaining times of running SLA cycles (in request.sla and in requests' sla expand).
 */
const CLOCK = new Set(['ongoingCycle']);
const withoutClock = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(withoutClock)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => !CLOCK.has(k)).map(([k, x]) => [k, withoutClock(x)]))
      : v;

/** Entries of `after` not in `before` and the reverse, per entity kind (JSON equality, clock aside), with the temporary attachments as one more kind. */
export function changes(before: Dataset, after: Dataset): Record<string, { added: unknown[]; removed: unknown[] }> {
  const kinds = (d: Dataset) => withoutClock({ ...d.entities, temporaryAttachments: d.temporaryAttachments }) as Record<string, unknown[]>;
  const b = kinds(before);
  const a = kinds(after);
  const out: Record<string, { added: unknown[]; removed: unknown[] }> = {};
  for (const kind of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const bs = new Set((b[kind] ?? []).map((x) => JSON.stringify(x)));
    const as = new Set((a[kind] ?? []).map((x) => JSON.stringify(x)));
    const added = [...as].filter((x) => !bs.has(x)).map((x) => JSON.parse(x));
    const removed = [...bs].filter((x) => !as.has(x)).map((x) => JSON.parse(x));
    if (added.length || removed.length) out[kind] = { added, removed };
  }
  return out;
}

/** The SQLSTATE and message of a statement that must fail. */
export async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as pg.DatabaseError;
    return { code: String(e.code), message: e.message, hint: e.hint };
  }
  throw new Error('the statement succeeded');
}

/** Runs `f`, then checks that it made no API call that writes (a refused CALL must not reach JSM). */
export async function withoutWrites(sim: RunningSimulator, f: () => Promise<void>): Promise<void> {
  await clearSimCalls(sim);
  await f();
  const writes = (await simCalls(sim)).filter((c) => c.method !== 'GET');
  expect(writes).toEqual([]);
}
