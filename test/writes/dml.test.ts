import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSimCalls, simCalls, startStack, type TestStack } from '../helpers/gateway.ts';

/**
 * Issue 11: INSERT, UPDATE and DELETE on JSM relations change JSM through the API, row by row,
 * and each test checks the simulator's own state before and after (exactly the intended change)
 * and that RETURNING is what the API answered.
 */
type Entry = { parent: Record<string, string>; item: Record<string, any> };
let stack: TestStack;
let c: pg.Client;

async function dataset(kind: string): Promise<Entry[]> {
  const res = await fetch(`${stack.sim.url}/__sim/dataset`);
  return ((await res.json()) as { entities: Record<string, Entry[]> }).entities[kind]!;
}
const commentsOf = async (requestId: string) => (await dataset('request.comment')).filter((e) => e.parent.requestId === requestId).map((e) => e.item);
async function errorOf(sql: string, params?: unknown[]): Promise<pg.DatabaseError> {
  const err = await c.query(sql, params).then(() => undefined, (e: pg.DatabaseError) => e);
  if (!err) throw new Error(`expected an error from ${sql}`);
  return err;
}

beforeAll(async () => {
  stack = await startStack();
  c = new pg.Client(stack.url);
  await c.connect();
});
afterAll(async () => {
  await c?.end();
  await stack?.close();
});

