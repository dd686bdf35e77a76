import { Pool } from 'undici';
import { Semaphore } from './semaphore.ts';

/** One keep-alive pool and one concurrency budget per JSM origin, shared by every client in the process. */
export interface Site {
  readonly origin: string;
  readonly pool: Pool;
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
export function siteFor(origin: string, maxConcurrency: number): Site {
  let site = sites.get(origin);
  if (!site) {
    site = {
      origin,
      // The semaphore caps in-flight requests; the pool may open as many sockets as that allows.
      pool: new Pool(origin, { keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 }),
      slots: new Semaphore(maxConcurrency),
    };
    sites.set(origin, site);
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
