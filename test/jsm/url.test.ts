import { afterEach, describe, expect, it } from 'vitest';
import { JsmClient, jsmPath } from '../../src/jsm/index.ts';
import { assertSafePath, buildQueryString, isPathSegmentValue, parseBaseUrl } from '../../src/jsm/url.ts';
import { agent, json, startFakeJsm, type FakeJsm } from './fake-jsm.ts';

let fake: FakeJsm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('path building', () => {
  it('encodes each interpolated value as exactly one segment', () => {
    expect(jsmPath`/rest/servicedeskapi/request/${'ABC-1'}/comment`).toBe('/rest/servicedeskapi/request/ABC-1/comment');
    expect(jsmPath`/rest/servicedeskapi/request/${'a..b'}`).toBe('/rest/servicedeskapi/request/a..b');
    expect(jsmPath`/x/${'he said "hi"\n?x=1#f'}`).toBe('/x/he%20said%20%22hi%22%0A%3Fx%3D1%23f');
    expect(jsmPath`/x/${42}/y`).toBe('/x/42/y');
  });

  it('refuses "." and ".." and empty identifiers', () => {
    for (const bad of ['..', '.', '']) {
      expect(() => jsmPath`/rest/servicedeskapi/request/${bad}`).toThrow(/invalid JSM identifier/);
    }
  });

  it('refuses a "/" anywhere in an identifier with 22023: a server that decodes %2F before routing would split the segment', () => {
    for (const bad of ['a/b', '/', '10001/..', '../admin', 'a/../../admin', 'TEST-1/']) {
      expect(() => jsmPath`/rest/servicedeskapi/request/${bad}/comment`, bad).toThrow(expect.objectContaining({ code: '22023', message: `invalid JSM identifier ${JSON.stringify(bad)}` }));
      expect(isPathSegmentValue(bad), bad).toBe(false);
    }
    for (const ok of ['10001', 'TEST-1', 'a..b', 'qm:1a2b', 'x%2Fy']) expect(isPathSegmentValue(ok), ok).toBe(true);
  });

  it('rejects raw paths with dot segments, query, fragment or control characters', () => {
    for (const bad of [
      'rest/x',
      '/rest/../admin',
      '/rest/%2e%2E/admin',
      '/rest/x/..',
      '/rest/x?y=1',
      '/rest/x#y',
      '/rest/x y',
      '/rest/x\ny',
      '/rest/x\\y',
    ]) {
      expect(() => assertSafePath(bad), bad).toThrow(/invalid JSM request path/);
    }
    expect(() => assertSafePath('/rest/servicedeskapi/request/ABC-1.2%2F3')).not.toThrow();
  });
});

describe('query building', () => {
  it('sorts keys, repeats arrays, skips undefined', () => {
    expect(buildQueryString({ b: 'x', a: [1, 2], c: undefined, d: true })).toBe('?a=1&a=2&b=x&d=true');
    expect(buildQueryString({})).toBe('');
  });
});

describe('BaseUrl', () => {
  it('accepts origins with or without trailing slash and a context path', () => {
    expect(parseBaseUrl('https://x.atlassian.net')).toEqual({ origin: 'https://x.atlassian.net', basePath: '' });
    expect(parseBaseUrl('http://127.0.0.1:8080/jira/')).toEqual({ origin: 'http://127.0.0.1:8080', basePath: '/jira' });
  });

  it('rejects bad URLs without echoing them', () => {
    expect(() => parseBaseUrl('not a url with secret-pw')).toThrow(/not a valid URL$/);
    expect(() => parseBaseUrl('ftp://x')).toThrow(/http or https/);
    try {
      parseBaseUrl('https://me:secret-pw@x.atlassian.net');
    } catch (err) {
      expect(err).toMatchObject({ code: '22023' });
      expect(String((err as Error).message)).not.toContain('secret-pw');
    }
  });
});

describe('over the wire', () => {
  it('special characters in segments and query values never change the path', async () => {
    fake = await startFakeJsm((_c, res) => json(res, 200, {}));
    const c = new JsmClient({ baseUrl: fake.baseUrl, credentials: agent });
    const nasty = `it's "quoted"\\..\\..%2Fadmin\r\nX-Injected: 1 & more=yes?#`;
    const slashed = `${nasty}/../../admin`;
    await c.get(jsmPath`/rest/servicedeskapi/request/${nasty}/comment`, { searchTerm: slashed, 'weird key/..': 'v' });
    const call = fake.calls[0];
    expect(call.pathname.split('/')).toHaveLength(6);
    expect(call.pathname).toMatch(/^\/rest\/servicedeskapi\/request\/[^/]+\/comment$/);
    expect(decodeURIComponent(call.pathname.split('/')[4])).toBe(nasty);
    expect(call.query.get('searchTerm')).toBe(slashed);
    expect(call.query.get('weird key/..')).toBe('v');
    expect(call.headers['x-injected']).toBeUndefined();
  });
});
