export { SqlState, type SqlStateCode, type SqlStateName } from './sql-state.ts';
export { PgError, toPgError, type PgErrorFields } from './pg-error.ts';
