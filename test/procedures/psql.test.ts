import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SEED_PROCEDURES } from '../catalog/seed-model.ts';
import { describeWithTools } from '../clients/helpers/describe-tools.ts';
import { libpqEnv, run } from '../clients/helpers/run.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';

describeWithTools(['psql'], 'procedures in psql', (tools) => {
  let stack: TestStack;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jsm-pg-psql-proc-'));
    stack = await startStack({ connection: `Location=${dir}` });
  });
  afterAll(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const psql = async (commands: string[]) => {
    const r = await run(tools.psql.path!, ['-X', '-v', 'ON_ERROR_STOP=1', ...commands.flatMap((c) => ['-c', c])], { env: libpqEnv(stack) });
    expect(r.stderr, r.stderr).not.toMatch(/ERROR|FATAL/);
    expect(r.code).toBe(0);
    return r.stdout;
  };

  it('\\df lists the seven as procedures of schema jsm, with their parameters and result columns', async () => {
    const out = await psql(['\\df jsm.*']);
    for (const p of SEED_PROCEDURES) {
      const line = out.split('\n').find((l) => l.split('|')[1]?.trim() === p.name.toLowerCase());
      expect(line, p.name).toBeDefined();
      const [, , result, args, type] = line!.split('|').map((s) => s.trim());
      expect(type).toBe('proc');
      expect(result).toBe('');
      for (const prm of p.params) expect(args).toContain(`${prm.name.toLowerCase()} text DEFAULT NULL::text`);
      for (const r of p.result) expect(args).toMatch(new RegExp(`INOUT "?${r.name}"? text DEFAULT NULL::text`));
    }
    const described = await psql(['\\df+ jsm.createcustomer']);
    expect(described).toContain('Creates a new customer.');
  });

  it('CALL from psql answers the seed\'s result columns', async () => {
    const out = await psql(["CALL CreateSchema('Requests', 'requests.json')"]);
    expect(out).toMatch(/^\s*Result\s*$/m);
    expect(out).toMatch(/^\s*Success\s*$/m);
    expect(JSON.parse(await readFile(join(dir, 'requests.json'), 'utf8')).relation.name).toBe('Requests');
  });
});
