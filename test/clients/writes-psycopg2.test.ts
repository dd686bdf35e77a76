import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { describeWithTools } from './helpers/describe-tools.ts';
import { run } from './helpers/run.ts';

const script = fileURLToPath(new URL('./python/psycopg2_writes.py', import.meta.url));

/** What psycopg2_writes.py prints (see there). */
interface Report {
  autocommit: boolean;
  executemany: { rowcount: number; inTransaction: boolean; seen: [string, string, boolean][] };
  returning: { row: [string, string, string, boolean]; columns: string[]; rowcount: number; status: string; readBack: [string][] };
  approval: { pending: [string, string] | null; rowcount?: number; status?: string; after?: string };
  missingBody: { error: { pgcode: string; class: string; message: string } | string; statusAfterError: boolean; after: number };
  identity: [string | null, string, string, string][];
  notices: string[];
  many: [string, string, boolean][];
  returningBody: string;
}

interface SimComment {
  parent: { requestId: string };
  item: { id: string; body: string; public: boolean };
}
interface SimApproval {
  parent: { requestId: string };
  item: { id: string; finalDecision: string };
}
interface Dataset {
  entities: { 'request.comment': SimComment[]; 'request.approval': SimApproval[] };
}

async function dataset(stack: TestStack): Promise<Dataset> {
  const res = await fetch(`${stack.sim.url}/__sim/dataset`);
  if (!res.ok) throw new Error(`dataset: HTTP ${res.status}`);
  return (await res.json()) as Dataset;
}

describeWithTools(['psycopg2'], 'psycopg2 writes (default transaction mode)', (tools) => {
  let stack: TestStack;
  let report: Report;
  let before: Dataset;
  let after: Dataset;

  beforeAll(async () => {
    stack = await startStack();
    before = await dataset(stack);
    // The script runs once; each test below checks one part of what it saw.
    const r = await run(tools.psycopg2.path!, [script, stack.url], { timeoutMs: 50_000 });
    if (r.code !== 0) throw new Error(`psycopg2 script failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
    report = JSON.parse(r.stdout) as Report;
    after = await dataset(stack);
  });
  afterAll(async () => stack?.close());

  const newComments = () => {
    const old = new Set(before.entities['request.comment'].map((c) => c.item.id));
    return after.entities['request.comment'].filter((c) => !old.has(c.item.id));
  };

  it('executemany inserts every row, and a SELECT in the same transaction sees them', () => {
    expect(report.autocommit).toBe(false);
    expect(report.executemany.inTransaction).toBe(true);
    expect(report.executemany.rowcount).toBe(3);
    const want = [...report.many].sort((a, b) => (a[1] < b[1] ? -1 : 1));
    expect(report.executemany.seen).toEqual(want);
  });

  it('INSERT … RETURNING answers the new comment with the Id the API gave it', () => {
    const { row, columns, rowcount, status, readBack } = report.returning;
    expect(columns).toEqual(['id', 'requestid', 'body', 'public']);
    expect(row.slice(1)).toEqual(['10003', report.returningBody, true]);
    expect(row[0]).toMatch(/^\d+$/);
    expect(rowcount).toBe(1);
    expect(status).toBe('INSERT 0 1');
    expect(readBack).toEqual([[report.returningBody]]);
    const sim = after.entities['request.comment'].find((c) => c.item.id === row[0]);
    expect(sim).toMatchObject({ parent: { requestId: '10003' }, item: { body: report.returningBody, public: true } });
  });

  it('each write inside the implicit transaction says ROLLBACK will not undo it', () => {
    const warnings = report.notices.filter((n) => n.startsWith('WARNING:'));
    // executemany's three INSERTs, the RETURNING one and the UPDATE: all ran inside psycopg2's BEGIN
    expect(warnings.filter((n) => /INSERT into RequestComments: 1 row was applied to JSM .*ROLLBACK will not undo it/.test(n))).toHaveLength(4);
    expect(warnings.filter((n) => /UPDATE of RequestApprovals: 1 row was applied to JSM .*ROLLBACK will not undo it/.test(n))).toHaveLength(1);
  });

  it('sys_identity has one SUCCESS row per applied row, with the comment IDs the API gave', () => {
    const inserted = report.identity.filter((r) => r[2] === 'INSERTED');
    expect(inserted.every((r) => r[3] === 'SUCCESS')).toBe(true);
    expect(inserted.map((r) => r[0]).sort()).toEqual(newComments().map((c) => c.item.id).sort());
    // one statement, one batch: executemany's three statements are three batches
    expect(new Set(inserted.map((r) => r[1])).size).toBe(4);
    expect(inserted.find((r) => r[0] === report.returning.row[0])).toBeDefined();
    const updated = report.identity.filter((r) => r[2] === 'UPDATED');
    expect(updated).toEqual([[report.approval.pending![0], expect.any(String), 'UPDATED', 'SUCCESS']]);
    expect(report.identity).toHaveLength(5); // the refused INSERT (no Body) tried no row
  });

  it('the simulator holds exactly the new comments', () => {
    expect(after.entities['request.comment']).toHaveLength(before.entities['request.comment'].length + 4);
    const got = newComments().map((c) => [c.parent.requestId, c.item.body, c.item.public]);
    const want = [...report.many, ['10003', report.returningBody, true]];
    const byBody = (a: unknown[], b: unknown[]) => String(a[1]).localeCompare(String(b[1]));
    expect(got.sort(byBody)).toEqual(want.sort(byBody));
    // nothing else changed
    const kept = new Map(after.entities['request.comment'].map((c) => [c.item.id, c.item.body]));
    for (const c of before.entities['request.comment']) expect(kept.get(c.item.id)).toBe(c.item.body);
  });

  it('UPDATE RequestApprovals SET FinalDecision = approve answers a pending approval', () => {
    expect(report.approval.pending, 'the seed has a pending approval').not.toBeNull();
    const [id, requestId] = report.approval.pending!;
    expect(report.approval.rowcount).toBe(1);
    expect(report.approval.status).toBe('UPDATE 1');
    expect(report.approval.after).toBe('approved');
    const find = (d: Dataset) => d.entities['request.approval'].find((a) => a.item.id === id && a.parent.requestId === requestId);
    expect(find(before)?.item.finalDecision).toBe('pending');
    expect(find(after)?.item.finalDecision).toBe('approved');
  });

  it('INSERT without Body fails with 23502; after rollback() the connection works', () => {
    const { error, statusAfterError, after: count } = report.missingBody;
    expect(error).toMatchObject({ pgcode: '23502', class: 'NotNullViolation' });
    expect((error as { message: string }).message).toMatch(/Body/);
    expect(statusAfterError).toBe(true);
    expect(count).toBe(2); // the two executemany comments on request 10001
  });
});
