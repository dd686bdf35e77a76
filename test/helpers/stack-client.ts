import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { startStack, type TestStack } from './gateway.ts';

/**
 * A test file's stack and one node-postgres client connected to it, started before its tests (after
 * running `setup` on the client) and closed after them: read `stack` and `client` inside the tests.
 */
export function useStackAndClient(opts: Parameters<typeof startStack>[0] = {}, setup: readonly string[] = []): { readonly stack: TestStack; readonly client: pg.Client } {
  const state = useStack(opts) as { stack: TestStack; client: pg.Client };
  beforeAll(async () => {
    state.client = new pg.Client(state.stack.url);
    await state.client.connect();
    for (const sql of setup) await state.client.query(sql);
  });
  afterAll(async () => {
    await state.client?.end();
  });
  return state;
}

/** A test block's stack, started before its tests and closed after them: read `stack` inside the tests. */
export function useStack(opts: Parameters<typeof startStack>[0] = {}): { readonly stack: TestStack } {
  const state = {} as { stack: TestStack };
  beforeAll(async () => {
    state.stack = await startStack(opts);
  });
  afterAll(async () => {
    await state.stack?.close();
  });
  return state;
}
