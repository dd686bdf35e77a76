/**
 * Names what a client speaks when its first bytes cannot start a PostgreSQL startup packet, so the
 * log says why the connection was dropped. Such clients get no PostgreSQL error message: they
 * could not read it.
 */

const HTTP_METHODS = ['GET ', 'POST', 'PUT ', 'HEAD', 'DELE', 'OPTI', 'PATC', 'CONN', 'TRAC', 'PRI '];

export function foreignProtocol(head: Uint8Array): string | undefined {
  if (head.length < 4) return undefined;
  const start = Buffer.from(head.buffer, head.byteOffset, 4).toString('latin1');
  if (HTTP_METHODS.includes(start)) return 'HTTP request';
  // A TLS record of type handshake (22) and version 3.x: a client that did not send SSLRequest first
  // (PostgreSQL 17's sslnegotiation=direct, or an HTTPS client).
  if (head[0] === 0x16 && head[1] === 0x03) return 'TLS handshake without SSLRequest';
  if (start === 'SSH-') return 'SSH client';
  return undefined;
}
