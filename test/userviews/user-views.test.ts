/**
 * Issue 13 item 1: user-defined views as the seed describes them, through the real gateway over
 * TCP: the UserDefinedViews file (the seed's format) loaded at start and watched, CREATE / ALTER /
 * DROP LOCAL VIEW (bracketed names included) written back to it, views in schema userviews that
 * merge their predicates with the outer query, and that survive a restart.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSimCalls, simCalls, startStack, withClient, type TestStack } from '../helpers/gateway.ts';

const dir = mkdtempSync(join(tmpdir(), 'jsm-pg-userviews-'));
const file = join(dir, 'UserDefinedViews.json');
const readViews = () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, { query: string }>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `f` holds (the file watcher reacts within ~100 ms). */
async function eventually(f: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(50);
  }
}

let stack: TestStack;

beforeAll(async () => {
  // the seed's file format: one member per view, its SQL in "query"
  writeFileSync(file, JSON.stringify({
    MyView: { query: "SELECT * FROM Requests WHERE ServiceDeskId = '1'" },
    MyView2: { query: 'SELECT * FROM ServiceDesks WHERE Id IN (1,2,3)' },
  }, null, 2));
  stack = await startStack({ connection: `UserDefinedViews=${file}` });
});

afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: pg.DatabaseError) => e);

describe('the UserDefinedViews file', () => {
  it('is loaded at start: its views are queryable in schema userviews, unquoted names as the seed writes them', async () => {
    await withClient(stack.url, async (c) => {
      const all = await c.query("SELECT count(*)::int AS n FROM Requests WHERE ServiceDeskId = '1'");
      const mine = await c.query('SELECT count(*)::int AS n FROM UserViews.MyView');
      expect(mine.rows[0].n).toBe(all.rows[0].n);
      expect(mine.rows[0].n).toBeGreaterThan(0);
      const desks = await c.query('SELECT Id FROM UserViews.MyView2 ORDER BY 1');
      expect(desks.rows.map((r) => r.id)).toEqual(['1', '2', '3'].filter((id) => desks.rows.some((r) => r.id === id)));
      expect(desks.rows.length).toBeGreaterThan(0);
    });
  });

  it('a query on a view with an extra filter makes the same API calls as the expanded query, and EXPLAIN shows the merged filters', async () => {
    await withClient(stack.url, async (c) => {
      await c.query("SET jsm.cache = 'bypass'");
      const calls = async (sql: string) => {
        await clearSimCalls(stack.sim);
        const rows = (await c.query(sql)).rows;
        return { rows, calls: (await simCalls(stack.sim)).map((x) => `${x.method} ${x.path} ${JSON.stringify(x.query)}`).sort() };
      };
      const viaView = await calls("SELECT RequestKey FROM UserViews.MyView WHERE RequestStatus = 'OPEN_REQUESTS' ORDER BY 1");
      const expanded = await calls("SELECT RequestKey FROM Requests WHERE ServiceDeskId = '1' AND RequestStatus = 'OPEN_REQUESTS' ORDER BY 1");
      expect(viaView.calls.length).toBeGreaterThan(0);
      expect(viaView.calls).toEqual(expanded.calls);
      expect(viaView.rows).toEqual(expanded.rows);
      expect(viaView.calls.join('\n')).toContain('"serviceDeskId":"1"');
      const plan = (await c.query("EXPLAIN SELECT * FROM UserViews.MyView WHERE RequestStatus = 'OPEN_REQUESTS'")).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Pushed: .*servicedeskid = '1'/);
      expect(plan).toMatch(/requeststatus = 'OPEN_REQUESTS'/);
    });
  });

  it('is watched: a view added to the file by hand reaches new sessions and existing ones at their next statement', async () => {
    await withClient(stack.url, async (c) => {
      await c.query('SELECT 1');
      const views = readViews();
      views.Desk2 = { query: "SELECT RequestKey, Summary FROM Requests WHERE ServiceDeskId = '2'" };
      writeFileSync(file, JSON.stringify(views, null, 2));
      await eventually(async () => !(await errorOf(c.query('SELECT * FROM userviews.desk2 LIMIT 1'))));
      await withClient(stack.url, async (d) => {
        expect((await d.query('SELECT count(*)::int AS n FROM UserViews.Desk2')).rows[0].n).toBeGreaterThan(0);
      });
      // and removed by hand
      delete views.Desk2;
      writeFileSync(file, JSON.stringify(views, null, 2));
      await eventually(async () => (await errorOf(c.query('SELECT * FROM userviews.desk2')))?.code === '42P01');
    });
  });
});

