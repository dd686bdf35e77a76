import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';

/**
 * Writes to JSM relations from the two Node drivers: node-postgres over the simple and the
 * extended protocol (parameters, a named prepared statement run again and again) and postgres.js
 * (always extended, its tagged templates and sql.begin). Each write is seen by the next read, and
 * the simulator's dataset holds exactly what was written.
 */

interface SimComment {
  parent: { requestId: string };
  item: { id: string; body: string; public: boolean };
}
interface SimParticipant {
  parent: { requestId: string };
  item: { accountId: string; displayName: string };
}
interface Dataset {
  entities: { 'request.comment': SimComment[]; 'request.participant': SimParticipant[] };
}

async function dataset(): Promise<Dataset> {
  const res = await fetch(`${stack.sim.url}/__sim/dataset`);
  if (!res.ok) throw new Error(`dataset: HTTP ${res.status}`);
  return (await res.json()) as Dataset;
}

/** The comments on `requestId` the simulator holds now and did not at the start. */
async function newComments(requestId: string): Promise<SimComment[]> {
  const old = new Set(initial.entities['request.comment'].map((c) => c.item.id));
  return (await dataset()).entities['request.comment'].filter((c) => c.parent.requestId === requestId && !old.has(c.item.id));
}

const warningsOf = (notices: { severity?: string; message: string }[]) => notices.filter((n) => n.severity === 'WARNING').map((n) => n.message);

let stack: TestStack;
let initial: Dataset;
beforeAll(async () => {
  stack = await startStack();
  initial = await dataset();
});
afterAll(async () => stack?.close());