describe('INSERT', () => {
  it('adds comments with VALUES (several rows, a parameter); RETURNING and the tag are what the API did', async () => {
    const before = await commentsOf('10002');
    const r = await c.query("INSERT INTO RequestComments (RequestId, Body, Public) VALUES ('10002', $1, true), ('10002', 'second ' || $1, false) RETURNING Id, RequestId, Body, Public, CreatedAt, AuthorKey", ['from SQL']);
    expect(r.command).toBe('INSERT');
    expect(r.rowCount).toBe(2);
    const after = await commentsOf('10002');
    const added = after.filter((a) => !before.some((b) => b.id === a.id));
    expect(added.map((a) => [a.body, a.public])).toEqual([['from SQL', true], ['second from SQL', false]]);
    expect(r.rows.map((x) => x.id)).toEqual(added.map((a) => a.id));
    expect(r.rows.map((x) => x.authorkey)).toEqual(added.map((a) => a.author.key ?? a.author.accountId));
    expect(r.rows.map((x) => x.createdat.toISOString())).toEqual(added.map((a) => new Date(a.created.iso8601).toISOString()));
    const ids = await c.query("SELECT Id, Batch, Operation, Message FROM sys_identity WHERE Operation = 'INSERTED' ORDER BY Id");
    expect(ids.rows.filter((x) => added.some((a) => a.id === x.id)).map((x) => x.message)).toEqual(['SUCCESS', 'SUCCESS']);
  });

  it('INSERT … SELECT from a JSM relation and from a local table; the next read sees the writes', async () => {
    const seen = await c.query("SELECT Id FROM RequestComments WHERE RequestId = '10003'");
    await c.query("CREATE TEMP TABLE notes (rid text, txt text); INSERT INTO notes VALUES ('10003', 'local one')");
    const fromJsm = await c.query("INSERT INTO RequestComments (RequestId, Body) SELECT RequestId, 'about ' || RequestKey FROM Requests WHERE RequestId = '10003'");
    const fromLocal = await c.query('INSERT INTO RequestComments (RequestId, Body) SELECT rid, txt FROM notes');
    expect([fromJsm.rowCount, fromLocal.rowCount]).toEqual([1, 1]);
    const now = await c.query("SELECT Body FROM RequestComments WHERE RequestId = '10003' ORDER BY CreatedAt, Id");
    expect(now.rows.length).toBe(seen.rows.length + 2);
    const key = (await c.query("SELECT RequestKey FROM Requests WHERE RequestId = '10003'")).rows[0].requestkey;
    expect(now.rows.slice(-2).map((x) => x.body)).toEqual([`about ${key}`, 'local one']);
    // Public left out: JSM requires it, and its default is a public reply
    expect((await commentsOf('10003')).slice(-2).map((x) => [x.body, x.public])).toEqual([[`about ${key}`, true], ['local one', true]]);
  });

  it('a named prepared statement runs again with new parameters', async () => {
    const before = (await commentsOf('10004')).length;
    for (const body of ['p1', 'p2', 'p3']) {
      const r = await c.query({ name: 'add_comment', text: 'INSERT INTO RequestComments (RequestId, Body) VALUES ($1, $2)', values: ['10004', body] });
      expect(r.rowCount).toBe(1);
    }
    expect((await commentsOf('10004')).slice(before).map((x) => x.body)).toEqual(['p1', 'p2', 'p3']);
  });

  it('participants are added by account ID and removed with DELETE … WHERE on any condition', async () => {
    const parts = async () => (await dataset('request.participant')).filter((e) => e.parent.requestId === '10005').map((e) => e.item.accountId).sort();
    const before = await parts();
    const users = await c.query("SELECT AccountId, DisplayName FROM Customers WHERE ServiceDeskId = '1' AND AccountId <> ALL($1) ORDER BY AccountId LIMIT 2", [before]);
    const added = await c.query("INSERT INTO RequestParticipants (RequestId, AccountId) SELECT '10005', AccountId FROM Customers WHERE ServiceDeskId = '1' AND AccountId = ANY($1) RETURNING AccountId, DisplayName", [users.rows.map((u) => u.accountid)]);
    expect(added.rows.sort((a, b) => a.accountid.localeCompare(b.accountid))).toEqual(users.rows);
    expect(await parts()).toEqual([...before, ...users.rows.map((u) => u.accountid)].sort());
    // DisplayName is not an API filter: the engine decides which rows go
    const gone = await c.query("DELETE FROM RequestParticipants WHERE RequestId = '10005' AND DisplayName = $1 RETURNING AccountId", [users.rows[0].displayname]);
    expect(gone.rows).toEqual([{ accountid: users.rows[0].accountid }]);
    expect(await parts()).toEqual([...before, users.rows[1].accountid].sort());
  });

  it('a participant JSM does not add (the reporter) is a failed row, not a claimed one', async () => {
    const r = (await c.query("SELECT RequestId, ReporterAccountId FROM Requests WHERE RequestId = '10012'")).rows[0];
    const err = await errorOf('INSERT INTO RequestParticipants (RequestId, AccountId) VALUES ($1, $2)', [r.requestid, r.reporteraccountid]);
    expect(err.message).toMatch(/0 of 1 row applied, 1 failed/);
    expect(err.detail).toMatch(/did not add the row/);
  });

  it('a transition moves the request on, with its comment', async () => {
    const t = await c.query("SELECT t.RequestId, r.RequestKey, t.Id FROM CustomerTransitions t JOIN Requests r ON r.RequestId = t.RequestId WHERE r.ServiceDeskId = '1' ORDER BY t.RequestId DESC, t.Id LIMIT 1");
    expect(t.rows.length).toBe(1);
    const { requestid, requestkey, id } = t.rows[0];
    const r = await c.query("INSERT INTO CustomerTransitions (RequestKey, Id, Comment) VALUES ($1, $2, 'moving on') RETURNING RequestKey, Id, Comment", [requestkey, id]);
    expect(r.rows).toEqual([{ requestkey, id, comment: 'moving on' }]);
    const comments = await commentsOf(requestid);
    expect(comments.at(-1)!.body).toBe('moving on');
    const status = await c.query('SELECT CurrentStatus FROM Requests WHERE RequestId = $1', [requestid]);
    const history = (await dataset('request.status')).filter((e) => e.parent.requestId === requestid);
    expect(history.length).toBeGreaterThan(1);
    expect(status.rows[0].currentstatus).toBe(history[0]!.item.status); // newest first
  });

  it('an organization is created, added to a desk, removed from it and deleted', async () => {
    const orgs = async () => (await dataset('organization')).map((e) => e.item.name);
    const created = await c.query("INSERT INTO Organizations (Name) VALUES ('Written Ltd') RETURNING Id, Name");
    const id = created.rows[0].id;
    expect(await orgs()).toContain('Written Ltd');
    await c.query("INSERT INTO Organizations (Id, ServiceDeskId) VALUES ($1, '2')", [id]);
    const desk = async () => (await dataset('servicedesk.organization')).filter((e) => e.parent.serviceDeskId === '2').map((e) => String(e.item.id ?? e.item.organizationId));
    expect(await desk()).toContain(id);
    expect((await c.query("DELETE FROM Organizations WHERE ServiceDeskId = '2' AND Id = $1", [id])).rowCount).toBe(1);
    expect(await desk()).not.toContain(id);
    expect((await c.query('DELETE FROM Organizations WHERE ServiceDeskId IS NULL AND Id = $1', [id])).rowCount).toBe(1);
    expect(await orgs()).not.toContain('Written Ltd');
  });
});

