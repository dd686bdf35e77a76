import { afterEach, describe, expect, it } from 'vitest';
import { JsmClient } from '../../src/jsm/index.ts';
import { agent, json, startFakeJsm, type FakeJsm } from './fake-jsm.ts';

let fake: FakeJsm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Answers with a counter so tests can tell a repeated body from a fresh one. */
async function counting(): Promise<FakeJsm> {
  let n = 0;
  return startFakeJsm((call, res) => json(res, 200, { seq: ++n, path: call.pathname }));
}

const make = (f: FakeJsm, extra: Partial<ConstructorParameters<typeof JsmClient>[0]> = {}): JsmClient =>
  new JsmClient({ baseUrl: f.baseUrl, credentials: agent, ...extra });

// The executor's ScanCache is shared by clients with one identityKey; these pin what the key separates.
describe('identityKey', () => {
  it('is the same for clients of one site, principal and language', async () => {
    fake = await counting();
    expect(make(fake).identityKey).toBe(make(fake).identityKey);
    expect(make(fake, { language: 'fr-FR' }).identityKey).toBe(make(fake, { language: 'fr-FR' }).identityKey);
  });

  it('differs by user, by secret and by Accept-Language, whose answers differ', async () => {
    fake = await counting();
    const keys = [
      make(fake),
      make(fake, { credentials: { ...agent, user: 'customer@example.com' } }),
      make(fake, { credentials: { ...agent, apiToken: 'another-token' } }),
      make(fake, { credentials: { authScheme: 'Basic', user: agent.user, password: 'pw' } }),
      make(fake, { language: 'fr-FR' }),
    ].map((c) => c.identityKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('does not reveal the secret', async () => {
    fake = await counting();
    const key = make(fake).identityKey;
    expect(key).not.toContain(agent.apiToken);
    expect(key).not.toContain(Buffer.from(`${agent.user}:${agent.apiToken}`).toString('base64'));
  });
});

describe('no second cache in the client', () => {
  it('sends every GET to JSM, so what the scan cache stores is what JSM said then', async () => {
    fake = await counting();
    const a = make(fake);
    const b = make(fake);
    expect(await a.get('/rest/servicedeskapi/info')).toMatchObject({ seq: 1 });
    expect(await a.get('/rest/servicedeskapi/info')).toMatchObject({ seq: 2 });
    const both = await Promise.all([a.get('/rest/servicedeskapi/info'), b.get('/rest/servicedeskapi/info')]);
    expect(both.map((x) => (x as { seq: number }).seq).sort()).toEqual([3, 4]);
    expect(fake.calls).toHaveLength(4);
  });
});
