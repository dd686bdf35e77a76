import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from '../clients/helpers/describe-tools.ts';
import { run } from '../clients/helpers/run.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { javaCompiler } from '../helpers/require-tool.ts';
import { changes, dataset } from './helpers.ts';

const SOURCE = fileURLToPath(new URL('./java/ProcedureCalls.java', import.meta.url));

describeWithTools(['java', 'pgjdbc'], 'procedures through pgjdbc CallableStatement', (tools) => {
  let stack: TestStack;
  let dir: string;
  let classes: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jsm-pg-jdbc-proc-'));
    classes = join(dir, 'classes');
    const javac = javaCompiler()!;
    const [s, compiled] = await Promise.all([
      startStack({ connection: `Location=${join(dir, 'schema')}` }),
      run(javac[0]!, [...javac.slice(1), '-nowarn', '-cp', tools.pgjdbc.path!, '-d', classes, SOURCE], { timeoutMs: 120_000 }),
    ]);
    stack = s;
    if (compiled.code !== 0) throw new Error(`javac failed:\n${compiled.stdout}\n${compiled.stderr}`);
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('native CALL (positional, named) and the {call} escape answer the seed columns; one user more in JSM', async () => {
    const before = await dataset(stack.sim);
    const url = `jdbc:postgresql://127.0.0.1:${stack.port}/jsm?sslmode=disable`;
    const r = await run(tools.java.path!, ['-cp', [tools.pgjdbc.path!, classes].join(delimiter), 'ProcedureCalls', url, 'demo', 'demo'], { timeoutMs: 120_000 });
    expect(r.stdout, r.stderr).toContain('done');
    const lines = new Map(r.stdout.split('\n').map((l) => l.split('\t')).filter((p) => p.length === 3).map(([k, n, v]) => [`${k} ${n}`, v]));
    expect(lines.get('row native')).toMatch(/^Key=.*,AccountId=qm:.*,Name=.*,EmailAddress=jdbc@example.com,DisplayName=Jay Dee,Active=true,Timezone=UTC$/);
    expect(lines.get('row named')).toBe('Result=Success');
    expect(lines.get('row escape')).toBe('Result=Success');
    expect(lines.get('error unknown')).toBe('42883');
    const diff = changes(before, await dataset(stack.sim));
    expect(Object.keys(diff)).toEqual(['user']);
    expect(diff.user!.added).toHaveLength(1);
  });
});