describe('COPY FROM STDIN', () => {
  it('psql \\copy of a CSV adds its rows as comments (COPY n), any format the engine reads', async () => {
    const { spawn } = await import('node:child_process');
    const before = (await commentsOf('10013')).length;
    const csv = 'RequestId,Body\n10013,"first, from a file"\n10013,second\n';
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn('psql', ['-X', '-v', 'ON_ERROR_STOP=1', stack.url, '-c', '\\copy RequestComments (RequestId, Body) FROM STDIN WITH (FORMAT csv, HEADER true)']);
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (code) => resolve({ code, stdout, stderr }));
      p.stdin.end(csv);
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('COPY 2');
    expect((await commentsOf('10013')).slice(before).map((x) => [x.body, x.public])).toEqual([['first, from a file', true], ['second', true]]);
  });
});

describe('people', () => {
  it('a customer is added to a desk and removed; a member to an organization and removed', async () => {
    const inDesk = async (desk: string) => (await dataset('servicedesk.customer')).filter((e) => e.parent.serviceDeskId === desk).map((e) => e.item.accountId);
    const outsider = (await c.query("SELECT AccountId FROM Customers WHERE ServiceDeskId = '1' AND AccountId <> ALL($1) ORDER BY AccountId LIMIT 1", [await inDesk('2')])).rows[0].accountid;
    const added = await c.query("INSERT INTO Customers (ServiceDeskId, AccountId) VALUES ('2', $1) RETURNING ServiceDeskId, AccountId", [outsider]);
    expect(added.rows).toEqual([{ servicedeskid: '2', accountid: outsider }]);
    expect(await inDesk('2')).toContain(outsider);
    expect((await c.query("SELECT count(*)::int AS n FROM Customers WHERE ServiceDeskId = '2' AND AccountId = $1", [outsider])).rows[0].n).toBe(1);
    expect((await c.query("DELETE FROM Customers WHERE ServiceDeskId = '2' AND AccountId = $1", [outsider])).rowCount).toBe(1);
    expect(await inDesk('2')).not.toContain(outsider);

    const members = async (org: string) => (await dataset('organization.user')).filter((e) => e.parent.organizationId === org).map((e) => e.item.accountId);
    const orgId = (await c.query('SELECT Id FROM Organizations ORDER BY Id LIMIT 1')).rows[0].id;
    const joiner = (await c.query("SELECT AccountId FROM Customers WHERE ServiceDeskId = '1' AND AccountId <> ALL($1) ORDER BY AccountId LIMIT 1", [await members(orgId)])).rows[0].accountid;
    expect((await c.query('INSERT INTO Users (OrganizationId, AccountId) VALUES ($1, $2)', [orgId, joiner])).rowCount).toBe(1);
    expect(await members(orgId)).toContain(joiner);
    expect((await c.query('DELETE FROM Users WHERE OrganizationId = $1 AND AccountId = $2', [orgId, joiner])).rowCount).toBe(1);
    expect(await members(orgId)).not.toContain(joiner);
  });
});

