import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { JsmClient, type JsmCredentials } from '../../src/jsm/index.ts';
import { createAuthProvider } from '../../src/jsm/auth/index.ts';
import { delay, json, startFakeJsm, type FakeJsm } from './fake-jsm.ts';

let fake: FakeJsm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const req = { method: 'GET', url: 'https://jsm.example/rest/servicedeskapi/request' };

describe('auth providers', () => {
  it('Basic sends User:Password', () => {
    const p = createAuthProvider({ authScheme: 'Basic', user: 'admin', password: 'pa:ss' });
    expect(p.headers(req)).toEqual({ authorization: `Basic ${b64("admin:pa:ss")}` });
  });

  it('APIToken sends User:APIToken as Basic', () => {
    const p = createAuthProvider({ authScheme: 'APIToken', user: 'a@x.com', apiToken: 'tok' });
    expect(p.headers(req)).toEqual({ authorization: `Basic ${b64("a@x.com:tok")}` });
  });

  it('OAuth sends a bearer token', () => {
    expect(createAuthProvider({ authScheme: "OAuth", oauthAccessToken: "at" }).headers(req)).toEqual({ authorization: "Bearer at" });
  });

  it('Auto prefers access token, then API token, then password', () => {
    const all = { authScheme: 'Auto', user: 'u', password: 'p', apiToken: 't', oauthAccessToken: 'o' } as const;
    expect(createAuthProvider(all).scheme).toBe('OAuth');
    expect(createAuthProvider({ ...all, oauthAccessToken: undefined }).scheme).toBe('APIToken');
    expect(createAuthProvider({ ...all, oauthAccessToken: undefined, apiToken: '' }).scheme).toBe('Basic');
  });

  it.each<[JsmCredentials, RegExp]>([
    [{ authScheme: 'Basic', user: 'u' }, /requires the Password connection property/],
    [{ authScheme: 'Basic', password: 'p' }, /requires the User connection property/],
    [{ authScheme: 'APIToken', user: 'u' }, /requires the APIToken connection property/],
    [{ authScheme: 'OAuth' }, /requires the OAuthAccessToken connection property/],
    [{ authScheme: 'Auto', user: 'u' }, /one of the OAuthAccessToken, APIToken or Password/],
    [{ authScheme: 'Kerberos' as 'Basic' }, /is not supported by the JSM client/],
  ])('missing property → InvalidAuthorizationSpecification (%o)', (credentials, message) => {
    expect(() => createAuthProvider(credentials)).toThrow(message);
    try {
      createAuthProvider(credentials);
    } catch (err) {
      expect(err).toMatchObject({ code: '28000' });
    }
  });

  it('providers and clients do not print their secrets when inspected', () => {
    const creds = { authScheme: 'APIToken', user: 'u@x', apiToken: 'tok-INSPECT' } as const;
    const client = new JsmClient({ baseUrl: 'https://x.atlassian.net', credentials: creds });
    const text = inspect(createAuthProvider(creds), { depth: 5 }) + inspect(client, { depth: 5 }) + JSON.stringify(client);
    expect(text).not.toContain('tok-INSPECT');
    expect(text).not.toContain(b64('u@x:tok-INSPECT'));
  });
});

