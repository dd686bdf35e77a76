import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { SIM_IDENTITIES } from '../../src/simulator/index.ts';
import { describeWithTools } from '../clients/helpers/describe-tools.ts';
import { makeTestPki, type TestPki } from '../clients/helpers/test-ca.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';

/**
 * Issue 12 item 6, passthrough: with --passthrough a client logs in with its JSM login and API
 * token as PostgreSQL user and password (cleartext, so only over TLS), JSM checks them, and the
 * session reads JSM as that user.
 */
describeWithTools(['openssl'], 'passthrough logins', (tools) => {
  let pki: TestPki;
  let stack: TestStack;
  const { agent, customer } = SIM_IDENTITIES;
  const connect = async (user: string, password: string) => {
    const c = new pg.Client({ host: '127.0.0.1', port: stack.port, database: 'jsm', user, password, ssl: { rejectUnauthorized: false } });
    await c.connect();
    return c;
  };

  beforeAll(async () => {
    pki = await makeTestPki(tools.openssl.path!);
    stack = await startStack({ argv: ['--tls-cert', pki.serverCertPath, '--tls-key', pki.serverKeyPath, '--tls-required', '--passthrough'] });
  });
  afterAll(async () => {
    await stack?.close();
    await pki?.remove();
  });

  it('each client reads JSM as the JSM user it logged in as', async () => {
    const a = await connect(agent.email, agent.apiToken);
    const b = await connect(customer.email, customer.apiToken);
    try {
      const q = 'SELECT count(*)::int AS n FROM Requests';
      const [na, nb] = [(await a.query(q)).rows[0].n, (await b.query(q)).rows[0].n];
      expect(nb).toBeGreaterThan(0);
      expect(na).toBeGreaterThan(nb);
      const who = await b.query("SELECT Value FROM sys_connection_props WHERE Name = 'User'");
      expect(who.rows[0].value).toBe(customer.email);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('a token JSM rejects is 28P01 and no session', async () => {
    const err = await connect(customer.email, 'not-the-token').then(() => undefined, (e: pg.DatabaseError) => e);
    expect(err?.code).toBe('28P01');
    expect(err?.message).toMatch(/password authentication failed/);
    expect(String(err?.message) + String(err?.detail)).not.toContain('not-the-token');
  });

  it('needs --tls-required', async () => {
    await expect(startStack({ argv: ['--passthrough'] })).rejects.toThrow(/--passthrough needs --tls-required/);
    expect(loadConfig({ argv: ['--passthrough'], env: {} }).server.passthrough).toBe(true);
  });
});
