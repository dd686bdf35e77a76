import type { Dispatcher } from 'undici';
import { Semaphore } from './semaphore.ts';
import { siteDispatcher, type TransportSecurity } from './tls/transport-security.ts';

/** One keep-alive pool and one concurrency budget per JSM origin, shared by every client in the process. */
export interface Site {
  readonly origin: string;
  /** A Pool for the origin, or an undici agent when TLS settings or a proxy apply. */
  readonly pool: Dispatcher;
  readonly slots: Semaphore;
}

const sites = new Map<string, Site>();

/**
 * Sites live for the process: a gateway talks to a handful of origins, idle
 * sockets expire through keep-alive, and keeping the pool avoids racing a
 * closing pool against requests that another session shares (coalescing).
 * The concurrency limit follows the most recently constructed client, since
 * all sessions are normally configured alike.
 */
export function siteFor(origin: string, maxConcurrency: number, security?: TransportSecurity): Site {
  // One origin reached with other TLS settings or another proxy is another site (its own sockets).
  const reach = siteDispatcher(origin, security);
  const key = `${origin}\n${reach.key}`;
  let site = sites.get(key);
  if (!site) {
    site = {
      origin,
      // The semaphore caps in-flight requests; the pool may open as many sockets as that allows.
      pool: reach.create(),
      slots: new Semaphore(maxConcurrency),
    };
    sites.set(key, site);
  } else if (site.slots.limit !== maxConcurrency) {
    site.slots.setLimit(maxConcurrency);
  }
  return site;
}

/** For process shutdown: closes every pool. Clients created afterwards get fresh pools. */
export async function closeJsmSites(): Promise<void> {
  const all = [...sites.values()];
  sites.clear();
  await Promise.all(all.map((site) => site.pool.destroy()));
}
