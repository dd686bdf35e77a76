/**
 * The identity providers' own calls go the way JSM's do (issue 12 leftover): SSLServerCert,
 * SSLClientCert* and ProxyServer/ProxyPort/ProxyUser/ProxyPassword apply to Crowd and Okta as to
 * JSM. Crowd is put behind a TLS front with a certificate from a test CA the machine does not
 * trust: pinned by SSLServerCert (the CA) the sign-in works, through an authenticating CONNECT
 * proxy that sees the IdP's tunnels; without the pin, or with a stranger's, the sign-in fails with
 * HV00N naming the step and SSLServerCert. Okta's calls are tunnelled through the proxy too.
 */
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SIM_IDENTITIES, type RunningSimulator } from '../../src/simulator/index.ts';
import { makeDcPki, type DcPki } from '../auth-dc/pki.ts';
import { startConnectProxy, type TestProxy } from '../helpers/connect-proxy.ts';
import { withClient, type TestStack } from '../helpers/gateway.ts';
import { LogCapture, oktaConnection, queryFailure as failure, ssoStack } from './stack.ts';

const { agent, customer } = SIM_IDENTITIES;
const PROXY_PASSWORD = 'canary-idp-proxy-6626';

interface TlsFront {
  port: number;
  /** Where the front forwards to (the IdP's plain port), set once the simulator runs. */
  target: number;
  connections: number;
  close(): Promise<void>;
}

/** Terminates TLS with the test CA's 127.0.0.1 certificate and relays the bytes to `target`. */
async function startTlsFront(pki: DcPki): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const front: TlsFront = { port: 0, target: 0, connections: 0, close: async () => undefined };
  const server = createTlsServer({ key: pki.serverKey, cert: pki.serverCert }, (socket) => {
    front.connections++;
    const upstream = connect(front.target, '127.0.0.1');
    track(socket);
    track(upstream);
    socket.pipe(upstream).pipe(socket);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.port = (server.address() as AddressInfo).port;
  front.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return front;
}

let pki: DcPki;
let front: TlsFront;
let proxy: TestProxy;
let stack: TestStack | undefined;

beforeAll(async () => {
  pki = makeDcPki();
  front = await startTlsFront(pki);
  proxy = await startConnectProxy({ user: 'gw', password: PROXY_PASSWORD });
}, 30_000);
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});
afterAll(async () => {
  await proxy?.close();
  await front?.close();
  pki?.cleanup();
});

/** Crowd reached at the TLS front: the SAML SSO URL with the front's https origin. */
function crowdBehindFront(sim: RunningSimulator, extra: string): string {
  const crowd = sim.sso!.crowd!;
  front.target = Number(new URL(crowd.url).port);
  const loginUrl = new URL(crowd.loginUrl);
  const viaFront = `https://127.0.0.1:${front.port}${loginUrl.pathname}`;
  return (
    `AuthScheme=Crowd;User=${agent.username};Password=${agent.password};SSOLoginURL=${viaFront};SSOExchangeUrl=${sim.sso!.exchangeUrl}` +
    `;SSOAppName=${crowd.appName};SSOAppPassword=${crowd.appPassword}${extra ? `;${extra}` : ''}`
  );
}

describe("the identity provider's calls take the connection's TLS and proxy settings", () => {
  it('Crowd over HTTPS from a private CA pinned by SSLServerCert, through an authenticating proxy', async () => {
    const log = new LogCapture();
    const proxied = `ProxyServer=127.0.0.1;ProxyPort=${proxy.port};ProxyUser=gw;ProxyPassword=${PROXY_PASSWORD}`;
    stack = await ssoStack({ crowd: {}, log, connection: (sim) => crowdBehindFront(sim, `SSLServerCert=${pki.path('ca.crt')};${proxied}`) });
    const connectionsBefore = front.connections;
    const rows = await withClient(stack.url, (c) => c.query('SELECT RequestKey FROM Requests LIMIT 3'));
    expect(rows.rows.length).toBe(3);
    // Crowd's calls went through the proxy to the front, JSM's to the simulator
    expect(proxy.tunnels).toContain(`127.0.0.1:${front.port}`);
    expect(proxy.tunnels).toContain(new URL(stack.sim.url).host);
    expect(front.connections).toBeGreaterThanOrEqual(connectionsBefore);
    expect(front.connections).toBeGreaterThan(0);
    expect(stack.sim.sso!.logins()).toBeGreaterThan(0);
    expect(log.text()).not.toContain(PROXY_PASSWORD);
  }, 60_000);

  it("without the pin, or with a stranger's certificate pinned, Crowd is not trusted: HV00N naming the step and SSLServerCert", async () => {
    for (const pin of ['', `SSLServerCert=${pki.path('stranger.crt')}`]) {
      stack = await ssoStack({ crowd: {}, connection: (sim) => crowdBehindFront(sim, pin) });
      const err = await failure(stack);
      expect(err.code, pin).toBe('HV00N');
      expect(err.message).toMatch(/^Crowd sign-in failed at user authentication \(POST \/rest\/usermanagement\/1\/session\): TLS handshake with Crowd at https:\/\/127\.0\.0\.1:\d+ failed: its certificate is not trusted/);
      expect(err.hint).toContain('SSLServerCert');
      expect(stack.sim.sso!.logins()).toBe(0);
      await stack.close();
      stack = undefined;
    }
  }, 60_000);

  it("Okta's calls are tunnelled through ProxyServer; wrong proxy credentials are 28000 naming ProxyPassword", async () => {
    const tunnelsBefore = proxy.tunnels.length;
    stack = await ssoStack({
      okta: {},
      connection: (sim) => `${oktaConnection(sim, customer.email, customer.password)};ProxyServer=127.0.0.1;ProxyPort=${proxy.port};ProxyUser=gw;ProxyPassword=${PROXY_PASSWORD}`,
    });
    expect((await withClient(stack.url, (c) => c.query('SELECT RequestKey FROM Requests LIMIT 2'))).rows.length).toBeGreaterThan(0);
    const okta = new URL(stack.sim.sso!.okta!.url).host;
    expect(proxy.tunnels.slice(tunnelsBefore)).toContain(okta);
    await stack.close();

    stack = await ssoStack({
      okta: {},
      connection: (sim) => `${oktaConnection(sim, customer.email, customer.password)};ProxyServer=127.0.0.1;ProxyPort=${proxy.port};ProxyUser=gw;ProxyPassword=canary-wrong-idp-proxy-1`,
    });
    const err = await failure(stack);
    expect(err.code).toBe('28000');
    expect(`${err.message} ${err.hint}`).toContain('ProxyPassword');
    expect(`${err.message} ${err.hint}`).not.toContain('canary-wrong-idp-proxy-1');
  }, 60_000);
});
