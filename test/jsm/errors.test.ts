import { afterEach, describe, expect, it } from 'vitest';
import { PgError } from '../../src/errors/index.ts';
import { JsmClient } from '../../src/jsm/index.ts';
import { agent, json, startFakeJsm, type FakeJsm } from './fake-jsm.ts';

let fake: FakeJsm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function failureFor(status: number, body: unknown, headers: Record<string, string> = {}): Promise<PgError> {
  fake = await startFakeJsm((_c, res) => json(res, status, body, headers));
  const c = new JsmClient({ baseUrl: fake.baseUrl, credentials: agent, maxRetries: 0 });
  const err = await c.get('/rest/servicedeskapi/request/ABC-1').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PgError);
  return err as PgError;
}

describe('HTTP status classification', () => {
  it('401 → InvalidAuthorizationSpecification naming user and origin, not the secret', async () => {
    const err = await failureFor(401, { message: 'Client must be authenticated' });
    expect(err.code).toBe('28000');
    expect(err.message).toBe(
      `JSM rejected the credentials for agent@example.com at ${fake?.baseUrl}: check User/APIToken/Password`,
    );
    expect(err.fields.hint).toBe('AuthScheme APIToken sends User and APIToken');
    expect(JSON.stringify({ m: err.message, f: err.fields })).not.toContain(agent.apiToken);
  });

  it('403 → InsufficientPrivilege', async () => {
    const err = await failureFor(403, { errorMessage: 'You do not have permission' });
    expect(err.code).toBe('42501');
    expect(err.message).toContain('You do not have permission');
  });

  it('Data Center CAPTCHA lockout (403 + X-Seraph-LoginReason) → InvalidAuthorizationSpecification', async () => {
    const err = await failureFor(403, {}, { 'x-seraph-loginreason': 'AUTHENTICATION_DENIED' });
    expect(err.code).toBe('28000');
    expect(err.fields.hint).toMatch(/CAPTCHA/);
  });

  it('404 → UndefinedObject with method and path in detail', async () => {
    const err = await failureFor(404, { errorMessage: 'Request does not exist' });
    expect(err.code).toBe('42704');
    expect(err.fields.detail).toBe('GET /rest/servicedeskapi/request/ABC-1');
  });

  it('400 → InvalidParameterValue carrying JSM’s errorMessage', async () => {
    const err = await failureFor(400, { errorMessage: "The value 'x' is not a valid request type" });
    expect(err.code).toBe('22023');
    expect(err.message).toBe("JSM rejected the request: The value 'x' is not a valid request type");
  });

  it('400 with platform errorMessages / errors', async () => {
    const err = await failureFor(400, { errorMessages: ['JQL is broken'], errors: { summary: 'required' } });
    expect(err.message).toBe('JSM rejected the request: JQL is broken; summary: required');
  });

  it('other 4xx → FdwError with status in detail', async () => {
    const err = await failureFor(409, { errorMessage: 'conflict' });
    expect(err.code).toBe('HV000');
    expect(err.fields.detail).toBe('GET /rest/servicedeskapi/request/ABC-1 returned HTTP 409: conflict');
  });

  it('redirect → FdwError pointing at BaseUrl', async () => {
    const err = await failureFor(302, '', { location: 'https://login.example.com/sso?token=abc' });
    expect(err.code).toBe('HV000');
    expect(err.message).toBe('JSM redirected the request to https://login.example.com');
    expect(JSON.stringify(err.fields)).not.toContain('token=abc');
  });

  it('a 200 that is not JSON → FdwError', async () => {
    fake = await startFakeJsm((_c, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    });
    const c = new JsmClient({ baseUrl: fake.baseUrl, credentials: agent });
    await expect(c.get('/rest/servicedeskapi/info')).rejects.toMatchObject({ code: 'HV000' });
  });
});

describe('404 handling', () => {
  it('getOrNull and notFoundAsNull resolve 404 to null', async () => {
    fake = await startFakeJsm((_c, res) => json(res, 404, { errorMessage: 'gone' }));
    const c = new JsmClient({ baseUrl: fake.baseUrl, credentials: agent });
    await expect(c.getOrNull('/rest/servicedeskapi/request/X-1')).resolves.toBeNull();
    await expect(c.get('/rest/servicedeskapi/request/X-1', {}, { notFoundAsNull: true })).resolves.toBeNull();
    await expect(c.get('/rest/servicedeskapi/request/X-1')).rejects.toMatchObject({ code: '42704' });
  });

  it('empty 204 bodies resolve to undefined', async () => {
    fake = await startFakeJsm((_c, res) => {
      res.writeHead(204);
      res.end();
    });
    const c = new JsmClient({ baseUrl: fake.baseUrl, credentials: agent });
    await expect(c.delete('/rest/servicedeskapi/request/X-1/participant', { usernames: ['a'] })).resolves.toBeUndefined();
    expect(fake.calls[0]).toMatchObject({ method: 'DELETE', body: '{"usernames":["a"]}' });
  });
});
