import type { BoundParams, GatewayStatementContext, StatementAnswer } from '../executor/gateway-statement.ts';

/** One row of sys_identity. */
export interface IdentityRow {
  readonly id: string | null;
  readonly batch: string;
  readonly operation: 'INSERTED' | 'UPDATED' | 'DELETED';
  /** SUCCESS, or why the row failed. */
  readonly message: string;
}

export interface IdentitySink {
  /** This statement's Batch value in sys_identity. */
  readonly batch: string;
  /** Records rows tried (before the statement's error, if it fails). */
  readonly note: (rows: IdentityRow[]) => Promise<void>;
}

export { executeWrite } from './execute-write.ts';
export { explainWrite } from './explain-write.ts';
export type { BoundParams, GatewayStatementContext, StatementAnswer };