describe('CREATE / ALTER / DROP LOCAL VIEW', () => {
  it('run with the seed syntax, bracketed names included, and are written back to the file', async () => {
    await withClient(stack.url, async (c) => {
      await c.query("CREATE LOCAL VIEW [MyViewName] AS SELECT * FROM Customers LIMIT 20;");
      expect(readViews().MyViewName).toEqual({ query: 'SELECT * FROM Customers LIMIT 20' });
      expect(readViews().MyView).toBeDefined(); // the file's other views are kept
      expect((await c.query('SELECT count(*)::int AS n FROM UserViews.MyViewName')).rows[0].n).toBeGreaterThan(0);

      // the seed's ALTER example, verbatim: Customers has no TimeModified here, so the engine says so and the file keeps the old query
      const bad = await errorOf(c.query("ALTER LOCAL VIEW [MyViewName] AS SELECT * FROM Customers WHERE TimeModified > '3/1/2020';"));
      expect(bad?.code).toBe('42703');
      expect(bad?.message).toMatch(/timemodified/);
      expect(readViews().MyViewName!.query).toBe('SELECT * FROM Customers LIMIT 20');

      await c.query("ALTER LOCAL VIEW [MyViewName] AS SELECT * FROM Customers WHERE Active = 'true';");
      expect(readViews().MyViewName!.query).toBe("SELECT * FROM Customers WHERE Active = 'true'");

      await c.query('DROP LOCAL VIEW [MyViewName]');
      expect(readViews().MyViewName).toBeUndefined();
      expect((await errorOf(c.query('SELECT * FROM UserViews.MyViewName')))?.code).toBe('42P01');
    });
  });

  it('the seed\'s own example: UserViews.RCustomers, with an extra predicate combined with the view\'s', async () => {
    await withClient(stack.url, async (c) => {
      await c.query("CREATE LOCAL VIEW RCustomers AS SELECT * FROM Customers WHERE ServiceDeskId = '1'");
      const via = await c.query("SELECT AccountId FROM UserViews.RCustomers WHERE Active = 'true' ORDER BY 1");
      const direct = await c.query("SELECT AccountId FROM Customers WHERE ServiceDeskId = '1' AND Active = 'true' ORDER BY 1");
      expect(via.rows).toEqual(direct.rows);
      expect(readViews().RCustomers).toEqual({ query: "SELECT * FROM Customers WHERE ServiceDeskId = '1'" });
    });
  });

  it('over the extended protocol too (a driver sending the statement with Parse/Bind/Execute)', async () => {
    await withClient(stack.url, async (c) => {
      await c.query({ text: 'CREATE LOCAL VIEW [Ext View] AS SELECT Id, ProjectName FROM ServiceDesks', values: [] });
      await c.query({ text: 'SELECT 1 WHERE $1::int = 1', values: [1] });
      expect(readViews()['Ext View']).toEqual({ query: 'SELECT Id, ProjectName FROM ServiceDesks' });
      expect((await c.query({ text: 'SELECT count(*)::int AS n FROM userviews."ext view" WHERE Id <> $1', values: ['x'] })).rows[0].n).toBeGreaterThan(0);
      await c.query({ text: 'DROP LOCAL VIEW [Ext View]', values: [] });
      expect(readViews()['Ext View']).toBeUndefined();
    });
  });

  it('are seen by the user\'s other sessions: new ones, and open ones at their next statement', async () => {
    const a = new pg.Client(stack.url);
    const b = new pg.Client(stack.url);
    await a.connect();
    await b.connect();
    try {
      await b.query('SELECT 1');
      await a.query("CREATE LOCAL VIEW Shared1 AS SELECT Id FROM ServiceDesks WHERE Id = '1'");
      expect((await b.query('SELECT Id FROM UserViews.Shared1')).rows).toEqual([{ id: '1' }]);
      await a.query("ALTER LOCAL VIEW Shared1 AS SELECT Id, ProjectKey FROM ServiceDesks WHERE Id = '2'");
      expect((await b.query('SELECT Id FROM UserViews.Shared1')).rows).toEqual([{ id: '2' }]);
      await withClient(stack.url, async (n) => expect((await n.query('SELECT Id FROM UserViews.Shared1')).rows).toEqual([{ id: '2' }]));
      await a.query('DROP LOCAL VIEW Shared1');
      expect((await errorOf(b.query('SELECT * FROM UserViews.Shared1')))?.code).toBe('42P01');
    } finally {
      await a.end();
      await b.end();
    }
  });
});

