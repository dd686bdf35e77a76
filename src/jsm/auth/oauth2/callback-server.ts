/**
 * The loopback listener of the browser flow: receives the authorization server's redirect at
 * CallbackURL (code and state), hands the code to the authorization waiting for that state, and
 * answers the browser with a small page. One listener per host and port for the process (several
 * identities may share an app and its callback); it closes when nobody waits any more.
 * A redirect whose state no authorization here is waiting for is refused (400) and logged: it was
 * not started by this gateway (a forged or replayed link), so its code is never exchanged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export interface Waiting {
  /** The callback's path: a redirect to another path of the port is not this authorization's. */
  readonly path: string;
  /** Exchanges the code and stores the tokens; its error message is shown to the browser (no secrets in it). */
  complete(code: string): Promise<void>;
  readonly logger?: Logger;
}

interface Listener {
  server: Server;
  waiting: Map<string, Waiting>;
  logger?: Logger;
}

const listeners = new Map<string, Promise<Listener>>();

/** Only a plain-http loopback callback can be served here; anything else is for the headless flow. */
export function loopbackCallback(callbackUrl: string | undefined): { url: URL } | { reason: string } {
  if (!callbackUrl) return { reason: 'CallbackURL is not set' };
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return { reason: 'CallbackURL is not a URL' };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  if (url.protocol !== 'http:' || !loopback) return { reason: `CallbackURL ${url.origin} is not a loopback http:// address (127.0.0.1, localhost or [::1]) the gateway could listen on` };
  return { url };
}

const keyOf = (url: URL) => `${url.hostname}:${url.port || '80'}`;

/**
 * Waits for the redirect of the authorization `state` at `callback`; the answer releases the wait
 * (also called once the tokens arrived some other way). Rejects when the port cannot be listened on.
 */
export async function waitForCallback(callback: URL, state: string, waiting: Waiting): Promise<() => void> {
  const key = keyOf(callback);
  let pending = listeners.get(key);
  if (!pending) {
    pending = listen(callback, waiting.logger);
    listeners.set(key, pending);
    pending.catch(() => listeners.delete(key));
  }
  const listener = await pending;
  listener.waiting.set(state, waiting);
  return () => {
    if (!listener.waiting.delete(state) || listener.waiting.size > 0) return;
    // nobody waits: stop listening (a later authorization listens again)
    if (listeners.get(key) === pending) listeners.delete(key);
    // the browser being answered keeps its connection until the page is sent (connection: close)
    listener.server.close();
    listener.server.closeIdleConnections();
  };
}

function listen(callback: URL, logger: Logger | undefined): Promise<Listener> {
  const listener: Listener = { server: createServer(), waiting: new Map(), logger };
  listener.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void answer(listener, req, res).catch((err: unknown) => {
      listener.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'OAuth 2.0 callback: answering the browser failed');
      res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    listener.server.once('error', reject);
    listener.server.listen(Number(callback.port || 80), callback.hostname.replace(/^\[|\]$/g, ''), () => {
      listener.server.off('error', reject);
      // a gateway waiting for a browser must not be what keeps a process from exiting
      listener.server.unref();
      resolve(listener);
    });
  });
}

async function answer(listener: Listener, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://callback.invalid');
  if (req.method !== 'GET') return page(res, 405, 'Not allowed', 'This address only receives the authorization redirect.');
  const q = url.searchParams;
  const state = q.get('state');
  const waiting = state ? listener.waiting.get(state) : undefined;
  if (!waiting || waiting.path !== url.pathname) {
    // not started here: never exchanged; logged without the values (a code may still be someone's)
    (waiting?.logger ?? listener.logger)?.warn({ path: url.pathname, state: state ? 'unknown' : 'missing' }, 'OAuth 2.0 callback refused: its state is not one this gateway is waiting for');
    return page(res, 400, 'Authorization refused', 'This link was not started by this gateway (its state is missing or unknown), so it was ignored. Use the authorization URL the gateway logged.');
  }
  const log = waiting.logger ?? listener.logger;
  const error = q.get('error');
  if (error) {
    log?.warn({ error: error.slice(0, 100) }, 'OAuth 2.0 callback: the authorization server did not grant access');
    return page(res, 400, 'Authorization not granted', `The authorization server answered ${error.slice(0, 100)}. Open the authorization URL again to retry.`);
  }
  const code = q.get('code');
  if (!code) return page(res, 400, 'Authorization refused', 'The redirect carries no code.');
  try {
    await waiting.complete(code);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log?.warn({ err: message }, 'OAuth 2.0 callback: the code could not be exchanged');
    return page(res, 502, 'Authorization failed', `${message} Open the authorization URL again to retry.`);
  }
  log?.info('OAuth 2.0: authorized in the browser; the tokens are stored');
  return page(res, 200, 'Authorized', 'jsm-pg has its tokens. You can close this window.');
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const body = `<!doctype html><meta charset="utf-8"><title>jsm-pg: ${escape(title)}</title><h1>${escape(title)}</h1><p>${escape(text)}</p>\n`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    // the address holds the code: not to be sent on as a referrer
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'",
    connection: 'close',
  });
  res.end(body);
}
