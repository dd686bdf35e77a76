import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { describeWithTools } from './helpers/describe-tools.ts';
import { compileJava, parseChecks, type CheckLines, type JavaPrograms } from './helpers/java.ts';
import type { RunResult } from './helpers/run.ts';

/** Every check WriteBatch.java runs; each must report ok. */
const CHECKS = ['executeBatch', 'readAfterCommit', 'deleteParticipant', 'insertReturning', 'executeBatchAutocommit', 'executeBatchFailingRow', 'identity'];

interface SimComment {
  parent: { requestId: string };
  item: { id: string; body: string; public: boolean };
}
interface SimParticipant {
  parent: { requestId: string };
  item: { accountId: string };
}
interface Dataset {
  entities: { 'request.comment': SimComment[]; 'request.participant': SimParticipant[] };
}

async function dataset(stack: TestStack): Promise<Dataset> {
  const res = await fetch(`${stack.sim.url}/__sim/dataset`);
  if (!res.ok) throw new Error(`dataset: HTTP ${res.status}`);
  return (await res.json()) as Dataset;
}

describeWithTools(['java', 'pgjdbc'], 'pgjdbc writes (executeBatch, autocommit off)', (tools) => {
  let stack: TestStack;
  let java: JavaPrograms;
  let before: Dataset;
  let after: Dataset;
  let r: RunResult;
  let checks: CheckLines;
  const row = (name: string) => {
    const v = checks.rows.get(name);
    if (v === undefined) throw new Error(`WriteBatch printed no ${name} row:\n${r.stdout}\n${r.stderr}`);
    return v;
  };

  beforeAll(async () => {
    [stack, java] = await Promise.all([startStack(), compileJava(['Checks', 'WriteBatch'], tools.java.path!, tools.pgjdbc.path!)]);
    before = await dataset(stack);
    // The program runs once; each test below checks one part of what it saw.
    r = await java.run('WriteBatch', [`jdbc:postgresql://127.0.0.1:${stack.port}/jsm`, 'demo', 'demo'], { timeoutMs: 50_000 });
    checks = parseChecks(r.stdout);
    after = await dataset(stack);
  });
  afterAll(async () => {
    await stack?.close();
    await java?.dispose();
  });

  const added = () => {
    const old = new Set(before.entities['request.comment'].map((c) => c.item.id));
    return after.entities['request.comment'].filter((c) => !old.has(c.item.id));
  };

  it('every check passes and the program reaches its end', () => {
    expect(Object.fromEntries(checks.failed), r.stderr).toEqual({});
    expect(CHECKS.filter((c) => !checks.ok.has(c)), r.stdout + r.stderr).toEqual([]);
    expect(checks.done, r.stdout + r.stderr).toBe(true);
    expect(r.code).toBe(0);
  });

  it('executeBatch of 7 INSERTs (named server statement, binary int4 parameter): every update count is 1, the transaction reads them', () => {
    expect(row('batchCounts')).toBe('[1, 1, 1, 1, 1, 1, 1]');
    expect(row('batchSeen').split('|')).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `jdbc batch ${i}`));
    // inside pgjdbc's BEGIN: each applied INSERT warns that ROLLBACK will not undo it
    expect(row('batchWarnings')).toBe('7');
  });

  it('after commit(), the next transaction reads the IDs the simulator gave the 7 comments', () => {
    const ids = row('batchIds').split('|');
    const sim = added().filter((c) => c.item.body.startsWith('jdbc batch '));
    expect(sim).toHaveLength(7);
    expect(ids.sort()).toEqual(sim.map((c) => c.item.id).sort());
    for (const c of sim) {
      const i = Number(c.item.body.slice('jdbc batch '.length));
      expect(c).toMatchObject({ parent: { requestId: '10004' }, item: { public: i % 2 === 1 } });
    }
  });

  it('executeUpdate of a DELETE FROM RequestParticipants returns 1 and the participant is gone from the simulator', () => {
    expect(row('deleteCount')).toBe('1');
    const [requestId, accountId] = row('deleted').split('|') as [string, string];
    const has = (d: Dataset) => d.entities['request.participant'].some((p) => p.parent.requestId === requestId && p.item.accountId === accountId);
    expect(has(before)).toBe(true);
    expect(has(after)).toBe(false);
    expect(after.entities['request.participant']).toHaveLength(before.entities['request.participant'].length - 1);
    // the others on the request stay, and the next read shows exactly them
    const others = after.entities['request.participant'].filter((p) => p.parent.requestId === requestId).map((p) => p.item.accountId);
    expect(row('participantsLeft').split('|').filter(Boolean).sort()).toEqual(others.sort());
  });

  it('INSERT … RETURNING through executeQuery gives the new comment its API ID', () => {
    const [id, body] = row('returning').split('|');
    expect(body).toBe('jdbc returning');
    const sim = after.entities['request.comment'].find((c) => c.item.id === id);
    expect(sim).toMatchObject({ parent: { requestId: '10004' }, item: { body: 'jdbc returning', public: false } });
  });

  it('executeBatch with autocommit on: update counts are 1 and the next read sees the rows', () => {
    expect(row('autocommitCounts')).toBe('[1, 1, 1]');
    const sim = added().filter((c) => c.parent.requestId === '10005');
    expect(sim.map((c) => c.item.body).sort()).toEqual(['jdbc autocommit 1', 'jdbc autocommit 2', 'jdbc autocommit 3']);
  });

  it('executeBatch whose third row has no Body: 23502, the two rows before it stay in JSM, the rest are not sent', () => {
    expect(row('failingError')).toMatch(/^23502 .*needs a value for Body/);
    expect(row('failingSeen').split('|')).toEqual(['jdbc failing 1', 'jdbc failing 2']);
    const sim = added().filter((c) => c.parent.requestId === '10012');
    expect(sim.map((c) => c.item.body).sort()).toEqual(['jdbc failing 1', 'jdbc failing 2']);
  });

  it('the simulator holds exactly the 13 new comments, and sys_identity one SUCCESS row for each row written', () => {
    expect(after.entities['request.comment']).toHaveLength(before.entities['request.comment'].length + 13);
    expect(added()).toHaveLength(13);
    const identity = row('identity').split('|').map((l) => l.split(','));
    expect(identity.every((x) => x[3] === 'SUCCESS')).toBe(true);
    expect(identity.filter((x) => x[2] === 'INSERTED').map((x) => x[0]).sort()).toEqual(added().map((c) => c.item.id).sort());
    expect(identity.filter((x) => x[2] === 'DELETED').map((x) => x[0])).toEqual([row('deleted').split('|')[1]]);
    // one Batch per executed statement that applied rows: the 7 of executeBatch are 7 statements
    expect(identity).toHaveLength(14);
    expect(new Set(identity.map((x) => x[1])).size).toBe(14);
  });
});
