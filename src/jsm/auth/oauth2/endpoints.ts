/**
 * Where the 3LO flow talks: Atlassian Cloud sites (*.atlassian.net, *.jira.com) authorize at
 * auth.atlassian.com and are called through the API gateway api.atlassian.com/ex/jira/{cloudId}.
 * Any other URL stands in for both at its own origin, under the same paths (the simulator does;
 * so can a test double or a recording proxy): nothing else about the flow changes.
 */
export interface OAuthEndpoints {
  readonly issuer: string;
  readonly authorize: string;
  readonly token: string;
  /** GET with the access token: the sites (cloudId, url) the token may reach. */
  readonly accessibleResources: string;
  /** Origin of the API gateway; requests go to {apiOrigin}/ex/jira/{cloudId}/rest/… */
  readonly apiOrigin: string;
}

const CLOUD_HOST = /\.(atlassian\.net|jira\.com)$/i;

export function endpointsFor(siteUrl: string): OAuthEndpoints {
  const site = new URL(siteUrl);
  if (CLOUD_HOST.test(site.hostname)) {
    return {
      issuer: 'https://auth.atlassian.com',
      authorize: 'https://auth.atlassian.com/authorize',
      token: 'https://auth.atlassian.com/oauth/token',
      accessibleResources: 'https://api.atlassian.com/oauth/token/accessible-resources',
      apiOrigin: 'https://api.atlassian.com',
    };
  }
  const o = site.origin;
  return {
    issuer: o,
    authorize: `${o}/authorize`,
    token: `${o}/oauth/token`,
    accessibleResources: `${o}/oauth/token/accessible-resources`,
    apiOrigin: o,
  };
}

/** The path prefix of the site's API on the gateway. */
export function gatewayBasePath(cloudId: string): string {
  return `/ex/jira/${encodeURIComponent(cloudId)}`;
}