describe('plain CREATE VIEW', () => {
  it('in schema userviews is a user-defined view (persisted, renamed, dropped); elsewhere it is the session\'s', async () => {
    await withClient(stack.url, async (c) => {
      await c.query("CREATE VIEW userviews.PlainOne (key, title) AS SELECT RequestKey, Summary FROM Requests WHERE ServiceDeskId = '2'");
      expect(readViews().PlainOne).toEqual({ query: `SELECT * FROM (SELECT RequestKey, Summary FROM Requests WHERE ServiceDeskId = '2') AS "plainone"("key", "title")` });
      await c.query('CREATE VIEW session_only AS SELECT 1 AS x');
      expect(Object.keys(readViews())).not.toContain('session_only');
      await c.query('ALTER VIEW userviews.plainone RENAME TO plaintwo');
      expect(readViews().PlainOne).toBeUndefined();
      expect(readViews().plaintwo?.query).toContain('"key", "title"');
      await withClient(stack.url, async (d) => {
        expect((await d.query('SELECT key, title FROM userviews.plaintwo LIMIT 1')).rows).toHaveLength(1);
        expect((await errorOf(d.query('SELECT * FROM session_only')))?.code).toBe('42P01');
      });
      await c.query('DROP VIEW userviews.plaintwo');
      expect(readViews().plaintwo).toBeUndefined();
    });
  });

  it('only what is committed reaches the file: a rolled back CREATE does not, one in a committed block does', async () => {
    await withClient(stack.url, async (c) => {
      await c.query('BEGIN');
      await c.query('CREATE LOCAL VIEW Gone AS SELECT 1 AS x');
      expect(readViews().Gone).toBeUndefined();
      await c.query('ROLLBACK');
      expect(readViews().Gone).toBeUndefined();
      await c.query('BEGIN');
      await c.query('CREATE LOCAL VIEW Kept AS SELECT 2 AS x');
      await c.query('COMMIT');
      expect(readViews().Kept).toEqual({ query: 'SELECT 2 AS x' });
      // several statements in one string: one implicit transaction
      await c.query('CREATE LOCAL VIEW Two AS SELECT 2 AS y; SELECT * FROM UserViews.Two');
      expect(readViews().Two).toEqual({ query: 'SELECT 2 AS y' });
      await c.query('DROP LOCAL VIEW Kept; DROP LOCAL VIEW Two');
      expect(readViews().Kept).toBeUndefined();
    });
  });
});

describe('metadata', () => {
  it('information_schema and pg_catalog list the views with their columns (what JDBC metadata reads)', async () => {
    await withClient(stack.url, async (c) => {
      const v = await c.query("SELECT table_name FROM information_schema.views WHERE table_schema = 'userviews' ORDER BY 1");
      expect(v.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['myview', 'myview2', 'rcustomers']));
      const cols = await c.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'userviews' AND table_name = 'myview' ORDER BY ordinal_position LIMIT 2");
      expect(cols.rows.map((r) => r.column_name)).toEqual(['requestid', 'requestkey']);
    });
  });
});

