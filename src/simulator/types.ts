/** Public option and handle types of the simulator; re-exported by index.ts. */
import type { SimOAuth1Control, SimOAuth1Options } from './oauth1-provider.ts';
import type { SimOAuthControl } from './oauth2-server.ts';
import type { RunningSso, SimSsoOptions } from './idp-types.ts';

export type SimScale = 'small' | 'medium' | 'large';

export interface SimFaults {
  /** Added before every API call is answered. */
  latencyMs: number;
  /** Token-bucket rate (and burst size) in calls per second; 0 turns rate limiting off. */
  rateLimitPerSecond: number;
  /** Share of API calls answered with a 5xx, 0..1. */
  errorRate: number;
  /** Share of API calls whose socket is destroyed before any response, 0..1. */
  resetRate: number;
  /**
   * Share of write calls (POST/PUT/DELETE under /rest/) answered 500 without
   * being applied, 0..1: the failure a client may safely retry.
   */
  writeErrorRate: number;
  /**
   * Share of write calls that are applied (the handler changes the store) and
   * whose socket is then destroyed before any response byte, 0..1: the client
   * cannot tell whether the write happened, as when a real response is lost.
   * Only writes the handler accepted (2xx) are hit; a rejected write answers.
   */
  lostResponseRate: number;
  /** When > 0, every response body is trickled out over this many milliseconds. */
  slowBodyMs: number;
}

export interface SimLogger {
  info(o: object, msg?: string): void;
}

export interface SimulatorOptions {
  /** 0 = any free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 1. */
  seed?: number;
  /** Default 'small'. */
  scale?: SimScale;
  /**
   * Largest inline page of an expanded collection (a request's comments, participants, SLAs and
   * status history under expand=…); default the endpoint's maximum. Lower models sites that inline
   * fewer, so readers must fetch the rest from the collection's own endpoint.
   */
  inlinePageSize?: number;
  faults?: Partial<SimFaults>;
  logger?: SimLogger;
  /** Serve HTTPS with this key and certificate; with requestCert, only clients with a certificate signed by ca. */
  tls?: { key: string; cert: string; ca?: string; requestCert?: boolean; rejectUnauthorized?: boolean };
  /** Jira's OAuth 1.0a provider for application links, with these consumers. */
  oauth1?: SimOAuth1Options;
  /** Identity providers (Okta, Crowd) on their own ports, and JSM's SAML consumer trusting them. */
  sso?: SimSsoOptions;
}

export interface RunningSimulator {
  /** http://HOST:PORT, no trailing slash. */
  url: string;
  port: number;
  setFaults(f: Partial<SimFaults>): void;
  /** The OAuth 2.0 (3LO) authorization server and API gateway: token lifetime, expiry, rotation, calls. */
  oauth: SimOAuthControl;
  /** Restores the seeded data and clears faults and the call log. */
  reset(): void;
  close(): Promise<void>;
  /** Present when started with `oauth1`. */
  oauth1?: SimOAuth1Control;
  /** Present when started with `sso`. */
  sso?: RunningSso;
}

export const NO_FAULTS: SimFaults = Object.freeze({
  latencyMs: 0,
  rateLimitPerSecond: 0,
  errorRate: 0,
  resetRate: 0,
  writeErrorRate: 0,
  lostResponseRate: 0,
  slowBodyMs: 0,
});

export const SIM_SCALES: readonly SimScale[] = ['small', 'medium', 'large'];
