/**
 * User-defined views from psql (issue 13 item 1): the seed's LOCAL VIEW statements typed as the
 * seed writes them, `\dv` listing the views in schema userviews, `\d+` showing the definition,
 * and a script of the seed's examples kept across a restart of the gateway.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { describeWithTools } from '../clients/helpers/describe-tools.ts';
import { libpqEnv, run } from '../clients/helpers/run.ts';

describeWithTools(['psql'], 'user-defined views in psql', (tools) => {
  const dir = mkdtempSync(join(tmpdir(), 'jsm-pg-userviews-psql-'));
  const file = join(dir, 'UserDefinedViews.json');
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ connection: `UserDefinedViews=${file}` });
  });
  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const psql = async (s: TestStack, commands: string[]) => {
    const r = await run(tools.psql.path!, ['-X', '-v', 'ON_ERROR_STOP=1', '-A', ...commands.flatMap((c) => ['-c', c])], { env: libpqEnv(s) });
    expect(r.stderr, r.stderr).not.toMatch(/ERROR|FATAL/);
    expect(r.code).toBe(0);
    return r.stdout;
  };

  it('CREATE LOCAL VIEW as the seed writes it, then \\dv and \\d+ show it; it survives a restart', async () => {
    // no file yet: the first CREATE LOCAL VIEW creates it
    await psql(stack, [
      "CREATE LOCAL VIEW [MyViewName] AS SELECT * FROM Customers LIMIT 20;",
      "ALTER LOCAL VIEW [MyViewName] AS SELECT * FROM Customers WHERE ServiceDeskId = '1';",
      "CREATE LOCAL VIEW RCustomers AS SELECT * FROM Customers WHERE Active = 'true';",
    ]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      MyViewName: { query: "SELECT * FROM Customers WHERE ServiceDeskId = '1'" },
      RCustomers: { query: "SELECT * FROM Customers WHERE Active = 'true'" },
    });
    const dv = await psql(stack, ['\\dv userviews.*']);
    expect(dv).toMatch(/^userviews\|myviewname\|view\|/m);
    expect(dv).toMatch(/^userviews\|rcustomers\|view\|/m);
    const d = await psql(stack, ['\\d+ userviews.myviewname']);
    expect(d).toMatch(/servicedeskid = '1'::text/);
    const rows = await psql(stack, ["SELECT count(*) > 0 AS some FROM UserViews.RCustomers WHERE ServiceDeskId = '1'"]);
    expect(rows).toMatch(/^t$/m);

    const second = await startStack({ connection: `UserDefinedViews=${file}` });
    try {
      expect(await psql(second, ['\\dv userviews.*'])).toMatch(/^userviews\|myviewname\|view\|/m);
      await psql(second, ['DROP LOCAL VIEW [MyViewName];']);
    } finally {
      await second.close();
    }
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toEqual(['RCustomers']);
    writeFileSync(file, '{}');
  });
});
