import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { jsmClientFromConfig } from '../../src/server/jsm-from-config.ts';
import { json, startFakeJsm, type FakeJsm } from '../jsm/fake-jsm.ts';

const logger = pino({ level: 'silent' });
const connection = (text: string) => loadConfig({ argv: ['--connection', text], env: {} }).connection;

let fake: FakeJsm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('the JSM client made from the typed connection configuration', () => {
  it('sends what the properties say; an empty credential counts as unset', async () => {
    fake = await startFakeJsm((_call, res) => json(res, 200, {}));
    // AuthScheme defaults to Auto, which takes the first credential set: APIToken and OAuthAccessToken are ''
    const client = jsmClientFromConfig(connection(`URL=${fake.baseUrl};User=u@example.com;Password=pw;RequestLanguage=fr-FR`), logger);
    await client.get('/rest/servicedeskapi/info');
    expect(fake.calls[0]!.headers.authorization).toBe(`Basic ${Buffer.from('u@example.com:pw').toString('base64')}`);
    expect(fake.calls[0]!.headers['accept-language']).toBe('fr-FR');
  });

  it('refuses at start an SSO scheme without the identity provider it signs in through', () => {
    expect(() => jsmClientFromConfig(connection('AuthScheme=OKTA;URL=https://x.atlassian.net;User=u;Password=p'), logger))
      .toThrow(expect.objectContaining({ code: '28000', message: 'AuthScheme OKTA requires the SSOLoginURL connection property' }));
  });
});
