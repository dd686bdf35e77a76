import type { Logger } from 'pino';
import type { Catalog } from '../catalog/registry.ts';
import type { Engine } from '../engine/engine.ts';
import type { JsmClient } from '../jsm/index.ts';
import type { ScanCache } from './scan-cache.ts';

/**
 * Statements the gateway carries out itself instead of the engine (writes to JSM relations, CALL
 * of the seed's procedures): what they need from the session, and what they answer with.
 */

/** The client's bound parameters, as its Bind sent them (binary values included). */
export interface BoundParams {
  readonly paramTypes: readonly number[];
  readonly formats: readonly number[];
  readonly values: readonly (Uint8Array | null)[];
}

export interface GatewayStatementContext {
  readonly engine: Engine;
  readonly catalog: Catalog;
  readonly jsm: JsmClient;
  /** The shared cache of this session's JSM identity (writes drop what they change). */
  readonly cache: ScanCache;
  /** Aborted by cancel, statement_timeout, Timeout or the session's end. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** API calls in flight at once for one statement. */
  readonly concurrency: number;
  /** Inside a transaction block (BEGIN … or several statements in one query string). */
  readonly inBlock: boolean;
  /**
   * Runs `sql` in the engine with the client's parameters, after fetching the JSM rows it reads
   * (the read path: any condition works, pushed to the API or not); throws the engine's error.
   */
  readonly run: (sql: string, bound?: BoundParams) => Promise<void>;
  /** COPY … FROM STDIN: runs `sql` (a COPY FROM STDIN) in the engine with the data the client sent. */
  readonly copyData?: (sql: string) => Promise<void>;
}

/** What the client gets for such a statement. */
export interface StatementAnswer {
  /** The command tag, e.g. `INSERT 0 3`, `CALL`. */
  readonly tag: string;
  /** A query of the engine whose rows are the statement's result (RETURNING, a procedure's outputs); none: no rows. */
  readonly sql?: string;
  /** WARNINGs sent before the result (a write inside a transaction block, which ROLLBACK will not undo). */
  readonly warnings?: readonly string[];
}
