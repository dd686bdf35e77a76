import { freeMemoryMb, SESSION_BUDGET_MB } from '../config/machine-limits.ts';
import { PgError, SqlState } from '../errors/index.ts';

/** Gives back a slot; calling it again does nothing, so every exit path may call it. */
export type Release = () => void;

/** A counted resource: at most `max` holders at once. */
export class Slots {
  private used = 0;
  constructor(readonly max: number) {}

  take(): Release | undefined {
    if (this.used >= this.max) return undefined;
    this.used++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.used--;
    };
  }

  get inUse(): number {
    return this.used;
  }
}

/** Addresses remembered at most; past it the oldest are forgotten first (a spray of addresses costs bounded memory). */
const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * Failed logins per client address in a fixed window from the first failure. Once an address
 * reaches the limit its new logins are refused until the window ends. Successes do not clear the
 * count: otherwise one valid account would let its holder keep guessing at others.
 */
export class FailedLogins {
  private readonly byAddress = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The refusal for an address that failed too often in the current window. */
  refusal(address: string): PgError | undefined {
    if (this.limit === 0) return undefined;
    const entry = this.current(address);
    if (!entry || entry.count < this.limit) return undefined;
    const seconds = Math.ceil((entry.since + this.windowMs - this.now()) / 1000);
    return new PgError(SqlState.TooManyConnections, `too many failed login attempts from ${address}; try again in ${seconds} s`, {
      hint: `Logins from an address are refused for the rest of the window after ${this.limit} failures in ${Math.round(this.windowMs / 1000)} s (server options --auth-failure-limit and --auth-failure-window).`,
    });
  }

  record(address: string): void {
    if (this.limit === 0) return;
    const entry = this.current(address);
    if (entry) {
      entry.count++;
      return;
    }
    if (this.byAddress.size >= MAX_TRACKED_ADDRESSES) this.forgetExpired();
    if (this.byAddress.size >= MAX_TRACKED_ADDRESSES) this.byAddress.delete(this.byAddress.keys().next().value!);
    this.byAddress.set(address, { count: 1, since: this.now() });
  }

  private current(address: string): { count: number; since: number } | undefined {
    const entry = this.byAddress.get(address);
    if (entry && this.now() - entry.since >= this.windowMs) {
      this.byAddress.delete(address);
      return undefined;
    }
    return entry;
  }

  /** Entries are kept in the order of their window's start, so the expired ones are at the front. */
  private forgetExpired(): void {
    for (const [address, entry] of this.byAddress) {
      if (this.now() - entry.since < this.windowMs) return;
      this.byAddress.delete(address);
    }
  }
}

export interface LoginLimitOptions {
  maxSessions: number;
  maxHandshakes: number;
  authFailureLimit: number;
  authFailureWindowMs: number;
  /** Megabytes free now (os.freemem()); replaceable for tests. */
  freeMemoryMb?: () => number;
}

/** What stands between a socket and a session: handshake slots, session slots, failed-login throttling. */
export class LoginLimits {
  /** Connections that have not finished logging in (including TLS and SCRAM). */
  readonly handshakes: Slots;
  /** Authenticated sessions: taken only once the password has been checked. */
  readonly sessions: Slots;
  readonly failures: FailedLogins;
  private readonly freeMemoryMb: () => number;

  constructor(opts: LoginLimitOptions, now?: () => number) {
    this.handshakes = new Slots(opts.maxHandshakes);
    this.sessions = new Slots(opts.maxSessions);
    this.failures = new FailedLogins(opts.authFailureLimit, opts.authFailureWindowMs, now);
    this.freeMemoryMb = opts.freeMemoryMb ?? recentFreeMemoryMb();
  }

  /**
   * Why a new session could not start now, asked at the startup packet so that the client hears it
   * at once, before the password exchange (as PostgreSQL refuses before authentication): every
   * --max-sessions slot is taken, or the machine has too little memory left for another engine.
   * The slot itself is taken after the password was checked (a race lost in between is refused
   * there, with the same error).
   */
  sessionRefusal(): PgError | undefined {
    if (this.sessions.inUse >= this.sessions.max) return tooManyClients(this.sessions.max);
    const free = this.freeMemoryMb();
    if (free < SESSION_BUDGET_MB) {
      return new PgError(SqlState.TooManyConnections, `sorry, too many clients already: ${Math.floor(free)} MB of memory free, a new session needs about ${SESSION_BUDGET_MB} MB`, {
        hint: 'Close idle sessions, or run the gateway where it has more memory.',
      });
    }
    return undefined;
  }
}

/** How long a reading of the free memory serves: a crowd's logins read /proc/meminfo once, not once each. */
const FREE_MEMORY_READING_MS = 250;

function recentFreeMemoryMb(): () => number {
  let at = -Infinity;
  let value = 0;
  return () => {
    const now = performance.now();
    if (now - at > FREE_MEMORY_READING_MS) {
      value = freeMemoryMb();
      at = now;
    }
    return value;
  };
}

export function tooManyClients(max: number): PgError {
  return new PgError(SqlState.TooManyConnections, 'sorry, too many clients already', {
    hint: `This gateway serves at most ${max} sessions at once (--max-sessions).`,
  });
}
