// The PostgreSQL listener, bound before anything slow: a taken port must fail in a moment with a
// hint, not after the engines have warmed up (issue 15). Connections that arrive while the gateway
// is still starting wait, accepted, until it serves them.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { PgError, SqlState } from '../errors/index.ts';

export interface Listener {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** From now on connections go to `onConnection`, first those that arrived before (unless they went away). */
  serve(onConnection: (socket: Socket) => void): void;
  /** Stops listening and drops connections not yet served; calling it again does nothing. */
  close(): Promise<void>;
}

/** Binds `host`:`port` (0: a free port); a port in use or not allowed is a PgError that says what to do. */
export async function listen(host: string, port: number): Promise<Listener> {
  const server = createServer();
  let waiting: Socket[] | undefined = [];
  const hold = (socket: Socket) => {
    socket.on('error', () => undefined); // a client that resets while it waits
    waiting?.push(socket);
  };
  server.on('connection', hold);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(listenError(err as NodeJS.ErrnoException, host, port)));
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    server,
    host: addr.address,
    port: addr.port,
    serve(onConnection) {
      server.off('connection', hold);
      server.on('connection', onConnection);
      const early = waiting ?? [];
      waiting = undefined;
      for (const socket of early) if (!socket.destroyed) onConnection(socket);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        for (const socket of waiting ?? []) socket.destroy();
        waiting = [];
      });
      return closed;
    },
  };
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  const portHint = `Start with --port N to use another port (e.g. --port ${port === 6543 ? 6544 : 6543}), or --port 0 for any free one.`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new PgError(SqlState.InvalidParameterValue, `cannot listen on ${where}: port ${port} is already in use (another PostgreSQL server or jsm-pg?)`, { hint: portHint });
    case 'EACCES':
      return new PgError(SqlState.InvalidParameterValue, `cannot listen on ${where}: not allowed to bind port ${port}`, { hint: `Ports below 1024 need privileges. ${portHint}` });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new PgError(SqlState.InvalidParameterValue, `cannot listen on ${where}: ${host} is not an address of this machine`, { hint: 'Start with --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface).' });
    default:
      return new PgError(SqlState.InvalidParameterValue, `cannot listen on ${where}: ${err.message}`);
  }
}
