import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { describeWithTools } from './helpers/describe-tools.ts';
import { writeFakeTgtCache } from './helpers/kerberos-ccache.ts';
import { libpqEnv, run } from './helpers/run.ts';
import { makeTestPki, type TestPki } from './helpers/test-ca.ts';

const ALICE_PASSWORD = 'c0rrect horse; battery "staple"';

describeWithTools(['openssl', 'psql'], 'TLS and authentication', (tools) => {
  let pki: TestPki;
  let stack: TestStack;
  let krbDir: string;

  beforeAll(async () => {
    pki = await makeTestPki(tools.openssl.path!);
    stack = await startStack({ argv: ['--tls-cert', pki.serverCertPath, '--tls-key', pki.serverKeyPath], users: { demo: 'demo', alice: ALICE_PASSWORD } });
    krbDir = await mkdtemp(join(tmpdir(), 'jsm-pg-krb5-'));
  });
  afterAll(async () => {
    await stack?.close();
    await pki?.remove();
    if (krbDir) await rm(krbDir, { recursive: true, force: true });
  });

  /** psql with the demo user's libpq environment plus `env`; prints unaligned tuples only. */
  const psql = (env: Record<string, string>, sql: string[]) =>
    run(tools.psql.path!, ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...sql.flatMap((c) => ['-c', c])], { env: libpqEnv(stack, env), timeoutMs: 30_000 });
  const KEY_QUERY = "SELECT RequestKey FROM Requests WHERE RequestId = '10001'";

  it('sslmode=require: TLS, and a JSM query over it', async () => {
    const r = await psql({ PGSSLMODE: 'require' }, ['\\conninfo', KEY_QUERY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SSL connection \(protocol: TLSv1\.[23]/);
    expect(r.stdout).toContain('TEST-1');
  });

  it('--tls-required refuses a plain connection (28000, with a hint) and serves TLS ones', async () => {
    const strict = await startStack({ argv: ['--tls-cert', pki.serverCertPath, '--tls-key', pki.serverKeyPath, '--tls-required'] });
    try {
      const strictPsql = (env: Record<string, string>) =>
        run(tools.psql.path!, ['-X', '-A', '-t', '-c', KEY_QUERY], { env: libpqEnv(strict, env), timeoutMs: 30_000 });
      const plain = await strictPsql({ PGSSLMODE: 'disable' });
      expect(plain.code).not.toBe(0);
      expect(plain.stderr).toMatch(/only TLS connections/);
      const secure = await strictPsql({ PGSSLMODE: 'require' });
      expect(secure.code, secure.stderr).toBe(0);
      expect(secure.stdout).toContain('TEST-1');
    } finally {
      await strict.close();
    }
  });

  it('sslmode=verify-full with the CA, by name and by address', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const r = await psql({ PGHOST: host, PGSSLMODE: 'verify-full', PGSSLROOTCERT: pki.caCertPath }, ['\\conninfo', KEY_QUERY]);
      expect(r.code, `${host}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/SSL connection/);
      expect(r.stdout).toContain('TEST-1');
    }
  });

  it('verify-full fails with a CA that did not sign the server certificate', async () => {
    const r = await psql({ PGHOST: 'localhost', PGSSLMODE: 'verify-full', PGSSLROOTCERT: pki.otherCaCertPath }, ['SELECT 1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/certificate verify failed/);
    // the aborted handshake closed that connection only (it once took the whole gateway down)
    const again = await psql({ PGHOST: 'localhost', PGSSLMODE: 'verify-full', PGSSLROOTCERT: pki.caCertPath }, ['SELECT 1']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('1');
  });

  it('verify-full fails when the host name is not in the certificate', async () => {
    const r = await psql({ PGHOST: 'jsm.invalid', PGHOSTADDR: '127.0.0.1', PGSSLMODE: 'verify-full', PGSSLROOTCERT: pki.caCertPath }, ['SELECT 1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/does not match host name "jsm\.invalid"/);
  });

  it('SCRAM-SHA-256 over TLS for another user (node-postgres verifying the CA)', async () => {
    const c = new pg.Client({ host: 'localhost', port: stack.port, user: 'alice', password: ALICE_PASSWORD, database: 'jsm', ssl: { ca: pki.caCert } });
    let mechanisms: string[] = [];
    const con = (c as unknown as { connection: { on(e: 'authenticationSASL', f: (m: { mechanisms: string[] }) => void): void; stream: TLSSocket } }).connection;
    con.on('authenticationSASL', (m) => (mechanisms = m.mechanisms));
    await c.connect();
    expect(mechanisms).toContain('SCRAM-SHA-256');
    expect(con.stream.encrypted).toBe(true);
    expect(con.stream.authorized).toBe(true);
    const r = await c.query('SELECT current_setting($1) AS v, RequestKey FROM Requests WHERE RequestId = $2', ['client_encoding', '10001']);
    expect(r.rows).toEqual([{ v: 'UTF8', requestkey: 'TEST-1' }]);
    await c.end();
  });

  it('node-postgres rejects the server when given the wrong CA', async () => {
    const c = new pg.Client({ host: 'localhost', port: stack.port, user: 'demo', password: 'demo', database: 'jsm', ssl: { ca: pki.otherCaCert } });
    await expect(c.connect()).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/) });
  });

  it('postgres.js over verified TLS', async () => {
    const sql = postgres({ host: 'localhost', port: stack.port, user: 'demo', password: 'demo', database: 'jsm', ssl: { ca: pki.caCert }, max: 1 });
    const rows = await sql`SELECT RequestKey FROM Requests WHERE RequestId = ${'10001'}`;
    expect(rows.map((r) => r.requestkey)).toEqual(['TEST-1']);
    await sql.end();
  });

  it('a wrong password or an unknown user is 28P01, over TLS and without', async () => {
    for (const ssl of [{ ca: pki.caCert }, false] as const) {
      for (const [user, password] of [['alice', 'wrong'], ['demo', ALICE_PASSWORD], ['nobody', 'demo']]) {
        const c = new pg.Client({ host: 'localhost', port: stack.port, user, password, database: 'jsm', ssl });
        await expect(c.connect(), `${user} ssl=${Boolean(ssl)}`).rejects.toMatchObject({ code: '28P01' });
      }
    }
    const r = await psql({ PGSSLMODE: 'require', PGPASSWORD: 'wrong' }, ['SELECT 1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/password authentication failed for user "demo"/);
  });

  it('libpq with gssencmode=prefer and Kerberos credentials: GSSENCRequest answered N, then TLS', async () => {
    // With credentials in the cache, libpq asks for GSSAPI encryption first; the gateway declines
    // and libpq goes on to SSLRequest on the same connection.
    const ccache = join(krbDir, 'krb5cc');
    await writeFakeTgtCache(ccache);
    await writeFile(join(krbDir, 'krb5.conf'), '');
    const krb = { KRB5CCNAME: `FILE:${ccache}`, KRB5_CONFIG: join(krbDir, 'krb5.conf') };
    const r = await psql({ ...krb, PGGSSENCMODE: 'prefer', PGSSLMODE: 'require' }, ['\\conninfo', KEY_QUERY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SSL connection/);
    expect(r.stdout).toContain('TEST-1');
    // Proof that the request was really sent: demanding GSSAPI encryption fails at the server's N.
    const required = await psql({ ...krb, PGGSSENCMODE: 'require' }, ['SELECT 1']);
    expect(required.code).not.toBe(0);
    expect(required.stderr).toMatch(/server doesn't support GSSAPI encryption/);
  });

  it('channel_binding=require works over TLS (SCRAM-SHA-256-PLUS, tls-server-end-point); a wrong password still fails', async () => {
    const r = await psql({ PGSSLMODE: 'require', PGCHANNELBINDING: 'require' }, [KEY_QUERY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('TEST-1');
    const preferred = await psql({ PGSSLMODE: 'require', PGCHANNELBINDING: 'prefer' }, ['SELECT 1']);
    expect(preferred.code, preferred.stderr).toBe(0);
    const wrong = await psql({ PGSSLMODE: 'require', PGCHANNELBINDING: 'require', PGPASSWORD: 'wrong' }, ['SELECT 1']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/password authentication failed/);
    // without TLS there is nothing to bind to, so a client that demands binding refuses to go on
    const plain = await psql({ PGSSLMODE: 'disable', PGCHANNELBINDING: 'require' }, ['SELECT 1']);
    expect(plain.code).not.toBe(0);
  });
});
