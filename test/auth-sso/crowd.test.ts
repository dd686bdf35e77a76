import { afterEach, describe, expect, it } from 'vitest';
import { SIM_IDENTITIES } from '../../src/simulator/index.ts';
import { simCalls, withClient, type TestStack } from '../helpers/gateway.ts';
import { crowdConnection, queryFailure, ssoStack } from './stack.ts';

const agent = SIM_IDENTITIES.agent;
const customer = SIM_IDENTITIES.customer;

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const failure = (s: TestStack) => queryFailure(s);

describe('AuthScheme Crowd', () => {
  it('signs in (application, then user, then SAML) and reads Requests as that user', async () => {
    stack = await ssoStack({ crowd: {}, connection: (sim) => crowdConnection(sim, agent.username, agent.password) });
    const rows = await withClient(stack.url, (c) => c.query('SELECT RequestKey, Summary FROM Requests LIMIT 5'));
    expect(rows.rows.length).toBe(5);
    const calls = (await simCalls(stack.sim)) as unknown as { path: string; status: number; identity?: { email: string; scheme: string } }[];
    const api = calls.filter((c) => c.path.startsWith('/rest/'));
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((c) => c.identity?.scheme === 'session-cookie' && c.identity.email === agent.email)).toBe(true);
    expect(calls.filter((c) => c.path === '/plugins/servlet/samlconsumer').map((c) => c.status)).toEqual([302]);
  });

  it('the customer sees what JSM shows the customer', async () => {
    stack = await ssoStack({ crowd: {}, connection: (sim) => crowdConnection(sim, customer.username, customer.password) });
    await withClient(stack.url, (c) => c.query('SELECT RequestKey FROM Requests LIMIT 3'));
    const calls = (await simCalls(stack.sim)) as unknown as { path: string; identity?: { email: string } }[];
    expect(new Set(calls.filter((c) => c.path.startsWith('/rest/')).map((c) => c.identity?.email))).toEqual(new Set([customer.email]));
  });

  it('a wrong SSOAppPassword is 28000 naming application authentication', async () => {
    stack = await ssoStack({ crowd: {}, connection: (sim) => crowdConnection(sim, agent.username, agent.password, 'wrong-app-password') });
    const err = await failure(stack);
    expect(err.code).toBe('28000');
    expect(err.message).toMatch(/^Crowd sign-in failed at application authentication: Crowd at http:\/\/127\.0\.0\.1:\d+\/crowd\/rest\/usermanagement\/1\/session refused the application "jira-service-management"$/);
    expect(err.hint).toMatch(/SSOAppName and SSOAppPassword/);
  });

  it('a wrong user password is 28000 naming user authentication', async () => {
    stack = await ssoStack({ crowd: {}, connection: (sim) => crowdConnection(sim, agent.username, 'wrong-password') });
    const err = await failure(stack);
    expect(err.code).toBe('28000');
    expect(err.message).toBe('Crowd sign-in failed at user authentication (POST /rest/usermanagement/1/session): Crowd refused the User and Password of "agent"');
  });

  it('an expired session is renewed once, transparently; a renewal Crowd refuses is 28000 saying the session expired', async () => {
    stack = await ssoStack({ crowd: {}, connection: (sim) => crowdConnection(sim, agent.username, agent.password) });
    const sso = stack.sim.sso!;
    await withClient(stack.url, async (c) => {
      expect((await c.query('SELECT RequestKey FROM Requests LIMIT 2')).rows.length).toBe(2);
      const before = sso.logins();
      sso.expireSessions();
      expect((await c.query('SELECT RequestKey FROM Requests WHERE RequestKey IS NOT NULL LIMIT 3')).rows.length).toBe(3);
      expect(sso.logins()).toBe(before + 1);

      // the password changed in Crowd meanwhile: the next expiry cannot be renewed
      sso.crowd!.setPassword(agent.username, 'changed-in-crowd');
      sso.expireSessions();
      const err = await c.query('SELECT RequestKey FROM Requests LIMIT 4').then(() => undefined, (e: { code: string; message: string }) => e);
      expect(err?.code).toBe('28000');
      expect(err?.message).toBe('the JSM session expired and signing in again failed: Crowd sign-in failed at user authentication (POST /rest/usermanagement/1/session): Crowd refused the User and Password of "agent"');
    });
  });

  it('SSOLoginURL that answers no SAML response is 28000 naming the SAML sign-on', async () => {
    stack = await ssoStack({ crowd: {}, connection: (sim) => crowdConnection(sim, agent.username, agent.password).replace(/SSOLoginURL=[^;]*/, `SSOLoginURL=${sim.sso!.crowd!.url}/console/login.action`) });
    const err = await failure(stack);
    expect(err.code).toBe('28000');
    expect(err.message).toMatch(/^Crowd sign-in failed at the SAML sign-on \(SSOLoginURL\): http:\/\/127\.0\.0\.1:\d+\/crowd\/console\/login\.action answered 200 without a SAML response$/);
  });

  it('requires SSOAppName and SSOAppPassword at start', async () => {
    await expect(ssoStack({ crowd: {}, connection: (sim) => crowdConnection(sim, agent.username, agent.password).replace(/;SSOAppName=[^;]*/, '') })).rejects.toMatchObject({
      code: '28000',
      message: 'AuthScheme Crowd requires the SSOAppName connection property',
    });
  });
});