describe('INSERT INTO Requests (IncludeCustomFields=true)', () => {
  let own: TestStack;
  let c: pg.Client;
  const dataset = async (kind: string): Promise<Entry[]> => ((await (await fetch(`${own.sim.url}/__sim/dataset`)).json()) as { entities: Record<string, Entry[]> }).entities[kind]!;
  beforeAll(async () => {
    own = await startStack({ connection: 'IncludeCustomFields=true' });
    c = new pg.Client(own.url);
    await c.connect();
  });
  afterAll(async () => {
    await c?.end();
    await own?.close();
  });

  it('raises a request with a custom field given by its column name; RETURNING has its new key', async () => {
    const t = await c.query("SELECT RequestTypeId, ServiceDeskId FROM RequestTypeFields WHERE ServiceDeskId = '1' AND FieldId = 'customfield_10011' ORDER BY RequestTypeId LIMIT 1");
    expect(t.rows.length).toBe(1);
    const { requesttypeid, servicedeskid } = t.rows[0];
    const before = (await dataset('request')).length;
    const r = await c.query("INSERT INTO Requests (ServiceDeskId, RequestTypeId, Summary, affected_system, impact) VALUES ($1, $2, $3, $4, 'Minor / Localized') RETURNING RequestId, RequestKey, Summary, affected_system, impact", [servicedeskid, requesttypeid, 'Printer on fire', 'Printer 3']);
    const requests = (await dataset('request')).map((e) => e.item);
    expect(requests.length).toBe(before + 1);
    const made = requests.find((x) => x.summary === 'Printer on fire')!;
    expect(r.rows).toEqual([{ requestid: made.issueId, requestkey: made.issueKey, summary: 'Printer on fire', affected_system: 'Printer 3', impact: 'Minor / Localized' }]);
    const again = await c.query('SELECT affected_system FROM Requests WHERE RequestKey = $1', [made.issueKey]);
    expect(again.rows).toEqual([{ affected_system: 'Printer 3' }]);
  });
});

describe('UPDATE', () => {
  it('answers a pending approval found by a condition the API cannot take', async () => {
    const pending = await c.query("SELECT RequestId, Id FROM RequestApprovals WHERE RequestId IN (SELECT RequestId FROM Requests WHERE ServiceDeskId = '1') AND FinalDecision = 'pending' ORDER BY RequestId, Id LIMIT 1");
    expect(pending.rows.length).toBe(1);
    const { requestid, id } = pending.rows[0];
    const r = await c.query("UPDATE RequestApprovals SET FinalDecision = 'decline' WHERE RequestId = $1 AND Id = $2 AND FinalDecision LIKE 'pend%' RETURNING Id, FinalDecision, CompletedDate IS NOT NULL AS done", [requestid, id]);
    expect(r.command).toBe('UPDATE');
    expect(r.rows).toEqual([{ id, finaldecision: 'declined', done: true }]);
    const sim = (await dataset('request.approval')).find((e) => e.parent.requestId === requestid && e.item.id === id)!;
    expect(sim.item.finalDecision).toBe('declined');
    const again = await errorOf('UPDATE RequestApprovals SET FinalDecision = $3 WHERE RequestId = $1 AND Id = $2', [requestid, id, 'approve']);
    expect(again.message).toMatch(/0 of 1 row applied, 1 failed/);
    expect(again.message + again.detail).toMatch(/already been answered/);
  });

  it('no row found is UPDATE 0 and no call', async () => {
    await clearSimCalls(stack.sim);
    const r = await c.query("UPDATE RequestApprovals SET FinalDecision = 'approve' WHERE RequestId = '10001' AND Id = 'no-such'");
    expect(r.rowCount).toBe(0);
    expect((await simCalls(stack.sim)).filter((x) => x.method !== 'GET')).toEqual([]);
  });
});

