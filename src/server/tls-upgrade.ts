import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';

/**
 * Starts the server side of TLS on a connection whose SSLRequest was just answered 'S'. Call it in
 * the same tick as that write: the TLS socket takes over the connection's handle, so the client's
 * handshake, which can only arrive after the 'S', reaches TLS and never the plain-text reader.
 * A failed handshake (a client that rejects the certificate aborts it) calls `onFailure` once and
 * closes that connection only.
 */
export function upgradeToTls(socket: Socket, secureContext: SecureContext, onFailure: (reason: string) => void): TLSSocket {
  const tls = new TLSSocket(socket, { isServer: true, secureContext });
  let secure = false;
  tls.once('secure', () => (secure = true));
  const fail = (reason: string) => {
    if (secure) return;
    secure = true; // report once
    tls.destroy();
    onFailure(reason);
  };
  tls.on('error', (err) => fail(err.message));
  tls.once('close', () => fail('connection closed during the TLS handshake'));
  return tls;
}
