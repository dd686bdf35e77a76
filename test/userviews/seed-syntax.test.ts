import { loadModule, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedSyntax } from '../../src/session/seed-syntax.ts';

beforeAll(() => loadModule());

const rw = (sql: string) => seedSyntax(sql, 'userviews');

describe('LOCAL VIEW statements', () => {
  it('become views in the user views schema, bracketed names included', () => {
    expect(rw("CREATE LOCAL VIEW [MyViewName] AS SELECT * FROM Customers LIMIT 20;").sql).toBe('CREATE VIEW userviews.MyViewName AS SELECT * FROM Customers LIMIT 20;');
    expect(rw("ALTER LOCAL VIEW [MyViewName] AS SELECT * FROM Customers WHERE TimeModified > '3/1/2020';").sql)
      .toBe("CREATE OR REPLACE VIEW userviews.MyViewName AS SELECT * FROM Customers WHERE TimeModified > '3/1/2020';");
    expect(rw('DROP LOCAL VIEW [MyViewName]').sql).toBe('DROP VIEW userviews.MyViewName');
    expect(rw('drop local view if exists UserViews.[MyViewName]').sql).toBe('DROP VIEW IF EXISTS userviews.MyViewName');
    expect(rw('CREATE LOCAL VIEW [My View] AS SELECT 1').sql).toBe('CREATE VIEW userviews."my view" AS SELECT 1');
    expect(rw('CREATE LOCAL VIEW [Order] AS SELECT 1').sql).toBe('CREATE VIEW userviews.Order AS SELECT 1'); // a qualified name may be a keyword
    expect(seedSyntax('CREATE LOCAL VIEW v AS SELECT 1', 'myviews').sql).toBe('CREATE VIEW myviews.v AS SELECT 1');
  });

  it('rewrites the view query too, and each statement of a string', () => {
    const out = rw('CREATE LOCAL VIEW [Open] AS SELECT TOP 5 [RequestId] FROM [Requests] ORDER BY 1; SELECT * FROM UserViews.[Open]').sql!;
    expect(out).toBe('CREATE VIEW userviews.Open AS SELECT "requestid" FROM "requests" ORDER BY 1 LIMIT 5; SELECT * FROM UserViews."open"');
    expect(() => parseSync(out)).not.toThrow();
  });
});

describe('TOP n', () => {
  it('becomes LIMIT n at the end of its SELECT', () => {
    expect(rw('SELECT TOP 10 * FROM Requests').sql).toBe('SELECT * FROM Requests LIMIT 10');
    expect(rw('select distinct top (3) Summary from Requests order by Summary;  -- x\n').sql).toBe('select distinct Summary from Requests order by Summary LIMIT 3;  -- x\n');
    expect(rw('SELECT * FROM (SELECT TOP 2 RequestId FROM Requests) r WHERE true').sql).toBe('SELECT * FROM (SELECT RequestId FROM Requests LIMIT 2) r WHERE true');
  });

  it('gives the PostgreSQL form as a hint where a rewrite would change the meaning', () => {
    expect(rw('SELECT TOP 10 PERCENT * FROM Requests')).toEqual({ hint: expect.stringContaining('LIMIT n') });
    expect(rw('SELECT TOP 1 a FROM x UNION SELECT b FROM y').hint).toContain('LIMIT n');
    expect(rw('SELECT TOP 1 a FROM x LIMIT 4').sql).toBeUndefined();
  });
});

describe('[bracketed] identifiers', () => {
  it('are quoted in lower case; subscripts and ARRAY[…] are left alone', () => {
    expect(rw('SELECT [RequestKey], arr[1], ARRAY [1, 2], x.[Summary] FROM [Requests] x WHERE [Summary] = \'[not me]\'').sql)
      .toBe('SELECT "requestkey", arr[1], ARRAY [1, 2], x."summary" FROM "requests" x WHERE "summary" = \'[not me]\'');
    expect(rw('SELECT 1').sql).toBeUndefined();
  });
});
