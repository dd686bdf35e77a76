import { createHmac, randomBytes } from 'node:crypto';
import type { AuthProvider } from './auth/index.ts';
import type { SiteAddress } from './url.ts';

// Keyed per process so a leaked identityKey cannot be brute-forced offline back
// to a short password; the key only has to be stable for this process's cache.
const processKey = randomBytes(32);

/**
 * Clients with equal keys talk to the same site as the same principal in the same language
 * (Accept-Language changes translated names): JSM answers them alike, so they may share cached results.
 */
export function computeIdentityKey(site: SiteAddress, auth: AuthProvider, language = ''): string {
  const hmac = createHmac('sha256', processKey);
  hmac.update(`${site.origin}${site.basePath}\n${language}\n${auth.identityMaterial()}`);
  return `jsm:${hmac.digest('base64url').slice(0, 32)}`;
}
