/**
 * How the gateway reaches one JSM site: its TLS trust (SSLServerCert), its client certificate
 * (SSLClientCert*), and a proxy (ProxyServer/ProxyPort/ProxyUser/ProxyPassword, else the
 * environment's HTTPS_PROXY/HTTP_PROXY/NO_PROXY). Everything goes through undici's own
 * dispatchers (Pool, ProxyAgent, EnvHttpProxyAgent); the certificate pin is checked in a
 * connector that wraps theirs, after the handshake and before any byte of the request.
 */
import { createHash } from 'node:crypto';
import { rootCertificates, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { buildConnector, EnvHttpProxyAgent, Pool, ProxyAgent, type Dispatcher } from 'undici';
import { anySubject, keyPairOf, privateKeyOf, readCertStore } from './cert-store.ts';
import { matchesPin, parseServerCert, type ServerCertPolicy } from './server-cert.ts';

export interface TransportSecurity {
  /** SSLServerCert. */
  serverCert?: string;
  /** SSLClientCert, SSLClientCertType, SSLClientCertPassword, SSLClientCertSubject. */
  clientCert?: { store: string; type: string; password: string; subject: string };
  /** ProxyServer and ProxyPort, with ProxyUser/ProxyPassword for Basic proxy authentication. */
  proxy?: { server: string; port: number; user?: string; password?: string };
  /** Where HTTPS_PROXY/HTTP_PROXY/NO_PROXY are read when no proxy is configured; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

const CLIENT_CERT = { store: 'SSLClientCert', type: 'SSLClientCertType', password: 'SSLClientCertPassword', subject: 'SSLClientCertSubject' };
const PROXY_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/** Marks a connection refused because of the server's certificate; http-errors turns it into HV00N. */
export class UntrustedServerError extends Error {
  readonly code = 'ERR_JSM_TLS_UNTRUSTED';
  constructor(readonly reason: string) {
    super(`the server's TLS certificate is not trusted (${reason})`);
  }
}

function clientTls(cert: NonNullable<TransportSecurity['clientCert']>): ConnectionOptions {
  const store = readCertStore(cert.store, cert.type, CLIENT_CERT);
  if (!anySubject(cert.subject)) {
    // the named certificate and its key: Node given the whole store would present its first pair
    const { key, certificate, chain } = keyPairOf(store, cert.password, CLIENT_CERT, cert.subject);
    return { key: key.export({ type: 'pkcs8', format: 'pem' }), cert: [certificate, ...chain].map((c) => c.toString()).join('') };
  }
  // opened here, so that a wrong password or a store without a key is named at start
  privateKeyOf(store, cert.password, CLIENT_CERT);
  const passphrase = cert.password === '' ? undefined : cert.password;
  return store.kind === 'pem' ? { key: store.pem, cert: store.pem, passphrase } : { pfx: store.der, passphrase };
}

/** Node's TLS options for the site, and the server policy that the connector checks itself. */
function tlsOptions(security: TransportSecurity): { tls: ConnectionOptions; policy?: ServerCertPolicy } {
  const tls: ConnectionOptions = security.clientCert?.store ? clientTls(security.clientCert) : {};
  const policy = parseServerCert(security.serverCert ?? '');
  // The connector decides (machine trust or the pin); Node must hand it the socket either way.
  if (policy) tls.rejectUnauthorized = false;
  // A pinned CA certificate is trusted as one, so a server certificate it issued verifies as usual.
  if (policy?.kind === 'pinned' && policy.certificates.length) tls.ca = [...rootCertificates, ...policy.certificates.map((c) => c.toString())];
  return { tls, policy };
}

type Connect = buildConnector.connector;

/**
 * TLS alerts the server sent after the handshake, by origin. With TLS 1.3 a server that wants a
 * client certificate says so only once the request is sent; undici then reports a closed socket,
 * and this is how the error can still say why.
 */
const tlsAlerts = new Map<string, { code: string; at: number }>();

export function recentTlsAlert(origin: string, withinMs = 60_000): string | undefined {
  const alert = tlsAlerts.get(origin);
  return alert && Date.now() - alert.at <= withinMs ? alert.code : undefined;
}

function originOf(opts: buildConnector.Options): string {
  try {
    return new URL(`${opts.protocol}//${opts.hostname}${opts.port ? `:${opts.port}` : ''}`).origin;
  } catch {
    return '';
  }
}

/** Accepts what the machine trusts, or what matches SSLServerCert; closes anything else unused. */
function verifying(inner: Connect, policy: ServerCertPolicy | undefined): Connect {
  return (opts, callback) =>
    inner(opts, (err, socket) => {
      if (err || !socket) return callback(err as Error, null);
      // plain http (an http:// origin tunnelled through a proxy): no certificate to check
      if (!('getPeerCertificate' in socket)) return callback(null, socket);
      const tlsSocket = socket as TLSSocket;
      const origin = originOf(opts);
      tlsSocket.on('error', (e: { code?: unknown }) => {
        if (typeof e.code === 'string' && e.code.startsWith('ERR_SSL_')) tlsAlerts.set(origin, { code: e.code, at: Date.now() });
      });
      if (!policy || tlsSocket.authorized || policy.kind === 'any' || matchesPin(policy, tlsSocket.getPeerCertificate(true))) {
        return callback(null, socket);
      }
      tlsSocket.destroy();
      callback(new UntrustedServerError(String(tlsSocket.authorizationError ?? 'not the SSLServerCert certificate')), null);
    });
}

function proxyToken(proxy: NonNullable<TransportSecurity['proxy']>): string | undefined {
  if (!proxy.user) return undefined;
  return `Basic ${Buffer.from(`${proxy.user}:${proxy.password ?? ''}`, 'utf8').toString('base64')}`;
}

export interface SiteDispatcher {
  /** Distinguishes sites of one origin reached differently; a digest, so no secret is kept in it. */
  key: string;
  /** Builds the dispatcher (reads the certificate files); called once per site. */
  create(): Dispatcher;
}

const POOL_OPTIONS = { keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 };

/**
 * The dispatcher for one origin. No security settings and no proxy in the environment give the
 * plain Pool the gateway always used; anything else, an undici agent configured for it.
 */
export function siteDispatcher(origin: string, security: TransportSecurity = {}): SiteDispatcher {
  const env = security.env ?? process.env;
  const envProxy = PROXY_ENV.filter((name) => env[name]).map((name) => `${name}=${env[name]}`);
  const key = createHash('sha256')
    .update(JSON.stringify({ serverCert: security.serverCert, clientCert: security.clientCert, proxy: security.proxy, envProxy }))
    .digest('hex')
    .slice(0, 16);
  return { key, create: () => createDispatcher(origin, security, env, envProxy) };
}

function createDispatcher(origin: string, security: TransportSecurity, env: Readonly<Record<string, string | undefined>>, envProxy: string[]): Dispatcher {
  const { tls, policy } = tlsOptions(security);
  const noTls = Object.keys(tls).length === 0;
  // A fresh pool per origin with the site's TLS options and the pin check wrapped around the connect.
  const factory = (o: string | URL, options: Pool.Options = {}): Dispatcher => {
    const connect = options.connect;
    const inner: Connect = typeof connect === 'function' ? connect : buildConnector({ ...tls, ...connect, ...(policy ? { maxCachedSessions: 0 } : {}) });
    return new Pool(o, { ...options, ...POOL_OPTIONS, connect: verifying(inner, policy) });
  };
  if (security.proxy?.server) {
    const { server, port } = security.proxy;
    const uri = /^[a-z]+:\/\//i.test(server) ? `${server.replace(/\/+$/, '')}:${port}` : `http://${server}:${port}`;
    const token = proxyToken(security.proxy);
    return new ProxyAgent({ uri, ...(token ? { token } : {}), requestTls: tls, factory });
  }
  if (envProxy.some((e) => !/^no_proxy=/i.test(e))) {
    const pick = (a: string, b: string) => env[a] ?? env[b];
    return new EnvHttpProxyAgent({
        httpProxy: pick('HTTP_PROXY', 'http_proxy'),
        httpsProxy: pick('HTTPS_PROXY', 'https_proxy'),
        noProxy: pick('NO_PROXY', 'no_proxy'),
        requestTls: tls,
        connect: tls,
      factory,
    } as EnvHttpProxyAgent.Options);
  }
  // plain http keeps the plain Pool; https gets the connector that checks pins and records alerts
  return noTls && !policy && !origin.startsWith('https:') ? new Pool(origin, POOL_OPTIONS) : factory(origin);
}
