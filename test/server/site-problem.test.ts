/**
 * Issue 15, item 5: the gateway's first call to the site (reading its queues, at start) says what is
 * wrong with the site, with the URL and the error, instead of a misleading "cannot list queues".
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { PgError, SqlState } from '../../src/errors/index.ts';
import type { JsmClient } from '../../src/jsm/index.ts';
import { queueViewsForSite } from '../../src/server/site-discovery.ts';

function failingSite(err: Error): JsmClient {
  return {
    // eslint-disable-next-line require-yield
    async *paginate() {
      throw err;
    },
  } as unknown as JsmClient;
}

async function warning(err: Error): Promise<Record<string, unknown>> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString())), done()) });
  expect(await queueViewsForSite(failingSite(err), pino({ level: 'warn' }, sink))).toBe('');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('what the gateway says when the site fails at start', () => {
  it('an unreachable site: the URL, the error, the SQLSTATE queries will get, and a hint', async () => {
    const w = await warning(new PgError(SqlState.FdwUnableToEstablishConnection, 'could not connect to JSM at https://nowhere.example: ECONNREFUSED', { hint: 'Check the URL' }));
    expect(w).toMatchObject({ level: 40, code: 'HV00N', hint: 'Check the URL' });
    expect(w.msg).toBe('JSM site not reachable: could not connect to JSM at https://nowhere.example: ECONNREFUSED; queries that read JSM relations will fail with HV00N until it answers');
  });

  it('rejected credentials and missing permission are told apart', async () => {
    expect((await warning(new PgError(SqlState.InvalidAuthorizationSpecification, 'JSM rejected the credentials'))).msg).toMatch(/^JSM rejected the gateway's credentials/);
    expect((await warning(new PgError(SqlState.InsufficientPrivilege, 'JSM denied access'))).msg).toBe('queue views not created: the JSM identity cannot list queues');
  });
});
