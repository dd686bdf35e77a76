import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { describeWithTools } from '../clients/helpers/describe-tools.ts';
import { compileJava, parseChecks, type JavaPrograms } from '../clients/helpers/java.ts';

/** Issue 9: a pgjdbc batch (many Parse/Bind/Execute, one Sync) gives what its statements sent one by one give. */
describeWithTools(['java', 'pgjdbc'], 'pgjdbc batches plan each statement when it runs', (tools) => {
  let stack: TestStack;
  let java: JavaPrograms;
  beforeAll(async () => {
    [stack, java] = await Promise.all([startStack(), compileJava(['BatchPipeline'], tools.java.path!, tools.pgjdbc.path!)]);
  });
  afterAll(async () => {
    await stack?.close();
    await java?.dispose();
  });

  for (const options of ['', '?prepareThreshold=-1', '?preferQueryMode=simple'])
    it(`executeBatch of DDL and JSM reads${options ? ` (${options.slice(1)})` : ''}`, async () => {
      const r = await java.run('BatchPipeline', [`jdbc:postgresql://127.0.0.1:${stack.port}/jsm${options}`, 'demo', 'demo']);
      const checks = parseChecks(r.stdout);
      expect(checks.done, r.stdout + r.stderr).toBe(true);
      expect(Number(checks.rows.get('batched'))).toBeGreaterThan(0);
      expect(checks.rows.get('batched')).toBe(checks.rows.get('one-by-one'));
    });
});