describe('EXPLAIN', () => {
  it('shows the call per row and how the rows are found, and calls nothing; EXPLAIN ANALYZE is refused', async () => {
    await clearSimCalls(stack.sim);
    const r = await c.query("EXPLAIN UPDATE RequestApprovals SET FinalDecision = 'approve' WHERE RequestId = $1", ['10001']);
    const lines = r.rows.map((x) => x['QUERY PLAN'] as string);
    expect(lines[0]).toBe('JSM write: one POST /rest/servicedeskapi/request/{issueIdOrKey}/approval/{approvalId} per row');
    expect(lines.join('\n')).toMatch(/Seq Scan on .*requestapprovals/);
    const err = await errorOf("EXPLAIN ANALYZE INSERT INTO RequestComments (RequestId, Body) VALUES ('10001', 'x')");
    expect([err.code, err.message]).toEqual(['0A000', expect.stringMatching(/would apply the write/)]);
    expect(await simCalls(stack.sim)).toEqual([]);
  });
});

describe('bad input is refused before any call, with the right SQLSTATE', () => {
  const writesMade = async () => (await simCalls(stack.sim)).filter((x) => x.method !== 'GET');
  const cases: [string, string, RegExp][] = [
    ["INSERT INTO RequestComments (RequestId) VALUES ('10001')", '23502', /needs a value for Body/],
    ["INSERT INTO RequestComments (RequestId, Body, AuthorKey) VALUES ('10001', 'x', 'me')", '0A000', /AuthorKey.*cannot be written/],
    ["UPDATE RequestApprovals SET FinalDecision = 'maybe' WHERE RequestId = '10001'", '22023', /FinalDecision/],
    ["UPDATE RequestComments SET Body = 'x' WHERE RequestId = '10001'", '0A000', /cannot be changed with UPDATE/],
    ["INSERT INTO ServiceDesks (Id) VALUES ('9')", '0A000', /ServiceDesks/],
    ["INSERT INTO RequestComments (RequestId, Body) VALUES ('10001', 'x') ON CONFLICT DO NOTHING", '0A000', /ON CONFLICT/],
    ["INSERT INTO RequestComments (RequestId, Nope) VALUES ('10001', 'x')", '42703', /nope/],
    ["UPDATE RequestApprovals SET Id = '1' WHERE RequestId = '10001'", '0A000', /identifies a row/],
    ['TRUNCATE RequestComments', '0A000', /TRUNCATE/],
    ["WITH x AS (INSERT INTO RequestComments (RequestId, Body) VALUES ('10001', 'x') RETURNING Id) SELECT * FROM x", '0A000', /not inside another statement/],
    ["PREPARE w AS INSERT INTO RequestComments (RequestId, Body) VALUES ($1, $2)", '0A000', /not inside PREPARE/],
    ["DO $$ BEGIN INSERT INTO RequestComments (RequestId, Body) VALUES ('10001', 'x'); END $$", '42501', /permission denied for view requestcomments/],
  ];
  for (const [sql, code, message] of cases)
    it(`${code}: ${sql}`, async () => {
      await clearSimCalls(stack.sim);
      const err = await errorOf(sql);
      expect([err.code, err.message]).toEqual([code, expect.stringMatching(message)]);
      expect(await writesMade()).toEqual([]);
      expect((await c.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    });

  it('25006 in a READ ONLY transaction, which stays usable after ROLLBACK', async () => {
    await c.query('BEGIN READ ONLY');
    const err = await errorOf("INSERT INTO RequestComments (RequestId, Body) VALUES ('10001', 'x')");
    expect(err.code).toBe('25006');
    await c.query('ROLLBACK');
  });
});

describe('nothing claimed that failed', () => {
  it('a row the API rejects fails the statement with the counts, the row and why; sys_identity says which was applied', async () => {
    const before = await commentsOf('10007');
    const err = await errorOf("INSERT INTO RequestComments (RequestId, Body) VALUES ('10007', 'kept'), ('99999', 'lost'), ('10007', 'kept too')");
    expect(err.message).toMatch(/2 of 3 rows applied, 1 failed/);
    expect(err.detail).toMatch(/row 2 \(RequestId=99999\).*does not exist/);
    const batch = /Batch = '(\d+)'/.exec(err.hint!)![1];
    const ids = await c.query('SELECT Id, Operation, Message FROM sys_identity WHERE Batch = $1', [batch]);
    const added = (await commentsOf('10007')).filter((a) => !before.some((b) => b.id === a.id));
    expect(added.map((a) => a.body)).toEqual(['kept', 'kept too']);
    expect(ids.rows.filter((r) => r.message === 'SUCCESS').map((r) => r.id).sort()).toEqual(added.map((a) => a.id).sort());
    expect(ids.rows.filter((r) => r.message !== 'SUCCESS').map((r) => r.message)).toEqual([expect.stringMatching(/does not exist/)]);
  });
});

describe('transactions', () => {
  it('inside a block the write is applied at once with a WARNING; ROLLBACK keeps it and its sys_identity rows', async () => {
    const notices: string[] = [];
    const onNotice = (n: { severity?: string; message?: string }) => notices.push(`${n.severity}: ${n.message}`);
    c.on('notice', onNotice);
    const rows = async () => (await c.query('SELECT count(*)::int AS n FROM sys_identity')).rows[0].n;
    const identityBefore = await rows();
    const before = (await commentsOf('10008')).length;
    await c.query('BEGIN');
    await c.query("INSERT INTO RequestComments (RequestId, Body) VALUES ('10008', 'in a block')");
    const inBlock = await c.query("SELECT count(*)::int AS n FROM RequestComments WHERE RequestId = '10008'");
    expect(inBlock.rows[0].n).toBe(before + 1);
    await c.query('ROLLBACK');
    c.off('notice', onNotice);
    expect(notices).toEqual([expect.stringMatching(/^WARNING: .*applied to JSM.*ROLLBACK will not undo it/)]);
    expect((await commentsOf('10008')).length).toBe(before + 1);
    expect(await rows()).toBe(identityBefore + 1);
  });

  it('several statements in one string: a write, then a failure, the write stays and is said', async () => {
    const before = (await commentsOf('10009')).length;
    const err = await errorOf("INSERT INTO RequestComments (RequestId, Body) VALUES ('10009', 'first'); SELECT 1/0");
    expect(err.code).toBe('22012');
    expect((await commentsOf('10009')).length).toBe(before + 1);
    const r = await c.query("INSERT INTO RequestComments (RequestId, Body) VALUES ('10009', 'then'); SELECT Message FROM sys_identity ORDER BY Batch::int DESC LIMIT 1");
    expect(r).toHaveLength(2);
  });

  it('two sessions write at once; each sys_identity holds only its own rows', async () => {
    const other = new pg.Client(stack.url);
    await other.connect();
    try {
      const own = async (client: pg.Client) => (await client.query('SELECT count(*)::int AS n FROM sys_identity')).rows[0].n;
      const [a0, b0] = [await own(c), await own(other)];
      await Promise.all([
        c.query("INSERT INTO RequestComments (RequestId, Body) SELECT '10010', 'a' || g FROM generate_series(1, 5) g"),
        other.query("INSERT INTO RequestComments (RequestId, Body) SELECT '10011', 'b' || g FROM generate_series(1, 3) g"),
      ]);
      expect([await own(c) - a0, await own(other) - b0]).toEqual([5, 3]);
    } finally {
      await other.end();
    }
  });
});
