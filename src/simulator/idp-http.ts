/** The little HTTP the simulated identity providers need: bodies, cookies, JSON, HTML and redirects. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http-io.ts';

export interface IdpRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  cookies: Record<string, string>;
  body: Buffer;
}

export interface IdpReply {
  status: number;
  headers?: Record<string, string | string[]>;
  json?: unknown;
  html?: string;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

export function jsonBody(req: IdpRequest): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(req.body.toString('utf8') || '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export const redirect = (location: string, cookies: string[] = []): IdpReply => ({
  status: 302,
  headers: { location, ...(cookies.length ? { 'set-cookie': cookies } : {}) },
});

export interface IdpServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `handle` on a free port of `host`; a handler that throws answers 500. */
export async function serveIdp(host: string, handle: (req: IdpRequest) => IdpReply | Promise<IdpReply>): Promise<IdpServer> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      let reply: IdpReply;
      try {
        const url = new URL(req.url ?? '/', 'http://idp.invalid');
        const body = await readBody(req);
        reply = await handle({ method: req.method ?? 'GET', url, headers: req.headers, cookies: parseCookies(req.headers.cookie), body });
      } catch (err) {
        reply = { status: 500, json: { errorSummary: String(err) } };
      }
      const payload = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.html ?? '');
      const type = reply.json !== undefined ? 'application/json' : 'text/html;charset=utf-8';
      res.writeHead(reply.status, { ...(payload ? { 'content-type': type } : {}), 'content-length': String(Buffer.byteLength(payload)), ...reply.headers });
      res.end(payload);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
