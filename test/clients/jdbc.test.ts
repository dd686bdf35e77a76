import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { describeWithTools } from './helpers/describe-tools.ts';
import { compileJava, parseChecks, type JavaPrograms } from './helpers/java.ts';

/** Every check JdbcClient.java runs; each must report ok. */
const CHECKS = [
  'serverVersion', 'getCatalogs', 'getSchemas', 'getSchemasPattern', 'getTableTypes',
  'getTablesAll', 'getTablesTypeTable', 'getTablesTypeTableAndView', 'getTablesTypeSystem', 'getTablesRemarks',
  'getColumns', 'getColumnsRemarks', 'getPrimaryKeys', 'getImportedKeys', 'getExportedKeys', 'getCrossReference',
  'getIndexInfo', 'getBestRowIdentifier', 'getTablePrivileges', 'getColumnPrivileges', 'getTypeInfo', 'getUDTs',
  'getProcedures', 'getProcedureColumns', 'getFunctions', 'getFunctionColumns', 'getClientInfoProperties', 'identifierCase',
  'preparedPastThreshold', 'preparedIntegerParamBinary', 'fetchSizePortalSuspension', 'fetchSizePreparedInTransaction',
  'typedValues', 'booleanLiteralAndNull', 'errorThenContinue',
];

describeWithTools(['java', 'pgjdbc'], 'pgjdbc', (tools) => {
  let stack: TestStack;
  let java: JavaPrograms;
  beforeAll(async () => {
    [stack, java] = await Promise.all([startStack(), compileJava(['Checks', 'JdbcClient'], tools.java.path!, tools.pgjdbc.path!)]);
  });
  afterAll(async () => {
    await stack?.close();
    await java?.dispose();
  });

  it('DatabaseMetaData, server-prepared binary statements, portal suspension and typed values', async () => {
    const r = await java.run('JdbcClient', [`jdbc:postgresql://127.0.0.1:${stack.port}/jsm`, 'demo', 'demo']);
    const checks = parseChecks(r.stdout);
    expect(Object.fromEntries(checks.failed), r.stderr).toEqual({});
    expect(checks.done, r.stdout + r.stderr).toBe(true);
    expect(CHECKS.filter((c) => !checks.ok.has(c))).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('the same with binary transfer off, server statements from the first run, and the simple protocol only', async () => {
    for (const options of ['binaryTransfer=false', 'prepareThreshold=-1', 'preferQueryMode=simple']) {
      const r = await java.run('JdbcClient', [`jdbc:postgresql://127.0.0.1:${stack.port}/jsm?${options}`, 'demo', 'demo']);
      const checks = parseChecks(r.stdout);
      expect(Object.fromEntries(checks.failed), `${options}: ${r.stderr}`).toEqual({});
      expect(checks.done, options).toBe(true);
    }
  });
});
