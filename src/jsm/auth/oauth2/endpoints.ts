/**
 * Where the OAuth 2.0 flow talks, chosen by the URL property (the seeds have no property for it):
 * - Atlassian Cloud sites (*.atlassian.net, *.jira.com): 3LO at auth.atlassian.com, requests through
 *   the API gateway api.atlassian.com/ex/jira/{cloudId} (the cloudId from accessible-resources).
 * - Any other URL is Jira Data Center (8.22+, an incoming application link): the site itself
 *   authorizes at {URL}/rest/oauth2/latest/authorize and …/token (context path included), and
 *   requests go to the URL with the bearer token; there is no cloudId.
 * - A stand-in for Atlassian's Cloud services (the simulator, a recording proxy) is named by its
 *   origin (JSM_PG_ATLASSIAN_ORIGIN): a URL at that origin is Cloud, served under the same paths there.
 */
import { parseBaseUrl } from '../../url.ts';

export type OAuthFlavor = 'cloud' | 'datacenter';

export interface OAuthEndpoints {
  readonly flavor: OAuthFlavor;
  readonly issuer: string;
  readonly authorize: string;
  readonly token: string;
  /** Cloud: GET with the access token, the sites (cloudId, url) the token may reach. */
  readonly accessibleResources?: string;
  /** Cloud: origin of the API gateway; requests go to {apiOrigin}/ex/jira/{cloudId}/rest/… */
  readonly apiOrigin?: string;
}

const CLOUD_HOST = /\.(atlassian\.net|jira\.com)$/i;

/** `standIn`: the origin of a stand-in for auth.atlassian.com and api.atlassian.com (JSM_PG_ATLASSIAN_ORIGIN). */
export function endpointsFor(siteUrl: string, standIn?: string): OAuthEndpoints {
  const site = parseBaseUrl(siteUrl);
  const standInOrigin = standIn ? new URL(standIn).origin : undefined;
  if (standInOrigin && site.origin === standInOrigin) return cloud(standInOrigin, standInOrigin);
  if (CLOUD_HOST.test(new URL(site.origin).hostname)) return cloud(standInOrigin ?? 'https://auth.atlassian.com', standInOrigin ?? 'https://api.atlassian.com');
  const base = `${site.origin}${site.basePath}`;
  return {
    flavor: 'datacenter',
    issuer: base,
    authorize: `${base}/rest/oauth2/latest/authorize`,
    token: `${base}/rest/oauth2/latest/token`,
  };
}

function cloud(auth: string, api: string): OAuthEndpoints {
  return {
    flavor: 'cloud',
    issuer: auth,
    authorize: `${auth}/authorize`,
    token: `${auth}/oauth/token`,
    accessibleResources: `${api}/oauth/token/accessible-resources`,
    apiOrigin: api,
  };
}

/** The path prefix of the site's API on the gateway. */
export function gatewayBasePath(cloudId: string): string {
  return `/ex/jira/${encodeURIComponent(cloudId)}`;
}
