// The list-valued connection properties of the seed, parsed: Tables, Views and BrowsableSchemas
// (comma-separated SQL identifiers, optionally qualified, quoted with [], "" or ``), PseudoColumns
// ("Table=Column, …", `*` for any) and Other (semicolon-separated Name=Value sub-properties).
// Pure text work; what the names must match is checked against the catalog in src/catalog/exposure.ts.
import { PgError, SqlState } from '../errors/index.ts';
import { didYouMean } from './naming.ts';

/** One entry of Tables/Views: its last part is the relation, a part before it the schema (a third, the catalog). */
export interface QualifiedName {
  readonly schema?: string;
  readonly name: string;
}

const CLOSE: Record<string, string> = { '[': ']', '"': '"', '`': '`' };

/** Splits on `sep` outside [], "" and `` quoting; each piece trimmed, quotes removed from whole parts. */
function splitOutside(text: string, sep: string): { text: string; quoted: boolean }[] {
  const out: { text: string; quoted: boolean }[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const close = CLOSE[ch];
    if (close && cur.trim() === '') {
      const end = text.indexOf(close, i + 1);
      if (end < 0) throw new PgError(SqlState.InvalidParameterValue, `unterminated ${ch} in "${text}"`);
      cur = text.slice(i + 1, end);
      quoted = true;
      i = end;
      continue;
    }
    if (ch === sep) {
      out.push({ text: quoted ? cur : cur.trim(), quoted });
      cur = '';
      quoted = false;
      continue;
    }
    if (!quoted) cur += ch;
  }
  out.push({ text: quoted ? cur : cur.trim(), quoted });
  return out;
}

/**
 * `TableA,[TableB/WithSlash],WithCatalog.WithSchema.\`TableC With Space\`` → names. Commas inside
 * quoting belong to the name. Empty text → [] (the property is unset: everything is reported).
 */
export function parseNameList(property: string, text: string): QualifiedName[] {
  if (text.trim() === '') return [];
  const items: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (CLOSE[ch]) quote = CLOSE[ch];
    else if (ch === ',') {
      items.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  items.push(cur);
  try {
    return items.filter((i) => i.trim() !== '').map((item) => {
      const parts = splitOutside(item.trim(), '.').map((p) => p.text);
      if (parts.some((p) => p === '') || parts.length > 3) throw new PgError(SqlState.InvalidParameterValue, `"${item.trim()}" is not a name`);
      const name = parts[parts.length - 1]!;
      return parts.length >= 2 ? { schema: parts[parts.length - 2]!, name } : { name };
    });
  } catch (err) {
    throw new PgError(SqlState.InvalidParameterValue, `invalid value for connection property "${property}": ${(err as Error).message}`, {
      hint: `${property} is a comma-separated list of names, e.g. ${property}=NameA,[Name B],jsm.NameC`,
    });
  }
}

/** One `Table=Column` pair of PseudoColumns; `*` stands for any table or any column. */
export interface PseudoColumnPair {
  readonly table: string;
  readonly column: string;
}

export function parsePseudoColumns(text: string): PseudoColumnPair[] {
  if (text.trim() === '') return [];
  return text.split(',').filter((p) => p.trim() !== '').map((pair) => {
    const [table, column, extra] = pair.split('=').map((s) => s.trim().replace(/^\[(.*)\]$/, '$1'));
    if (!table || !column || extra !== undefined) {
      throw new PgError(SqlState.InvalidParameterValue, `invalid value for connection property "PseudoColumns": "${pair.trim()}" is not Table=Column`, {
        hint: 'PseudoColumns is a comma-separated list of Table=Column pairs, e.g. PseudoColumns=Requests=RequestOwnership,KnowledgeBaseArticles=*; "*=*" exposes all.',
      });
    }
    return { table, column };
  });
}

/**
 * The sub-properties of Other the seed documents ("Integration and Formatting"). Those that change
 * what the gateway returns are honoured; RecordToFile cannot apply to the gateway and is refused.
 */
export interface OtherOptions {
  /** Length reported for string columns (sys_tablecolumns, sys_procedureparameters) instead of unbounded. */
  readonly defaultColumnSize?: number;
  /** true: timestamps are shown in GMT; false: in the gateway machine's local time zone; unset: the client's TimeZone. */
  readonly convertDateTimeToGmt?: boolean;
}

const OTHER_NAMES = ['DefaultColumnSize', 'ConvertDateTimeToGMT', 'RecordToFile'];

const otherError = (message: string, hint?: string) =>
  new PgError(SqlState.InvalidParameterValue, `invalid value for connection property "Other": ${message}`, hint ? { hint } : {});

/** Parses Other ("DefaultColumnSize=100;ConvertDateTimeToGMT=true"); throws for an unknown, refused or malformed sub-property. */
export function parseOther(text: string): OtherOptions {
  const out: { defaultColumnSize?: number; convertDateTimeToGmt?: boolean } = {};
  for (const item of text.split(/[;\n]/).map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim();
    const value = eq < 0 ? '' : item.slice(eq + 1).trim();
    switch (name.toLowerCase()) {
      case 'defaultcolumnsize': {
        const n = Number(value);
        if (!/^\d+$/.test(value) || n < 1 || n > 2147483647) throw otherError(`DefaultColumnSize must be a positive integer, not "${value}"`);
        out.defaultColumnSize = n;
        break;
      }
      case 'convertdatetimetogmt': {
        const v = value.toLowerCase();
        if (!['true', 'false'].includes(v)) throw otherError(`ConvertDateTimeToGMT must be true or false, not "${value}"`);
        out.convertDateTimeToGmt = v === 'true';
        break;
      }
      case 'recordtofile':
        throw new PgError(SqlState.FeatureNotSupported, 'connection property "Other": RecordToFile is not supported', {
          detail: 'RecordToFile records the connector\'s socket traffic with the data source; the gateway does not record traffic to files.',
          hint: 'Run with --log-level debug to log every JSM API call, or --metrics-port to count them.',
        });
      default:
        throw otherError(`unknown sub-property "${name}".${didYouMean(name, OTHER_NAMES)}`, `Other takes ${OTHER_NAMES.join(', ')} (seed: "Integration and Formatting"), separated by semicolons.`);
    }
  }
  return out;
}