describe('a restart', () => {
  it('a second gateway on the same file has the views, and the file is as the sessions left it', async () => {
    const before = readViews();
    expect(Object.keys(before).sort()).toEqual(['MyView', 'MyView2', 'RCustomers']);
    const second = await startStack({ connection: `UserDefinedViews=${file}` });
    try {
      await withClient(second.url, async (c) => {
        expect((await c.query("SELECT count(*)::int AS n FROM UserViews.RCustomers")).rows[0].n).toBeGreaterThan(0);
        expect((await c.query("SELECT count(*)::int AS n FROM UserViews.MyView")).rows[0].n).toBeGreaterThan(0);
      });
    } finally {
      await second.close();
    }
    expect(readViews()).toEqual(before);
  });

  it('a views file that is not the seed\'s format stops the start, naming the file', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "V": { "sql": "SELECT 1" } }');
    await expect(startStack({ connection: `UserDefinedViews=${bad}` })).rejects.toThrow(/bad\.json.*"query"/);
  });
});

describe('whose views', () => {
  it('a path with {user} gives each gateway user a file of their own', async () => {
    const perUser = join(dir, 'per-user', '{user}.json');
    const s = await startStack({ connection: `UserDefinedViews=${perUser}`, users: { demo: 'demo', ann: 'ann' } });
    try {
      const ann = `postgresql://ann:ann@127.0.0.1:${s.port}/jsm`;
      await withClient(s.url, (c) => c.query('CREATE LOCAL VIEW DemoOnly AS SELECT 1 AS x'));
      await withClient(ann, async (c) => {
        expect((await errorOf(c.query('SELECT * FROM UserViews.DemoOnly')))?.code).toBe('42P01');
        await c.query('CREATE LOCAL VIEW AnnOnly AS SELECT 2 AS x');
      });
      expect(JSON.parse(readFileSync(join(dir, 'per-user', 'demo.json'), 'utf8'))).toEqual({ DemoOnly: { query: 'SELECT 1 AS x' } });
      expect(JSON.parse(readFileSync(join(dir, 'per-user', 'ann.json'), 'utf8'))).toEqual({ AnnOnly: { query: 'SELECT 2 AS x' } });
      await withClient(s.url, async (c) => expect((await errorOf(c.query('SELECT * FROM UserViews.AnnOnly')))?.code).toBe('42P01'));
    } finally {
      await s.close();
    }
    expect(existsSync(join(dir, 'per-user', 'demo.json'))).toBe(true);
  });
});

describe('sys_tables and sys_tablecolumns', () => {
  it('list the user-defined views by the name the file gives them, as read-only views', async () => {
    await withClient(stack.url, async (c) => {
      await c.query("CREATE LOCAL VIEW [SysListed] AS SELECT RequestKey, CreatedDate, 1::int AS n FROM Requests WHERE ServiceDeskId = '1'");
      const t = await c.query("SELECT SchemaName, TableName, TableType, IsUpdateable FROM sys_tables WHERE SchemaName = 'userviews' ORDER BY TableName");
      expect(t.rows).toEqual(expect.arrayContaining([
        { schemaname: 'userviews', tablename: 'MyView', tabletype: 'VIEW', isupdateable: false },
        { schemaname: 'userviews', tablename: 'SysListed', tabletype: 'VIEW', isupdateable: false },
      ]));
      const cols = await c.query("SELECT ColumnName, DataTypeName, DataType, Ordinal, IsReadOnly, IsKey FROM sys_tablecolumns WHERE TableName = 'SysListed' ORDER BY Ordinal");
      expect(cols.rows).toEqual([
        { columnname: 'requestkey', datatypename: 'text', datatype: 12, ordinal: 1, isreadonly: true, iskey: false },
        { columnname: 'createddate', datatypename: 'timestamp with time zone', datatype: 93, ordinal: 2, isreadonly: true, iskey: false },
        { columnname: 'n', datatypename: 'integer', datatype: 4, ordinal: 3, isreadonly: true, iskey: false },
      ]);
      await c.query('DROP LOCAL VIEW SysListed');
      expect((await c.query("SELECT count(*)::int AS n FROM sys_tables WHERE TableName = 'SysListed'")).rows[0].n).toBe(0);
    });
  });
});
