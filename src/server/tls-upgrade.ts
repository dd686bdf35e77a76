import { once } from 'node:events';
import { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import type { PostgresConnectionAdapters } from 'pg-gateway';

type Upgrade = NonNullable<PostgresConnectionAdapters['upgradeTls']>;

/** A stream pair that is already over: pg-gateway reads its end and finishes the connection quietly. */
function ended(): { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> } {
  return { readable: new ReadableStream({ start: (c) => c.close() }), writable: new WritableStream() };
}

/**
 * The SSLRequest upgrade for pg-gateway, as its Node adapter does it, except when the handshake
 * fails. A client that rejects the certificate (psql sslmode=verify-full with another CA) aborts
 * the handshake; pg-gateway's own adapter then throws from its error path ("WritableStream is
 * locked") as an unhandled rejection, which ends the whole gateway process. Here the failed
 * connection alone is closed.
 */
export function tlsUpgrade(onFailure: (err: unknown) => void): Upgrade {
  return async (duplex, options) => {
    const { key, cert } = typeof options === 'function' ? await options() : options;
    const socket = new TLSSocket(Duplex.fromWeb(duplex as never), { isServer: true, key: Buffer.from(key), cert: Buffer.from(cert) });
    try {
      await once(socket, 'secure');
    } catch (err) {
      socket.destroy();
      onFailure(err);
      return { duplex: ended(), tlsInfo: {} };
    }
    return { duplex: Duplex.toWeb(socket) as never, tlsInfo: {} };
  };
}
