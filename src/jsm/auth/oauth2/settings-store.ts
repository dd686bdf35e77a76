/**
 * Where an identity's OAuth values live between connections (OAuthSettingsLocation): an encrypted
 * file, or `memory://name`, shared by every connection of this process that names it (seed 003).
 */
import { homedir } from 'node:os';
import { resolve, sep } from 'node:path';
import { PgError, SqlState } from '../../../errors/index.ts';
import { readSealed, seal, unseal, writeSealed } from './sealed-file.ts';

/** An authorization started by GetOAuthAuthorizationURL, waiting for its code. */
export interface PendingAuthorization {
  readonly state: string;
  /** The PKCE verifier: kept here (encrypted in a file) so a code can be exchanged after a restart (OAuthVerifier). */
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly createdAt: number;
  /** Started by the browser flow: its redirect comes with the state, so a bare code is not for it. */
  readonly browser?: boolean;
}

/** The seed's OAuth values (OAuthAccessToken, OAuthRefreshToken, OAuthExpiresIn, OAuthTokenTimestamp, CloudId). */
export interface OAuthSettings {
  accessToken?: string;
  refreshToken?: string;
  /** Lifetime in seconds from tokenTimestamp; absent when the server said none. */
  expiresIn?: number;
  /** Epoch milliseconds when the access token was issued. */
  tokenTimestamp?: number;
  cloudId?: string;
  pending?: PendingAuthorization[];
}

export interface SettingsStore {
  /** Names the location for errors and for sharing one refresh among connections (never a secret). */
  readonly key: string;
  read(): Promise<OAuthSettings>;
  write(settings: OAuthSettings): Promise<void>;
}

const memory = new Map<string, string>();

class MemoryStore implements SettingsStore {
  constructor(readonly key: string) {}

  async read(): Promise<OAuthSettings> {
    const text = memory.get(this.key);
    return text ? (JSON.parse(text) as OAuthSettings) : {};
  }

  async write(settings: OAuthSettings): Promise<void> {
    // a copy: a caller changing its object later does not change what others read
    memory.set(this.key, JSON.stringify(settings));
  }
}

class FileStore implements SettingsStore {
  readonly #secret: string;

  constructor(
    readonly key: string,
    secret: string,
  ) {
    this.#secret = secret;
  }

  /** The last text read and what it said: ready() reads before every request, and the file rarely changes. */
  #last: { text: string; settings: string } | undefined;

  async read(): Promise<OAuthSettings> {
    // read every time (another gateway sharing the file may have rotated the refresh token); decrypted only when it changed
    const text = await readSealed(this.key);
    if (text === undefined) return {};
    if (this.#last?.text !== text) this.#last = { text, settings: unseal(text, this.#secret, this.key) };
    return JSON.parse(this.#last.settings) as OAuthSettings;
  }

  async write(settings: OAuthSettings): Promise<void> {
    const text = seal(JSON.stringify(settings), this.#secret);
    await writeSealed(this.key, text);
    this.#last = { text, settings: JSON.stringify(settings) };
  }
}

/** The seed's default names %APPDATA%, which is ~/.config off Windows (seed 003's table). */
export function expandLocation(location: string): string {
  const appData = process.env.APPDATA || `${homedir()}${sep}.config`;
  let path = location.replace(/%APPDATA%/gi, appData);
  if (sep === '/') path = path.replace(/\\/g, '/');
  return resolve(path);
}

/**
 * `memory://…` or a file path. A file needs the operator's key (JSM_PG_OAUTH_KEY): tokens are never
 * written in clear, so without one the gateway refuses to start rather than store them readable.
 */
export function openSettingsStore(location: string, secret: string | undefined): SettingsStore {
  if (/^memory:\/\//i.test(location)) return new MemoryStore(location);
  if (!secret) {
    throw new PgError(SqlState.InvalidAuthorizationSpecification, 'OAuthSettingsLocation is a file, and the key that encrypts it is not set', {
      hint: 'Set the environment variable JSM_PG_OAUTH_KEY to a secret of your own (at least 16 characters), or use OAuthSettingsLocation=memory://NAME.',
    });
  }
  if (secret.length < 16) {
    throw new PgError(SqlState.InvalidAuthorizationSpecification, 'JSM_PG_OAUTH_KEY is too short to protect the OAuth settings file: use at least 16 characters');
  }
  return new FileStore(expandLocation(location), secret);
}