describe('request headers', () => {
  it('sends Accept, X-ExperimentalApi, Accept-Language, Authorization and JSON Content-Type', async () => {
    fake = await startFakeJsm((_c, res) => json(res, 201, { ok: true }));
    const c = new JsmClient({
      baseUrl: `${fake.baseUrl}/`,
      credentials: { authScheme: 'OAuth', oauthAccessToken: 'bearer-tok' },
      language: 'de-DE',
    });
    await c.post('/rest/servicedeskapi/request', { summary: 'Drucker' });
    await c.get('/rest/servicedeskapi/info');
    const [post, get] = fake.calls;
    expect(post.headers).toMatchObject({
      accept: 'application/json',
      'x-experimentalapi': 'opt-in',
      'accept-language': 'de-DE',
      authorization: 'Bearer bearer-tok',
      'content-type': 'application/json',
    });
    expect(JSON.parse(post.body)).toEqual({ summary: 'Drucker' });
    expect(get.headers['content-type']).toBeUndefined();
    expect(get.url).toBe('/rest/servicedeskapi/info');
  });

  it('keeps a Data Center context path from BaseUrl', async () => {
    fake = await startFakeJsm((_c, res) => json(res, 200, {}));
    const c = new JsmClient({ baseUrl: `${fake.baseUrl}/jira/`, credentials: { authScheme: 'Basic', user: 'u', password: 'p' } });
    await c.get('/rest/servicedeskapi/info');
    expect(fake.calls[0].url).toBe('/jira/rest/servicedeskapi/info');
  });

  it('postMultipart sends multipart/form-data with X-Atlassian-Token: no-check', async () => {
    fake = await startFakeJsm((_c, res) => json(res, 201, { temporaryAttachments: [{ temporaryAttachmentId: 't1' }] }));
    const c = new JsmClient({ baseUrl: fake.baseUrl, credentials: { authScheme: 'Basic', user: 'u', password: 'p' } });
    const form = new FormData();
    form.append('file', new Blob(['hello attachment']), 'note.txt');
    const res = await c.postMultipart('/rest/servicedeskapi/servicedesk/1/attachTemporaryFile', form);
    expect(res).toMatchObject({ temporaryAttachments: [{ temporaryAttachmentId: 't1' }] });
    const call = fake.calls[0];
    expect(call.headers['x-atlassian-token']).toBe('no-check');
    expect(call.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(call.body).toContain('filename="note.txt"');
    expect(call.body).toContain('hello attachment');
  });

  it('rejects header values that would split the request', async () => {
    fake = await startFakeJsm((_c, res) => json(res, 200, {}));
    const c = new JsmClient({ baseUrl: fake.baseUrl, credentials: { authScheme: 'Basic', user: 'u', password: 'p' } });
    await expect(c.get('/rest/servicedeskapi/info', {}, { headers: { 'x-a': 'b\r\nx-evil: 1' } })).rejects.toMatchObject({
      code: '22023',
    });
    expect(fake.calls).toHaveLength(0);
  });
});

describe('client options', () => {
  it('rejects out-of-range numbers and header-splitting languages', async () => {
    const base = { baseUrl: 'https://x.atlassian.net', credentials: { authScheme: 'OAuth', oauthAccessToken: 't' } } as const;
    expect(() => new JsmClient({ ...base, maxConcurrency: 0 })).toThrow(/maxConcurrency must be a number >= 1/);
    expect(() => new JsmClient({ ...base, timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => new JsmClient({ ...base, maxRetries: Number.NaN })).toThrow(/maxRetries/);
    const c = new JsmClient({ ...base, language: 'en\r\nX-Evil: 1' });
    await expect(c.get('/rest/servicedeskapi/info')).rejects.toMatchObject({ code: '22023' });
  });
});

describe('secrets never reach errors or logs', () => {
  it('keeps tokens, passwords and Authorization values out of pino output and errors', async () => {
    const secrets = ['tok-LOGSECRET', 'pw-LOGSECRET', 'oauth-LOGSECRET'];
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'trace' }, sink);
    let n = 0;
    fake = await startFakeJsm(async (call, res) => {
      n++;
      if (call.pathname.endsWith('/slow')) await delay(500);
      if (call.pathname.endsWith('/flaky') && n % 2 === 1) return json(res, 503, {}, { 'retry-after': '0' });
      if (call.pathname.endsWith('/denied')) return json(res, 401, {});
      if (call.pathname.endsWith('/bad')) return json(res, 400, { errorMessage: 'bad field' });
      json(res, 200, { ok: true });
    });
    const clients = [
      new JsmClient({ baseUrl: fake.baseUrl, credentials: { authScheme: 'APIToken', user: 'a@x', apiToken: secrets[0] }, logger, retryBaseMs: 1, timeoutMs: 100 }),
      new JsmClient({ baseUrl: fake.baseUrl, credentials: { authScheme: 'Basic', user: 'admin', password: secrets[1] }, logger, retryBaseMs: 1, timeoutMs: 100 }),
      new JsmClient({ baseUrl: fake.baseUrl, credentials: { authScheme: 'OAuth', oauthAccessToken: secrets[2] }, logger, retryBaseMs: 1, timeoutMs: 100 }),
    ];
    const errors: unknown[] = [];
    for (const c of clients) {
      for (const path of ['/ok', '/flaky', '/denied', '/bad', '/slow']) {
        await c.get(`/rest/servicedeskapi${path}`, {}).catch((e: unknown) => errors.push(e));
      }
      await c.post('/rest/servicedeskapi/denied', { secretField: 'x' }).catch((e: unknown) => errors.push(e));
    }
    expect(errors.length).toBeGreaterThanOrEqual(9);
    expect(lines.length).toBeGreaterThan(10);
    const everything = lines.join('') + errors.map((e) => inspect(e, { depth: 10 }) + JSON.stringify(e)).join('\n');
    for (const secret of [...secrets, b64(`a@x:${secrets[0]}`), b64(`admin:${secrets[1]}`), 'authorization', 'Bearer']) {
      expect(everything).not.toContain(secret);
    }
    const requestLine = JSON.parse(lines.find((l) => l.includes('"jsm request"')) as string);
    expect(requestLine).toMatchObject({ component: 'jsm', method: 'GET', path: '/rest/servicedeskapi/ok', status: 200, attempt: 1 });
    expect(typeof requestLine.ms).toBe('number');
    expect(everything).toContain('JSM rejected the credentials for the OAuth access token');
  });
});
