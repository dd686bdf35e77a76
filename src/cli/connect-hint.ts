// The ready-to-paste psql command printed once the gateway listens.

/** The database name clients connect to; the gateway serves one. */
export const DATABASE_NAME = 'jsm';

export interface ConnectHintInput {
  host: string;
  port: number;
  tls: boolean;
  /** Demo credentials are public, so demo mode prints a complete URL including them. */
  demoUser?: { name: string; password: string };
}

/** A wildcard bind address is not something a client can dial; point at loopback instead. */
function dialableHost(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}

export function psqlCommand(input: ConnectHintInput): string {
  const host = dialableHost(input.host);
  if (input.demoUser) {
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const user = encodeURIComponent(input.demoUser.name);
    const password = encodeURIComponent(input.demoUser.password);
    const query = input.tls ? '?sslmode=require' : '';
    return `psql "postgresql://${user}:${password}@${urlHost}:${input.port}/${DATABASE_NAME}${query}"`;
  }
  const ssl = input.tls ? ' sslmode=require' : '';
  return `psql "host=${host} port=${input.port} user=<you> dbname=${DATABASE_NAME}${ssl}"`;
}
