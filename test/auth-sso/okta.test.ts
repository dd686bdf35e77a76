import { afterEach, describe, expect, it } from 'vitest';
import { SIM_IDENTITIES, totp } from '../../src/simulator/index.ts';
import { simCalls, withClient, type TestStack } from '../helpers/gateway.ts';
import { oktaConnection, queryFailure, ssoStack } from './stack.ts';

const agent = SIM_IDENTITIES.agent;
const customer = SIM_IDENTITIES.customer;
const TOTP_SECRET = 'okta-verify-seed-for-tests';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const readRequests = (s: TestStack) => withClient(s.url, (c) => c.query('SELECT RequestKey, Summary FROM Requests LIMIT 5'));
const failure = queryFailure;

/** The API calls made with a JSESSIONID, by whom. */
async function sessionCalls(s: TestStack) {
  return (await simCalls(s.sim)).filter((c) => (c as { identity?: { scheme?: string } }).identity?.scheme === 'session-cookie') as unknown as { path: string; status: number; identity: { email: string } }[];
}

describe('AuthScheme OKTA', () => {
  it('signs in with User/Password through the app embed link and reads Requests as that user', async () => {
    stack = await ssoStack({ okta: {}, connection: (sim) => oktaConnection(sim, customer.email, customer.password) });
    const rows = await readRequests(stack);
    expect(rows.rows.length).toBeGreaterThan(0);
    const calls = await sessionCalls(stack);
    expect(calls.some((c) => c.path === '/rest/servicedeskapi/request' && c.status === 200)).toBe(true);
    expect(new Set(calls.map((c) => c.identity.email))).toEqual(new Set([customer.email]));
    // one sign-in serves every call (the start's queue read and the query)
    expect(stack.sim.sso!.logins()).toBe(1);
  });

  it('a wrong password is 28000 naming primary authentication', async () => {
    stack = await ssoStack({ okta: {}, connection: (sim) => oktaConnection(sim, agent.email, 'not-the-password') });
    const err = await failure(stack);
    expect(err.code).toBe('28000');
    expect(err.message).toMatch(/^Okta sign-in failed at primary authentication \(POST \/api\/v1\/authn\): Okta refused the User and Password of "agent@example.com" \(E0000004 Authentication failed\)/);
    expect(stack.sim.sso!.logins()).toBe(0);
  });

  it('MFA with an Okta Verify code; an expired session is renewed without MFA on the remembered device', async () => {
    stack = await ssoStack({ okta: { mfa: { totpSecret: TOTP_SECRET } }, connection: (sim) => oktaConnection(sim, agent.email, agent.password, `MFAType=OktaVerify;MFAPassCode=${totp(TOTP_SECRET)}`) });
    await withClient(stack.url, async (c) => {
      expect((await c.query('SELECT RequestKey FROM Requests LIMIT 3')).rows.length).toBe(3);
      stack!.sim.sso!.expireSessions();
      // the same code cannot be used twice: this works only because Okta remembers the device
      expect((await c.query('SELECT RequestKey FROM Requests WHERE RequestKey IS NOT NULL LIMIT 2')).rows.length).toBe(2);
    });
    expect(stack.sim.sso!.logins()).toBe(2);
    const calls = await simCalls(stack.sim);
    // the expired session's call got 401, and was sent once more with the new session
    expect(calls.filter((c) => c.status === 401).length).toBe(1);
  });

  it('a wrong Okta Verify code is 28000 naming MFA verification', async () => {
    const wrong = String((Number(totp(TOTP_SECRET)) + 500_000) % 1_000_000).padStart(6, '0');
    stack = await ssoStack({ okta: { mfa: { totpSecret: TOTP_SECRET } }, connection: (sim) => oktaConnection(sim, agent.email, agent.password, `MFAType=OktaVerify;MFAPassCode=${wrong}`) });
    const err = await failure(stack);
    expect(err.code).toBe('28000');
    expect(err.message).toMatch(/^Okta sign-in failed at MFA verification \(Okta Verify\): Okta refused the MFAPassCode \(E0000068 Invalid Passcode\/Answer\)/);
    expect(err.message).not.toContain(wrong);
  });

  it('MFA required but no MFAType: 28000 listing the enrolled factors', async () => {
    stack = await ssoStack({ okta: { mfa: { totpSecret: TOTP_SECRET, sms: true } }, connection: (sim) => oktaConnection(sim, agent.email, agent.password) });
    const err = await failure(stack);
    expect(err.code).toBe('28000');
    expect(err.message).toBe('Okta sign-in failed at multi-factor authentication: Okta asks for a second factor (the user has OktaVerify (code), SMS)');
    expect(err.hint).toMatch(/Set MFAType/);
  });

  it('without remembering the device, an expired session cannot be renewed with the used code: 28000 saying the session expired and the step', async () => {
    stack = await ssoStack({
      okta: { mfa: { totpSecret: TOTP_SECRET } },
      connection: (sim) => oktaConnection(sim, agent.email, agent.password, `MFAType=OktaVerify;MFAPassCode=${totp(TOTP_SECRET)};MFARememberDevice=False`),
    });
    await withClient(stack.url, async (c) => {
      expect((await c.query('SELECT RequestKey FROM Requests LIMIT 1')).rows.length).toBe(1);
      stack!.sim.sso!.expireSessions();
      const err = await c.query('SELECT RequestKey FROM Requests LIMIT 2').then(() => undefined, (e: { code: string; message: string }) => e);
      expect(err?.code).toBe('28000');
      expect(err?.message).toMatch(/^the JSM session expired and signing in again failed: Okta sign-in failed at MFA verification \(Okta Verify\): Okta refused the MFAPassCode/);
    });
  });

  it('Okta Verify push: approved signs in, rejected is 28000', async () => {
    stack = await ssoStack({ okta: { mfa: { push: 'approve' } }, connection: (sim) => oktaConnection(sim, agent.email, agent.password, 'MFAType=OktaVerify') });
    expect((await readRequests(stack)).rows.length).toBeGreaterThan(0);
    await stack.close();
    stack = await ssoStack({ okta: { mfa: { push: 'reject' } }, connection: (sim) => oktaConnection(sim, agent.email, agent.password, 'MFAType=OktaVerify') });
    const err = await failure(stack);
    expect(err.code).toBe('28000');
    expect(err.message).toMatch(/^Okta sign-in failed at MFA verification \(Okta Verify push\): the push was rejected on the device/);
  });

  it('SMS without a passcode: Okta sends one and the error says to connect again with it', async () => {
    stack = await ssoStack({ okta: { mfa: { sms: true } }, connection: (sim) => oktaConnection(sim, agent.email, agent.password, 'MFAType=SMS') });
    const err = await failure(stack);
    expect(err.code).toBe('28000');
    expect(err.message).toMatch(/^Okta sign-in failed at MFA verification \(SMS\): MFAPassCode is not set; Okta has sent a new one-time passcode by SMS/);
    expect(err.hint).toMatch(/Set MFAPassCode in SSOProperties to the passcode received by SMS and connect again/);
    const sent = stack.sim.sso!.okta!.sentCodes();
    expect(sent.at(-1)).toMatchObject({ factor: 'sms', login: agent.email });
  });

  it('a trusted application sends its API token (SSWS); a wrong one is 28000 naming it', async () => {
    stack = await ssoStack({ okta: { apiToken: 'okta-api-token-1' }, connection: (sim) => oktaConnection(sim, agent.email, agent.password, 'APIToken=okta-api-token-1') });
    expect((await readRequests(stack)).rows.length).toBeGreaterThan(0);
    await stack.close();
    stack = await ssoStack({ okta: { apiToken: 'okta-api-token-1' }, connection: (sim) => oktaConnection(sim, agent.email, agent.password, 'APIToken=okta-api-token-2') });
    const err = await failure(stack);
    expect(err.code).toBe('28000');
    expect(err.message).toMatch(/^Okta sign-in failed at primary authentication \(POST \/api\/v1\/authn\): Okta refused the trusted application's API token \(E0000011/);
  });

  it('an unknown name in SSOProperties is refused at start', async () => {
    await expect(ssoStack({ okta: {}, connection: (sim) => oktaConnection(sim, agent.email, agent.password, 'MFATyp=SMS') })).rejects.toMatchObject({
      code: '28000',
      message: 'SSOProperties names "MFATyp", which AuthScheme OKTA does not use',
    });
  });
});