describe('node-postgres (pg)', () => {
  let c: pg.Client;
  const notices: { severity?: string; message: string }[] = [];
  beforeAll(async () => {
    c = new pg.Client({ connectionString: stack.url, application_name: 'jsm-pg writes node-postgres test' });
    c.on('notice', (n) => notices.push({ severity: n.severity, message: n.message ?? '' }));
    await c.connect();
  });
  afterAll(async () => c?.end());

  it('simple protocol: INSERT answers INSERT 0 1, with no WARNING outside a block; the next read sees the comment', async () => {
    notices.length = 0;
    const r = await c.query("INSERT INTO RequestComments (RequestId, Body, Public) VALUES ('10006', 'pg simple', true)");
    expect([r.command, r.rowCount, r.rows]).toEqual(['INSERT', 1, []]);
    expect(warningsOf(notices)).toEqual([]);
    const read = await c.query("SELECT Body, Public FROM RequestComments WHERE RequestId = '10006' AND Body = 'pg simple'");
    expect(read.rows).toEqual([{ body: 'pg simple', public: true }]);
    expect((await newComments('10006')).map((x) => [x.item.body, x.item.public])).toEqual([['pg simple', true]]);
  });

  it('simple protocol: an INSERT and a SELECT in one query string, the SELECT sees the row', async () => {
    const res = (await c.query("INSERT INTO RequestComments (RequestId, Body) VALUES ('10006', 'pg multi'); SELECT Body FROM RequestComments WHERE RequestId = '10006' AND Body LIKE 'pg %' ORDER BY Body")) as unknown as pg.QueryResult[];
    expect(res.map((x) => [x.command, x.rowCount])).toEqual([['INSERT', 1], ['SELECT', 2]]);
    expect(res[1]!.rows.map((x) => x.body)).toEqual(['pg multi', 'pg simple']);
  });

  it('extended protocol: parameters and RETURNING', async () => {
    const r = await c.query('INSERT INTO RequestComments (RequestId, Body, Public) VALUES ($1, $2, $3) RETURNING Id, RequestId, Body, Public, CreatedAt', ['10006', 'pg extended – ✓', false]);
    expect(r.command).toBe('INSERT');
    expect(r.rowCount).toBe(1);
    expect(r.rows).toHaveLength(1);
    const row = r.rows[0];
    expect(row).toMatchObject({ requestid: '10006', body: 'pg extended – ✓', public: false });
    expect(row.createdat).toBeInstanceOf(Date);
    const sim = (await newComments('10006')).find((x) => x.item.id === row.id);
    expect(sim?.item).toMatchObject({ body: 'pg extended – ✓', public: false });
    const read = await c.query('SELECT Body FROM RequestComments WHERE RequestId = $1 AND Id = $2', ['10006', row.id]);
    expect(read.rows).toEqual([{ body: 'pg extended – ✓' }]);
  });

  it('a named prepared statement run 3 times with different values, inside BEGIN … COMMIT', async () => {
    notices.length = 0;
    await c.query('BEGIN');
    const ids: string[] = [];
    for (const i of [1, 2, 3]) {
      const r = await c.query({ name: 'add-comment', text: 'INSERT INTO RequestComments (RequestId, Body, Public) VALUES ($1, $2, $3) RETURNING Id', values: ['10007', `pg named ${i}`, i !== 2] });
      expect(r.rowCount).toBe(1);
      ids.push(r.rows[0].id);
    }
    const inBlock = await c.query("SELECT Id, Body FROM RequestComments WHERE RequestId = $1 AND Body LIKE 'pg named %' ORDER BY Body", ['10007']);
    await c.query('COMMIT');
    expect(inBlock.rows.map((x) => x.body)).toEqual(['pg named 1', 'pg named 2', 'pg named 3']);
    expect(inBlock.rows.map((x) => x.id)).toEqual(ids);
    expect(warningsOf(notices)).toEqual(Array(3).fill('INSERT into RequestComments: 1 row was applied to JSM as the statement ran; ROLLBACK will not undo it'));
    const sim = await newComments('10007');
    expect(sim.map((x) => [x.item.id, x.item.body, x.item.public])).toEqual(ids.map((id, i) => [id, `pg named ${i + 1}`, i !== 1]));
    const after = await c.query("SELECT count(*)::int AS n FROM RequestComments WHERE RequestId = '10007' AND Body LIKE 'pg named %'");
    expect(after.rows[0].n).toBe(3);
  });

  it('INSERT into RequestParticipants with parameters: RETURNING shows what the API answered (the display name)', async () => {
    const who = (await c.query("SELECT AccountId, DisplayName FROM Users WHERE DisplayName = 'Julia Jensen'")).rows[0] as { accountid: string; displayname: string };
    expect(who).toBeDefined();
    const before = await c.query('SELECT AccountId FROM RequestParticipants WHERE RequestId = $1', ['10006']);
    expect(before.rows.map((x) => x.accountid)).not.toContain(who.accountid);
    const r = await c.query('INSERT INTO RequestParticipants (RequestId, AccountId) VALUES ($1, $2) RETURNING AccountId, DisplayName', ['10006', who.accountid]);
    expect(r.rowCount).toBe(1);
    expect(r.rows).toEqual([{ accountid: who.accountid, displayname: 'Julia Jensen' }]);
    const after = await c.query('SELECT AccountId FROM RequestParticipants WHERE RequestId = $1', ['10006']);
    expect(after.rows.map((x) => x.accountid).sort()).toEqual([...before.rows.map((x) => x.accountid), who.accountid].sort());
    const sim = (await dataset()).entities['request.participant'].filter((p) => p.parent.requestId === '10006').map((p) => p.item.accountId);
    expect(sim.sort()).toEqual(after.rows.map((x) => x.accountid).sort());
  });

  it('extended protocol: a row without Body is refused with 23502 before any API call, and the client goes on', async () => {
    const count = async () => (await newComments('10006')).length;
    const n = await count();
    await expect(c.query('INSERT INTO RequestComments (RequestId, Public) VALUES ($1, $2)', ['10006', true])).rejects.toMatchObject({ code: '23502' });
    expect(await count()).toBe(n);
    const r = await c.query('SELECT count(*)::int AS n FROM RequestComments WHERE RequestId = $1', ['10006']);
    expect(r.rows[0].n).toBeGreaterThan(0);
  });
});

