import { describe, expect, it } from 'vitest';
import { mapRow, readPath } from '../../src/executor/row-mapper.ts';
import { getCatalog } from '../../src/catalog/registry.ts';

describe('readPath brackets', () => {
  const item = {
    completedCycles: [{ stop: 1 }, { stop: 2 }, { stop: 3 }],
    requestFieldValues: [
      { fieldId: 'summary', value: 'x' },
      { fieldId: 'customfield_10010', value: { value: 'High', id: '1' } },
      { fieldId: 'customfield_10020', value: [{ value: 'a' }, { value: 'b' }] },
    ],
  };
  it('picks by index, from the end with a negative one', () => {
    expect(readPath(item, 'completedCycles[-1].stop')).toBe(3);
    expect(readPath(item, 'completedCycles[0].stop')).toBe(1);
    expect(readPath(item, 'completedCycles[7].stop')).toBeNull();
    expect(readPath({ completedCycles: [] }, 'completedCycles[-1].stop')).toBeNull();
  });
  it('selects the first element whose key equals a value, then maps or descends', () => {
    expect(readPath(item, 'requestFieldValues[fieldId=customfield_10010].value.value')).toBe('High');
    expect(readPath(item, 'requestFieldValues[fieldId=customfield_10020].value[].value')).toEqual(['a', 'b']);
    expect(readPath(item, 'requestFieldValues[fieldId=customfield_99999].value')).toBeNull();
  });
  it('still maps with [] and falls back with |', () => {
    expect(readPath(item, 'completedCycles[].stop')).toEqual([1, 2, 3]);
    expect(readPath(item, 'nope|completedCycles[1].stop')).toBe(2);
  });
});

describe('bound columns', () => {
  const catalog = getCatalog();
  const paramOf = () => undefined;
  it('puts an issue ID and an issue key in their own columns (bindPattern)', () => {
    const t = catalog.table('RequestStatusChangelog')!;
    const item = { status: 'Done', statusDate: { iso8601: '2024-01-21T19:18:27+0000' } };
    expect(mapRow(t, item, { issueIdOrKey: '10001' }, paramOf)).toMatchObject({ requestid: '10001', requestkey: null, status: 'Done' });
    expect(mapRow(t, item, { issueIdOrKey: 'TEST-1' }, paramOf)).toMatchObject({ requestkey: 'TEST-1' });
  });
  it('echoes a bound filter value, else reads the item (RequestTypes.GroupIds)', () => {
    const t = catalog.table('RequestTypes')!;
    const item = { id: '7', serviceDeskId: '1', groupIds: ['11', '12'] };
    expect(mapRow(t, item, { serviceDeskId: '1', groupId: '12' }, paramOf)).toMatchObject({ groupids: '12', servicedeskid: '1' });
    expect(mapRow(t, item, { serviceDeskId: '1' }, paramOf)).toMatchObject({ groupids: '11, 12' });
  });
  it('leaves a writeOnly column null', () => {
    const t = catalog.table('CustomerTransitions')!;
    expect(mapRow(t, { id: '11', name: 'Resolve' }, { issueIdOrKey: '10001' }, paramOf)).toMatchObject({ id: '11', comment: null });
  });
  it('maps one SLA to its ongoing and most recent completed cycle', () => {
    const t = catalog.table('RequestSLACycles')!;
    const d = (iso: string) => ({ iso8601: iso });
    const cycle = (start: string) => ({ startTime: d(start), stopTime: d(start), breachTime: d(start), breached: false, goalDuration: { friendly: '4h 0m' }, elapsedTime: { friendly: '1h' }, remainingTime: { friendly: '3h' } });
    const row = mapRow(t, { id: '1', name: 'Time to first response', completedCycles: [cycle('2024-01-01T00:00:00+0000'), cycle('2024-02-01T00:00:00+0000')] }, { issueIdOrKey: '10001' }, paramOf);
    expect(row).toMatchObject({ id: '1', completedcyclestarttime: '2024-02-01T00:00:00+0000', completedcyclegoalduration: '4h 0m', ongoingcyclestarttime: null });
  });
});
