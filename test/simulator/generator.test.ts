import { describe, expect, it } from 'vitest';
import { SCALE_SIZES, generateState } from '../../src/simulator/generate.ts';
import { SIM_IDENTITIES } from '../../src/simulator/index.ts';
import type { SimState } from '../../src/simulator/model.ts';
import { createRng, mulberry32 } from '../../src/simulator/prng.ts';
import { currentStatus, transitionsFor } from '../../src/simulator/workflow.ts';

function expectAnchors(state: SimState): void {
  const deskIds = state.desks.map((d) => d.id);
  expect(deskIds).toEqual(expect.arrayContaining(['1', '2']));
  const first = state.requests.find((r) => r.issueId === '10001')!;
  expect(first.issueKey).toBe('TEST-1');
  expect(state.desks.find((d) => d.id === first.deskId)!.projectKey).toBe('TEST');
  expect(state.requestTypes.map((t) => t.id)).toEqual(expect.arrayContaining(['12', '10012']));
  expect(state.groups.map((g) => g.id)).toContain('12');
  expect(first.comments.map((c) => c.id)).toContain('10002');
  expect(first.approvals.map((a) => a.id)).toContain('10002');
  expect(first.participantIds.length).toBeGreaterThan(0);
  expect(transitionsFor(first).length).toBeGreaterThan(0);
  expect(first.slas.some((s) => s.completed.length > 0)).toBe(true);
  expect(first.slas.some((s) => s.ongoing)).toBe(true);
  expect(first.statusLog.length).toBeGreaterThan(1);
  expect(state.requests.filter((r) => r.reporterId === SIM_IDENTITIES.agent.accountId).length).toBeGreaterThan(0);
  expect(state.requests.filter((r) => r.reporterId === SIM_IDENTITIES.customer.accountId).length).toBeGreaterThan(0);
}

describe('data generator', () => {
  it('mulberry32 is a deterministic stream in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(draws).size).toBeGreaterThan(990);
    expect(createRng(1).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const one = generateState(7, 'small');
    expect(generateState(7, 'small')).toEqual(one);
    const other = generateState(8, 'small');
    expect(other.requests.map((r) => r.summary)).not.toEqual(one.requests.map((r) => r.summary));
  });

  it('keeps small small and realistic', () => {
    const state = generateState(1, 'small');
    expect(state.desks).toHaveLength(3);
    expect(state.requests).toHaveLength(SCALE_SIZES.small.requests);
    expect(state.requests.length).toBeLessThanOrEqual(100);
    const comments = state.requests.flatMap((r) => r.comments);
    expect(comments.some((c) => c.public)).toBe(true);
    expect(comments.some((c) => !c.public)).toBe(true);
    expect(state.requests.some((r) => r.slas.some((s) => s.ongoing)) && state.requests.some((r) => r.slas.every((s) => !s.ongoing))).toBe(true);
    expect(new Set(state.requests.map((r) => currentStatus(r).status)).size).toBeGreaterThan(3);
    const ids = state.requests.map((r) => Number(r.issueId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids[0]).toBe(10001);
    const customFields = new Set(state.requests.flatMap((r) => Object.keys(r.fieldValues)).filter((f) => f.startsWith('customfield_')));
    expect([...customFields]).toEqual(expect.arrayContaining(['customfield_10010', 'customfield_10012', 'customfield_10013']));
  });

  it.each(['small', 'medium'] as const)('has every anchor at %s scale', (scale) => {
    expectAnchors(generateState(3, scale));
  });

  it('generates large (>= 10,000 requests) with the anchors', () => {
    // How fast (CPU time against a 2 s budget) is bench/simulator-generate.ts's business.
    const state = generateState(1, 'large');
    expect(state.requests.length).toBeGreaterThanOrEqual(10_000);
    expectAnchors(state);
  });
});