describe('postgres.js', () => {
  let sql: postgres.Sql;
  const notices: postgres.Notice[] = [];
  beforeAll(() => {
    sql = postgres(stack.url, { max: 1, onnotice: (n) => notices.push(n), connection: { application_name: 'jsm-pg writes postgres.js test' } });
  });
  afterAll(async () => sql?.end({ timeout: 5 }));

  it('a tagged INSERT … RETURNING * (extended protocol) answers the whole new row; the next read sees it', async () => {
    const body = "postgres.js it's 100% ✓";
    const rows = await sql`INSERT INTO RequestComments (RequestId, Body, Public) VALUES (${'10008'}, ${body}, ${true}) RETURNING *`;
    expect(rows.count).toBe(1);
    expect(rows.command).toBe('INSERT');
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ requestid: '10008', body, public: true, authorkey: 'agent' });
    expect(row.id).toMatch(/^\d+$/);
    expect(row.createdat).toBeInstanceOf(Date);
    const again = await sql`SELECT Id, Body FROM RequestComments WHERE RequestId = ${'10008'} AND Id = ${row.id as string}`;
    expect([...again]).toEqual([{ id: row.id, body }]);
    const sim = await newComments('10008');
    expect(sim.map((x) => [x.item.id, x.item.body, x.item.public])).toEqual([[row.id, body, true]]);
  });

  it('sql.begin: two INSERTs and a read inside the transaction; after commit the next read sees them', async () => {
    notices.length = 0;
    const inside = await sql.begin(async (tx) => {
      const a = await tx`INSERT INTO RequestComments (RequestId, Body, Public) VALUES (${'10009'}, ${'postgres.js tx 1'}, ${false}) RETURNING Id`;
      const b = await tx`INSERT INTO RequestComments (RequestId, Body) VALUES (${'10009'}, ${'postgres.js tx 2'})`;
      expect([a.count, b.count]).toEqual([1, 1]);
      const seen = await tx`SELECT Body FROM RequestComments WHERE RequestId = ${'10009'} AND Body LIKE ${'postgres.js tx %'} ORDER BY Body`;
      return { id: a[0]!.id as string, bodies: seen.map((x) => x.body as string) };
    });
    expect(inside.bodies).toEqual(['postgres.js tx 1', 'postgres.js tx 2']);
    expect(notices.filter((n) => n.severity === 'WARNING').map((n) => n.message)).toEqual(Array(2).fill('INSERT into RequestComments: 1 row was applied to JSM as the statement ran; ROLLBACK will not undo it'));
    const after = await sql`SELECT Id, Body, Public FROM RequestComments WHERE RequestId = ${'10009'} AND Body LIKE ${'postgres.js tx %'} ORDER BY Body`;
    expect(after.map((x) => x.body)).toEqual(['postgres.js tx 1', 'postgres.js tx 2']);
    expect(after[0]!.id).toBe(inside.id);
    const sim = await newComments('10009');
    expect(sim.map((x) => x.item.body).sort()).toEqual(['postgres.js tx 1', 'postgres.js tx 2']);
    expect(sim.find((x) => x.item.id === inside.id)?.item.public).toBe(false);
  });

  it('a transaction that fails after a write: ROLLBACK leaves the comment in JSM, and sys_identity keeps its row', async () => {
    let id: string | undefined;
    await expect(sql.begin(async (tx) => {
      id = (await tx`INSERT INTO RequestComments (RequestId, Body) VALUES (${'10009'}, ${'postgres.js rolled back'}) RETURNING Id`)[0]!.id as string;
      await tx`SELECT 1/0`;
    })).rejects.toMatchObject({ code: '22012' });
    expect(id).toMatch(/^\d+$/);
    const after = await sql`SELECT Body FROM RequestComments WHERE RequestId = ${'10009'} AND Id = ${id!}`;
    expect(after.map((x) => x.body)).toEqual(['postgres.js rolled back']);
    const identity = await sql`SELECT Operation, Message FROM sys_identity WHERE Id = ${id!}`;
    expect([...identity]).toEqual([{ operation: 'INSERTED', message: 'SUCCESS' }]);
  });
});

describe('the simulator after both drivers', () => {
  it('holds exactly the comments written, nothing more, and every old one unchanged', async () => {
    const now = await dataset();
    const old = new Map(initial.entities['request.comment'].map((c) => [c.item.id, c.item.body]));
    const added = now.entities['request.comment'].filter((c) => !old.has(c.item.id)).map((c) => `${c.parent.requestId} ${c.item.body}`);
    expect(added.sort()).toEqual([
      '10006 pg simple', '10006 pg multi', '10006 pg extended – ✓',
      '10007 pg named 1', '10007 pg named 2', '10007 pg named 3',
      "10008 postgres.js it's 100% ✓",
      '10009 postgres.js tx 1', '10009 postgres.js tx 2', '10009 postgres.js rolled back',
    ].sort());
    expect(now.entities['request.comment']).toHaveLength(initial.entities['request.comment'].length + 10);
    for (const c of now.entities['request.comment']) if (old.has(c.item.id)) expect(c.item.body).toBe(old.get(c.item.id));
    expect(now.entities['request.participant']).toHaveLength(initial.entities['request.participant'].length + 1);
  });
});
