// Connection strings: `Name=Value;Name='a;b';Other="x=""y"""`. Names are matched
// case-insensitively later; here we only split. The tokenizer never throws so the log
// redactor can use it on malformed input; parseConnectionString is the strict form.
import { PgError, SqlState } from '../errors/index.ts';

export interface ConnectionStringToken {
  /** The name as written (trimmed). */
  readonly name: string;
  /** The unquoted value (trimmed unless it was quoted). */
  readonly value: string;
  /** Present when the segment is malformed. */
  readonly problem?: 'missing-equals' | 'unterminated-quote';
}

/** Split into tokens; a quote char inside a quoted value is written twice. */
export function tokenizeConnectionString(input: string): ConnectionStringToken[] {
  const tokens: ConnectionStringToken[] = [];
  let i = 0;
  while (i < input.length) {
    const eq = input.indexOf('=', i);
    const semi = input.indexOf(';', i);
    if (eq === -1 || (semi !== -1 && semi < eq)) {
      const end = semi === -1 ? input.length : semi;
      const name = input.slice(i, end).trim();
      if (name !== '') tokens.push({ name, value: '', problem: 'missing-equals' });
      i = end + 1;
      continue;
    }
    const name = input.slice(i, eq).trim();
    let j = eq + 1;
    while (j < input.length && (input[j] === ' ' || input[j] === '\t')) j++;
    const quote = input[j];
    if (quote === "'" || quote === '"') {
      let value = '';
      let k = j + 1;
      let closed = false;
      while (k < input.length) {
        if (input[k] === quote) {
          if (input[k + 1] === quote) {
            value += quote;
            k += 2;
            continue;
          }
          closed = true;
          k++;
          break;
        }
        value += input[k];
        k++;
      }
      tokens.push(closed ? { name, value } : { name, value, problem: 'unterminated-quote' });
      // Anything between the closing quote and the next ';' is ignored, like the connector does.
      const next = input.indexOf(';', k);
      i = next === -1 ? input.length : next + 1;
      continue;
    }
    const end = semi === -1 ? input.length : semi;
    tokens.push({ name, value: input.slice(eq + 1, end).trim() });
    i = end + 1;
  }
  return tokens;
}

/**
 * Strict parse into [name, value] pairs in order (later duplicates win when the caller
 * folds them). Errors name the offending property but never its value.
 */
export function parseConnectionString(input: string, source = 'connection string'): Array<[string, string]> {
  return tokenizeConnectionString(input).map((t) => {
    if (t.problem === 'missing-equals') {
      throw new PgError(SqlState.InvalidParameterValue, `malformed ${source}: "${t.name}" has no "=" and value`, {
        hint: 'Use semicolon-separated Name=Value pairs; quote values that contain ";" with \' or ".',
      });
    }
    if (t.problem === 'unterminated-quote') {
      throw new PgError(SqlState.InvalidParameterValue, `malformed ${source}: the value of "${t.name}" has an unterminated quote`);
    }
    if (t.name === '') {
      throw new PgError(SqlState.InvalidParameterValue, `malformed ${source}: a value is missing its property name`);
    }
    return [t.name, t.value];
  });
}
