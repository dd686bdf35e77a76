/** Record of every API call, served by GET /__sim/calls so tests can see what the gateway sent. */
import type { AuthScheme } from './auth.ts';

export interface SimCall {
  method: string;
  path: string;
  /** Repeated parameters become arrays. */
  query: Record<string, string | string[]>;
  /** 0 when the connection was reset before any response. */
  status: number;
  identity: { accountId: string; email: string; scheme: AuthScheme } | null;
  /** The OpenAPI file defines no such path, method or query parameter (known platform endpoints excepted). */
  undefinedBySpec: boolean;
  /** ISO timestamp of arrival (wall clock). */
  at: string;
  /**
   * Set when the simulator injected a fault into this call. `write-error`: answered 500, not
   * applied; `lost-response`: applied, then the socket destroyed (status 0), as `reset` does.
   */
  fault?: 'rate-limit' | 'error' | 'reset' | 'write-error' | 'lost-response';
}

/** Bounded so a long-running simulator under a benchmark does not grow without end. */
const MAX_CALLS = 200_000;

export class CallLog {
  private calls: SimCall[] = [];

  add(call: SimCall): void {
    this.calls.push(call);
    if (this.calls.length > MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
  }

  list(): SimCall[] {
    return this.calls;
  }

  clear(): void {
    this.calls = [];
  }
}

export function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}
