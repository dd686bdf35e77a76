import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { describeWithTools } from './helpers/describe-tools.ts';
import { run } from './helpers/run.ts';

const script = fileURLToPath(new URL('./python/psycopg2_client.py', import.meta.url));

interface Described {
  type: string;
  value: unknown;
  tz?: boolean;
}

/** What psycopg2_client.py prints (see there). */
interface Report {
  encoding: string;
  parameters: { byKey: string[][]; inTuple: string[][]; columns: string[]; row: Described[] };
  namedCursor: { keys: string[]; plain: string[]; openCursors: [string, boolean][] };
  namedCursorWithHold: { keys: string[]; plain: string[]; openCursors: [string, boolean][] };
  errors: { first: { pgcode: string; class: string }; inFailed: { pgcode: string }; after: string; syntax: string };
  types: Record<'createdDate' | 'summary' | 'public' | 'internal' | 'roundTripTimestamp' | 'roundTripFalse', Described> & {
    nullRow: Described[];
    awkwardNoMatch: number;
  };
  awkwardText: string;
}

describeWithTools(['psycopg2'], 'psycopg2', (tools) => {
  let stack: TestStack;
  let report: Report;
  let deskOneKeys: string[];
  let request10001: { createddate: Date; summary: string };

  beforeAll(async () => {
    stack = await startStack();
    // The script runs once; each test below checks one part of what it saw.
    const r = await run(tools.psycopg2.path!, [script, stack.url], { timeoutMs: 50_000 });
    if (r.code !== 0) throw new Error(`psycopg2 script failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
    report = JSON.parse(r.stdout) as Report;
    // node-postgres is the reference for what the rows are.
    const c = new pg.Client(stack.url);
    await c.connect();
    deskOneKeys = (await c.query("SELECT requestkey FROM requests WHERE servicedeskid = '1' ORDER BY requestid::int")).rows.map((x) => x.requestkey as string);
    request10001 = (await c.query("SELECT createddate, summary FROM requests WHERE requestid = '10001'")).rows[0];
    await c.end();
  });
  afterAll(async () => stack?.close());

  it('connects with UTF8 client encoding', () => {
    expect(report.encoding).toBe('UTF8');
  });

  it('%s parameters, including a tuple for IN', () => {
    expect(report.parameters.byKey).toEqual([['TEST-1', '1']]);
    expect(report.parameters.inTuple).toEqual([['TEST-1']]);
    expect(report.parameters.columns).toEqual(['n', 't', 'b', 'nothing']);
    expect(report.parameters.row).toEqual([
      { type: 'int', value: 42 },
      { type: 'str', value: report.awkwardText },
      { type: 'bool', value: true },
      { type: 'NoneType', value: null },
    ]);
  });

  it('a named (server-side) cursor iterates a JSM query itersize rows at a time', () => {
    expect(deskOneKeys.length).toBeGreaterThan(10); // more than one FETCH of 7 or 10
    expect(report.namedCursor.openCursors).toEqual([['jsm_scan', false]]);
    expect(report.namedCursor.keys).toEqual(deskOneKeys);
    expect(report.namedCursor.plain).toEqual(deskOneKeys);
  });

  it('a named cursor WITH HOLD does the same', () => {
    expect(report.namedCursorWithHold.openCursors).toEqual([['jsm_scan_hold', true]]);
    expect(report.namedCursorWithHold.keys).toEqual(deskOneKeys);
  });

  it('an error, then rollback(), then a good query', () => {
    expect(report.errors.first).toEqual({ pgcode: '42P01', class: 'UndefinedTable' });
    expect(report.errors.inFailed.pgcode).toBe('25P02');
    expect(report.errors.after).toBe('TEST-1');
    expect(report.errors.syntax).toBe('42601');
  });

  it('types: timestamptz → aware datetime, boolean → bool, NULL → None, text unchanged', () => {
    const t = report.types;
    expect(t.createdDate.type).toBe('datetime');
    expect(t.createdDate.tz).toBe(true);
    expect(new Date(t.createdDate.value as string).getTime()).toBe(request10001.createddate.getTime());
    expect(t.summary).toEqual({ type: 'str', value: request10001.summary });
    expect(t.public.type).toBe('bool');
    expect(t.internal.type).toBe('bool');
    expect(t.nullRow[0]!.type).toBe('str');
    expect(t.nullRow[1]).toEqual({ type: 'NoneType', value: null });
    expect(t.awkwardNoMatch).toBe(0);
    expect(t.roundTripTimestamp).toEqual({ type: 'datetime', value: '2024-01-21T16:18:27+00:00', tz: true });
    expect(t.roundTripFalse).toEqual({ type: 'bool', value: false });
  });
});
