import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/index.ts';
import { JsmClient, type AuthSchemeName } from '../jsm/index.ts';

/** The gateway's one JSM client: every session of this gateway speaks to JSM as the configured identity. */
export function jsmClientFromConfig(config: GatewayConfig, logger: Logger): JsmClient {
  const c = config.connection as unknown as Record<string, unknown>;
  const str = (k: string) => (typeof c[k] === 'string' && c[k] !== '' ? (c[k] as string) : undefined);
  const scheme = (str('AuthScheme') ?? 'Auto') as AuthSchemeName;
  return new JsmClient({
    baseUrl: str('URL')!,
    credentials: {
      authScheme: scheme,
      user: str('User'),
      password: str('Password'),
      apiToken: str('APIToken'),
      oauthAccessToken: str('OAuthAccessToken'),
    },
    // The per-request timeout; the statement-level Timeout property is enforced by the session.
    timeoutMs: 60_000,
    maxConcurrency: Number(c.MaxConcurrency ?? 8),
    cacheTtlMs: Number(c.CacheTTL ?? 300) * 1000,
    language: str('RequestLanguage'),
    logger,
  });
}
