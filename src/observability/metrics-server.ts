// The --metrics-port listener: plain HTTP, GET (or HEAD) /metrics and nothing else.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { GatewayMetrics } from './metrics.ts';

export interface MetricsServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  metrics: GatewayMetrics;
  logger: Logger;
}

function reply(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}

export async function serveMetrics(opts: MetricsServerOptions): Promise<MetricsServer> {
  const { metrics, logger } = opts;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?', 1)[0];
    const head = req.method === 'HEAD';
    if (path !== '/metrics' || (req.method !== 'GET' && !head)) return reply(res, 404, 'text/plain; charset=utf-8', 'not found; try GET /metrics\n', head);
    try {
      const { contentType, text } = await metrics.exposition();
      reply(res, 200, contentType, text, head);
    } catch (err) {
      logger.warn({ err }, 'metrics scrape failed');
      reply(res, 500, 'text/plain; charset=utf-8', 'metrics could not be collected\n', head);
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.warn({ err: err.message }, 'metrics listener error'));
  const addr = server.address() as AddressInfo;
  logger.info({ host: addr.address, port: addr.port }, 'metrics endpoint listening (GET /metrics)');
  return {
    host: addr.address,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // keep-alive connections of scrapers would otherwise hold close() open
        server.closeAllConnections();
      }),
  };
}
