import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  /** Raw request target exactly as received. */
  url: string;
  pathname: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (
  call: RecordedCall,
  res: http.ServerResponse,
  req: http.IncomingMessage,
) => void | Promise<void>;

export interface FakeJsm {
  baseUrl: string;
  calls: RecordedCall[];
  /** Highest number of requests the server was handling at the same moment. */
  maxConcurrent: number;
  /** Requests whose connection closed before a response was finished. */
  abandoned: number;
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeJsm(handler: Handler): Promise<FakeJsm> {
  let current = handler;
  let inFlight = 0;
  const fake: FakeJsm = {
    baseUrl: '',
    calls: [],
    maxConcurrent: 0,
    abandoned: 0,
    setHandler: (h) => {
      current = h;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    inFlight++;
    fake.maxConcurrent = Math.max(fake.maxConcurrent, inFlight);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      inFlight--;
    };
    res.on('finish', finish);
    res.on('close', () => {
      if (!res.writableFinished) fake.abandoned++;
      finish();
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const call: RecordedCall = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        pathname: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      fake.calls.push(call);
      Promise.resolve(current(call, res, req)).catch((err: unknown) => {
        json(res, 500, { errorMessage: `fake handler failed: ${String(err)}` });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

export interface PagedOptions {
  total: number;
  /** The server clamps `limit` to this, as JSM does. */
  maxLimit?: number;
  delayMs?: number;
}

/** A servicedesk-style paged collection of rows { id: n }. */
export function pagedHandler(o: PagedOptions): Handler {
  return async (call, res) => {
    if (o.delayMs) await delay(o.delayMs);
    const start = Number(call.query.get('start') ?? 0);
    const limit = Math.min(Number(call.query.get('limit') ?? 50), o.maxLimit ?? Infinity);
    const values = [];
    for (let i = start; i < Math.min(start + limit, o.total); i++) values.push({ id: i });
    json(res, 200, { size: values.length, start, limit, isLastPage: start + limit >= o.total, values });
  };
}

export const agent = { authScheme: 'APIToken' as const, user: 'agent@example.com', apiToken: 'tok-SECRET-123' };

/** Collects everything the async iterator yields, page by page. */
export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}
