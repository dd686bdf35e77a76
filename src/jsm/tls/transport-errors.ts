/**
 * Failures of the way to JSM rather than of JSM: an untrusted server certificate, a client
 * certificate the server refused, a proxy that refused the tunnel or its credentials. Each is
 * final (a retry meets the same certificate or proxy) and names the property to check.
 */
import { PgError, SqlState } from '../../errors/index.ts';
import { recentTlsAlert } from './transport-security.ts';

const UNTRUSTED = new Set([
  'ERR_JSM_TLS_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function messages(err: unknown): string {
  const out: string[] = [];
  for (let e = err as { message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.message === 'string') out.push(e.message);
  }
  return out.join(' / ');
}

/** `peer`: who is at `origin`, for the message (an identity provider is reached with the same settings). */
export function transportSecurityError(observed: string, err: unknown, origin: string, detail: string, peer = 'JSM'): PgError | undefined {
  // a socket closed right after the server sent a TLS alert: the alert is the reason
  const code = observed === 'UND_ERR_SOCKET' || observed === 'ECONNRESET' ? (recentTlsAlert(origin) ?? observed) : observed;
  if (UNTRUSTED.has(code)) {
    const reason = code === 'ERR_JSM_TLS_UNTRUSTED' ? String((err as { reason?: unknown }).reason ?? code) : code;
    return new PgError(
      SqlState.FdwUnableToEstablishConnection,
      `TLS handshake with ${peer} at ${origin} failed: its certificate is not trusted (${reason})`,
      {
        detail,
        hint: "Set SSLServerCert to the server's certificate (PEM or a file), its public key or its SHA-1 thumbprint; '*' accepts any certificate and is not recommended",
      },
      { cause: err },
    );
  }
  if (/^ERR_SSL_.*(CERTIFICATE|UNKNOWN_CA|HANDSHAKE_FAILURE)/.test(code)) {
    return new PgError(
      SqlState.FdwUnableToEstablishConnection,
      `TLS handshake with ${peer} at ${origin} failed: the server refused the client certificate (${code})`,
      { detail, hint: 'Check SSLClientCert, SSLClientCertType and SSLClientCertSubject: JSM (or its proxy) requires a certificate it trusts' },
      { cause: err },
    );
  }
  const proxy = /Proxy response \((\d+)\)/.exec(messages(err));
  if (proxy) {
    const status = Number(proxy[1]);
    if (status === 407) {
      return new PgError(
        SqlState.InvalidAuthorizationSpecification,
        `the proxy refused the gateway's credentials on the way to ${peer} at ${origin} (HTTP 407)`,
        { detail, hint: 'Check ProxyUser and ProxyPassword (or the credentials in HTTPS_PROXY)' },
        { cause: err },
      );
    }
    return new PgError(
      SqlState.FdwUnableToEstablishConnection,
      `the proxy refused the tunnel to ${peer} at ${origin} (HTTP ${status})`,
      { detail, hint: 'Check ProxyServer and ProxyPort (or HTTPS_PROXY and NO_PROXY)' },
      { cause: err },
    );
  }
  return undefined;
}
