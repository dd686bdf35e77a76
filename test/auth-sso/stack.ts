/** SSO test stacks: the simulator with its Okta and Crowd, keys made here, and the gateway signing in through them. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { SimCrowdOptions, SimOktaOptions, RunningSimulator } from '../../src/simulator/index.ts';
import { startStack, withClient, type TestStack } from '../helpers/gateway.ts';

let keys: { signingKey: string; signingCert: string } | undefined;

/** An RSA key and self-signed certificate for the IdPs' SAML signatures (openssl: node:crypto makes no certificates). */
export function idpKeys(): { signingKey: string; signingCert: string } {
  if (!keys) {
    const dir = mkdtempSync(join(tmpdir(), 'jsm-pg-idp-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-subj', '/CN=simulated IdP', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      keys = { signingKey: readFileSync(join(dir, 'key.pem'), 'utf8'), signingCert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return keys;
}

/** Every log line the gateway wrote, kept for the canary checks. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(chunk.toString('utf8'));
    done();
  }
  text(): string {
    return this.lines.join('');
  }
}

export async function ssoStack(opts: {
  okta?: SimOktaOptions;
  crowd?: SimCrowdOptions;
  sessionTtlMs?: number;
  connection: (sim: RunningSimulator) => string;
  log?: LogCapture;
}): Promise<TestStack> {
  return startStack({
    sso: { ...idpKeys(), ...(opts.okta ? { okta: opts.okta } : {}), ...(opts.crowd ? { crowd: opts.crowd } : {}), ...(opts.sessionTtlMs ? { sessionTtlMs: opts.sessionTtlMs } : {}) },
    connection: opts.connection,
    ...(opts.log ? { log: { level: 'trace', destination: opts.log } } : {}),
  });
}

/** The error a query through the stack's gateway gives (the sign-in happens at the first query). */
export const queryFailure = (s: TestStack, sql = 'SELECT RequestKey FROM Requests LIMIT 1') =>
  withClient(s.url, (c) => c.query(sql)).then(
    () => {
      throw new Error('the query should have failed');
    },
    (err: { code?: string; message: string; hint?: string }) => err,
  );

/** Quotes a connection-property value that holds ';' (SSOProperties). */
export const quoted = (value: string) => `'${value.replace(/'/g, "''")}'`;

export const oktaConnection = (sim: RunningSimulator, user: string, password: string, ssoProperties = '') =>
  `AuthScheme=OKTA;User=${user};Password=${password};SSOLoginURL=${sim.sso!.okta!.loginUrl};SSOExchangeUrl=${sim.sso!.exchangeUrl}` +
  (ssoProperties ? `;SSOProperties=${quoted(ssoProperties)}` : '');

export const crowdConnection = (sim: RunningSimulator, user: string, password: string, appPassword = sim.sso!.crowd!.appPassword) =>
  `AuthScheme=Crowd;User=${user};Password=${password};SSOLoginURL=${sim.sso!.crowd!.loginUrl};SSOExchangeUrl=${sim.sso!.exchangeUrl}` +
  `;SSOAppName=${sim.sso!.crowd!.appName};SSOAppPassword=${appPassword}`;
