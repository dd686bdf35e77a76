import { expect, it } from 'vitest';
import { useStack } from '../helpers/stack-client.ts';
import { describeWithTools } from '../clients/helpers/describe-tools.ts';
import { libpqEnv, run } from '../clients/helpers/run.ts';

/**
 * COPY … FROM STDIN (psql's \copy from a file or stdin, ETL scripts): the session collects the
 * data and hands statement and data to its engine in one piece; the session goes on after.
 */
describeWithTools(['psql'], 'COPY FROM STDIN', (tools) => {
  const t = useStack();

  it('psql: COPY FROM STDIN with inline data, then \\copy from stdin, then a failing COPY', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => `${i}\tkey-${i}`).join('\n');
    const script = [
      'CREATE TEMP TABLE imported(n int, k text);',
      'COPY imported FROM STDIN;',
      rows,
      '\\.',
      '\\copy imported (n, k) from stdin',
      '1000\tlast',
      '\\.',
      "COPY imported FROM STDIN WITH (FORMAT csv);",
      'not-a-number,x',
      '\\.',
      "SELECT 'count:' || count(*) || ':' || max(n) FROM imported;",
      "SELECT 'joined:' || count(*) FROM imported i JOIN Requests r ON r.requestkey = 'TEST-' || i.n WHERE r.servicedeskid = '1';",
    ].join('\n');
    const r = await run(tools.psql.path!, ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=0'], { env: libpqEnv(t.stack), input: script });
    expect(r.stdout).toContain('count:501:1000');
    expect(r.stdout).toMatch(/joined:[1-9]\d*/);
    expect(r.stderr).toMatch(/invalid input syntax for type integer/);
    expect(r.code).toBe(0);
  });
});
