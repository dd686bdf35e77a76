import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { startStack, type TestStack } from './gateway.ts';

/**
 * A test file's stack and one node-postgres client connected to it, started before its tests (after
 * running `setup` on the client) and closed after them: read `stack` and `client` inside the tests.
 */
export function useStackAndClient(opts: Parameters<typeof startStack>[0] = {}, setup: readonly string[] = []): { readonly stack: TestStack; readonly client: pg.Client } {
  const state = {} as { stack: TestStack; client: pg.Client };
  beforeAll(async () => {
    state.stack = await startStack(opts);
    state.client = new pg.Client(state.stack.url);
    await state.client.connect();
    for (const sql of setup) await state.client.query(sql);
  });
  afterAll(async () => {
    await state.client?.end();
    await state.stack?.close();
  });
  return state;
}
