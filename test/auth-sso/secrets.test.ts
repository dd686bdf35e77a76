import { afterEach, describe, expect, it } from 'vitest';
import { SIM_IDENTITIES, totp } from '../../src/simulator/index.ts';
import { withClient, type TestStack } from '../helpers/gateway.ts';
import { crowdConnection, LogCapture, oktaConnection, ssoStack } from './stack.ts';

const agent = SIM_IDENTITIES.agent;
const CANARY = {
  password: 'pw-canary-5f3a9e1c',
  appPassword: 'app-canary-0b7d2e44',
  passCode: 'mfa-canary-91c4ab07',
  apiToken: 'ssws-canary-e2a86f13',
};

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** Runs a query that fails and what the session can say about its connection; every text the client saw. */
async function textsSeen(s: TestStack): Promise<string> {
  return withClient(s.url, async (c) => {
    const texts: string[] = [];
    const err = await c.query('SELECT RequestKey FROM Requests LIMIT 1').then(() => undefined, (e: { code: string; message: string; hint?: string; detail?: string }) => e);
    if (err) texts.push(err.code, err.message, err.hint ?? '', err.detail ?? '');
    const props = await c.query("SELECT * FROM sys_connection_props WHERE Name LIKE 'SSO%' OR Name IN ('Password', 'User')");
    texts.push(JSON.stringify(props.rows));
    expect(props.rows.length).toBeGreaterThan(0);
    return texts.join('\n');
  });
}

function expectNoCanary(...texts: string[]): void {
  for (const text of texts) for (const canary of Object.values(CANARY)) expect(text).not.toContain(canary);
}

describe('SSO secrets stay out of logs and error texts', () => {
  it('Okta: a wrong password, passcode and API token', async () => {
    const log = new LogCapture();
    stack = await ssoStack({ okta: { apiToken: 'the-real-token' }, log, connection: (sim) => oktaConnection(sim, agent.email, CANARY.password, `APIToken=${CANARY.apiToken}`) });
    const seen = await textsSeen(stack);
    expect(seen).toMatch(/28000/);
    expectNoCanary(seen, log.text());
    expect(log.lines.length).toBeGreaterThan(0);
    await stack.close();

    const log2 = new LogCapture();
    stack = await ssoStack({ okta: { mfa: { totpSecret: 's', sms: true } }, log: log2, connection: (sim) => oktaConnection(sim, agent.email, agent.password, `MFAType=SMS;MFAPassCode=${CANARY.passCode}`) });
    const seen2 = await textsSeen(stack);
    expect(seen2).toMatch(/Okta refused the MFAPassCode/);
    expectNoCanary(seen2, log2.text());
  });

  it('Crowd: a wrong application password and user password', async () => {
    const log = new LogCapture();
    stack = await ssoStack({ crowd: {}, log, connection: (sim) => crowdConnection(sim, agent.username, CANARY.password, CANARY.appPassword) });
    const seen = await textsSeen(stack);
    expect(seen).toMatch(/application authentication/);
    expectNoCanary(seen, log.text());
    await stack.close();

    const log2 = new LogCapture();
    stack = await ssoStack({ crowd: {}, log: log2, connection: (sim) => crowdConnection(sim, agent.username, CANARY.password) });
    const seen2 = await textsSeen(stack);
    expect(seen2).toMatch(/user authentication/);
    expectNoCanary(seen2, log2.text());
  });

  it('a successful sign-in logs no password, passcode, session token, SAML response or session cookie', async () => {
    const log = new LogCapture();
    const secret = 'totp-secret-for-the-log-test';
    let passCode = '';
    stack = await ssoStack({
      okta: { mfa: { totpSecret: secret } },
      log,
      connection: (sim) => oktaConnection(sim, agent.email, agent.password, `MFAType=OktaVerify;MFAPassCode=${(passCode = totp(secret))}`),
    });
    await withClient(stack.url, async (c) => {
      await c.query('SELECT RequestKey FROM Requests LIMIT 1');
      stack!.sim.sso!.expireSessions();
      await c.query('SELECT RequestKey FROM Requests LIMIT 2');
    });
    expect(stack.sim.sso!.logins()).toBe(2);
    const text = log.text();
    expect(text).not.toContain(agent.password);
    expect(text).not.toContain(`MFAPassCode=${passCode}`);
    expect(text).not.toMatch(/JSESSIONID=[0-9A-F]{8}|sessionToken=|SAMLResponse=|PHNhbWxwOlJlc3BvbnNl/);
  });
});
