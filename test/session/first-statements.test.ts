import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseMetrics } from '../helpers/metrics-text.ts';
import { useStack } from '../helpers/stack-client.ts';

/**
 * Issue 14 (a crowd's first statements): the connect reads what a session's first statement needs
 * (its jsm.* settings, its engine's views), and a plain SELECT's plan (the engine's EXPLAIN, most of a
 * session's first run of a statement) is shared by the sessions whose engines are alike (same
 * user, identity, views, startup settings), and only while a session stays as its engine was given
 * to it. Counted by jsmpg_plans_total{source}: engine (EXPLAIN ran), shared, session.
 */
const USERS = { alice: 'alice-pw', bob: 'bob-pw' };
const Q = "SELECT Id, ProjectKey FROM ServiceDesks WHERE Id IN ('1', '2') ORDER BY Id";

describe('a crowd\'s first statements', () => {
  const s = useStack({ users: USERS, argv: ['--metrics-port', '0', '--pool-size', '2'] });

  const plans = async () => {
    const scrape = parseMetrics(await (await fetch(`http://127.0.0.1:${s.stack.gateway.metricsPort}/metrics`)).text());
    const of = (source: string) => scrape.value('jsmpg_plans_total', { source });
    return { engine: of('engine'), shared: of('shared'), session: of('session') };
  };
  /** What `f` adds to each count. */
  const counted = async (f: () => Promise<unknown>) => {
    const before = await plans();
    await f();
    const after = await plans();
    return { engine: after.engine - before.engine, shared: after.shared - before.shared, session: after.session - before.session };
  };
  const connect = async (user: keyof typeof USERS, extra: Partial<pg.ClientConfig> = {}) => {
    const c = new pg.Client({ connectionString: `postgresql://${user}:${USERS[user]}@127.0.0.1:${s.stack.port}/jsm`, ...extra });
    await c.connect();
    return c;
  };
  const rows = async (c: pg.Client, sql: string) => (await c.query({ text: sql, rowMode: 'array' })).rows;

  it('a second session of the same user takes the first one\'s plan; another user\'s session plans its own', async () => {
    const [a1, a2, b] = [await connect('alice'), await connect('alice'), await connect('bob')];
    try {
      let first: unknown[][] = [];
      expect(await counted(async () => (first = await rows(a1, Q)))).toEqual({ engine: 1, shared: 0, session: 0 });
      expect(first).toEqual([['1', expect.any(String)], ['2', expect.any(String)]]);
      expect(await counted(async () => expect(await rows(a2, Q)).toEqual(first))).toEqual({ engine: 0, shared: 1, session: 0 });
      expect(await counted(async () => expect(await rows(a1, Q)).toEqual(first))).toEqual({ engine: 0, shared: 0, session: 1 });
      // the extended protocol's parameters are part of what is planned
      const param = async (c: pg.Client, id: string) => (await c.query({ text: 'SELECT Id FROM ServiceDesks WHERE Id = $1', values: [id], rowMode: 'array' })).rows;
      expect(await counted(async () => expect(await param(a1, '3')).toEqual([['3']]))).toEqual({ engine: 1, shared: 0, session: 0 });
      expect(await counted(async () => expect(await param(a2, '1')).toEqual([['1']]))).toEqual({ engine: 1, shared: 0, session: 0 });
      expect(await counted(async () => expect(await param(a2, '3')).toEqual([['3']]))).toEqual({ engine: 0, shared: 1, session: 0 });
      expect(await counted(async () => expect(await rows(b, Q)).toEqual(first))).toEqual({ engine: 1, shared: 0, session: 0 });
    } finally {
      await Promise.all([a1.end(), a2.end(), b.end()]);
    }
  });

  it('a session that made objects of its own neither takes nor gives plans: the same text means its own view', async () => {
    const [a1, a2, a3] = [await connect('alice'), await connect('alice'), await connect('alice')];
    try {
      const view = 'SELECT * FROM leaf ORDER BY 1';
      await a1.query("CREATE TEMP VIEW leaf AS SELECT Id::text AS id FROM Organizations WHERE Id IN ('1', '2')");
      await a2.query("CREATE TEMP VIEW leaf AS SELECT Id::text AS id FROM ServiceDesks WHERE Id IN ('2', '3')");
      expect(await counted(async () => expect(await rows(a1, view)).toEqual([['1'], ['2']]))).toMatchObject({ engine: 1, shared: 0 });
      // planned again, not a1's plan (which reads Organizations): a2's view reads ServiceDesks
      expect(await counted(async () => expect(await rows(a2, view)).toEqual([['2'], ['3']]))).toMatchObject({ engine: 1, shared: 0 });
      // a pristine session's plan of a shared text is not taken by one that changed, nor is one added by it
      await rows(a3, Q);
      expect(await counted(() => rows(a1, Q))).toMatchObject({ engine: 1, shared: 0 });
      const other = "SELECT Id FROM Organizations WHERE Id = '2'";
      await rows(a1, other);
      expect(await counted(() => rows(a3, other))).toMatchObject({ engine: 1, shared: 0 });
    } finally {
      await Promise.all([a1.end(), a2.end(), a3.end()]);
    }
  });

  it('SET, RESET and SELECT INTO each end the sharing for that session alone', async () => {
    for (const change of ['SET jsm.max_rows = 1', 'RESET search_path', 'SELECT 1 AS x INTO TEMP copied']) {
      const [pristine, changed] = [await connect('alice'), await connect('alice')];
      try {
        const text = `SELECT Id FROM ServiceDesks WHERE Id IN ('1', '3') ORDER BY Id /* ${change} */`;
        await rows(pristine, text);
        await changed.query(change);
        const n = await counted(() => rows(changed, text));
        expect(n, change).toMatchObject({ engine: 1, shared: 0 });
        // the pristine one still shares with a newcomer
        const newcomer = await connect('alice');
        expect(await counted(() => rows(newcomer, text)), change).toMatchObject({ engine: 0, shared: 1 });
        await newcomer.end();
      } finally {
        await Promise.all([pristine.end(), changed.end()]);
      }
    }
  });

  it('a session\'s first statement follows the settings of its startup packet and finds the views it was given', async () => {
    const capped = await connect('alice', { options: '-c jsm.max_rows=2' });
    const plain = await connect('alice');
    try {
      expect(await rows(capped, 'SELECT Id FROM ServiceDesks ORDER BY Id')).toHaveLength(2);
      expect((await rows(plain, 'SELECT Id FROM ServiceDesks ORDER BY Id')).length).toBeGreaterThan(2);
    } finally {
      await Promise.all([capped.end(), plain.end()]);
    }
    // a user view, created by one session, read first thing by the next (created after the connect's read)
    const maker = await connect('bob');
    await maker.query("CREATE VIEW userviews.first_desks AS SELECT Id FROM ServiceDesks WHERE Id IN ('1', '2')");
    await maker.end();
    const reader = await connect('bob');
    try {
      expect(await rows(reader, 'SELECT * FROM first_desks ORDER BY 1')).toEqual([['1'], ['2']]);
    } finally {
      await reader.end();
    }
  });

  it('sessions started with other settings (TimeZone) plan for themselves, and read their own rows', async () => {
    const text = "SELECT count(*) FROM Requests WHERE CreatedDate >= '2024-03-01 00:00' AND CreatedDate < '2024-03-01 12:00'";
    const utc = await connect('alice');
    const far = await connect('alice', { options: '-c TimeZone=Pacific/Kiritimati' });
    try {
      const inUtc = await rows(utc, text);
      let there: unknown[][] = [];
      expect(await counted(async () => (there = await rows(far, text)))).toMatchObject({ engine: 1, shared: 0 });
      // the same text in the other zone: the engine's own count of its rows, whichever window they fall in
      const reference = await rows(far, "SELECT count(*) FROM Requests WHERE CreatedDate >= '2024-03-01 00:00'::timestamp AT TIME ZONE 'Pacific/Kiritimati' AND CreatedDate < '2024-03-01 12:00'::timestamp AT TIME ZONE 'Pacific/Kiritimati'");
      expect(there).toEqual(reference);
      expect(inUtc).toEqual(await rows(utc, "SELECT count(*) FROM Requests WHERE CreatedDate >= '2024-03-01 00:00+00' AND CreatedDate < '2024-03-01 12:00+00'"));
    } finally {
      await Promise.all([utc.end(), far.end()]);
    }
  });
});
