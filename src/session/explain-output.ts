import { placeholders } from '../catalog/validate.ts';
import type { Catalog } from '../catalog/registry.ts';
import type { PlannedStatement } from '../executor/read-statement.ts';
import { explainCalls } from '../planner/parent-keys.ts';
import { dataRow } from '../protocol/backend-messages.ts';
import { messages } from '../protocol/engine-messages.ts';
import { modelPlanRows } from './explain-model.ts';

/**
 * The API side of an EXPLAIN: per scan, every endpoint its calls go to (its own, the parents it
 * lists or looks up, a list-everything call), what the API enforces and what the engine still checks.
 */
export function explainLines(planned: PlannedStatement, catalog: Catalog): string[] {
  const lines = ['', 'JSM API calls:'];
  planned.plans.forEach((p, i) => {
    const how = explainCalls(catalog, { scan: planned.facts.scans[i]!, plan: p, facts: planned.facts }, planned.plans);
    const calls = how.kind === 'calls' ? how.calls : p.calls;
    const endpoint = calls[0]?.decl ?? p.table.list;
    const paged = endpoint.paging !== 'none' ? ', paged' : '';
    const expand = p.table.parent?.expand?.name;
    if (how.kind === 'parents') {
      const parent = how.parent.calls[0]?.decl ?? how.parent.table.list;
      lines.push(`  ${how.parent.table.name}: GET ${parent.path} (${plural(how.parent.calls.length, 'call')}${parent.paging !== 'none' ? ', paged' : ''}; the parents of ${p.table.name}${how.inline ? `, with expand=${expand}` : ''})`);
    }
    const n = how.kind === 'driver' || how.kind === 'parents'
      ? how.inline
        ? `first page inline in ${p.table.parent!.table}'s items (expand=${expand}); a call only per ${p.table.parent!.table} row with more`
        : `one call per ${how.kind === 'driver' ? how.driver : `${p.table.parent?.table}.${p.parentKeys.map((k) => k.column).join(', ')}`}`
      : plural(calls.length, 'call');
    lines.push(`  ${p.table.name}: GET ${endpoint.path} (${n}${paged})`);
    const pathKeys = new Set(placeholders(endpoint.path));
    const params = Object.entries(calls[0]?.binding ?? {}).filter(([k]) => !pathKeys.has(k) && !k.startsWith('^')).map(([k, v]) => `${k}=${v}`);
    if (params.length) lines.push(`    Query: ${params.join('&')}${calls.length > 1 ? ' (varies per call)' : ''}`);
    if (calls[0]?.extra.expand) lines.push(`    Expand: ${calls[0].extra.expand}`);
    lines.push(`    Pushed: ${p.accepted.map((q) => q.text).join(' AND ') || '(none)'}`);
    lines.push(`    Left to the engine: ${p.remaining.join(' AND ') || '(none)'}`);
    if (p.limit) lines.push(`    Pushed LIMIT: ${p.limit.value}`);
    if (p.listed) lines.push(`    Chosen: listed and filtered, ${plural(p.listed.pages, 'page')} when last read, over one call per value (${plural(p.listed.perValue, 'call')})`);
    if (how.kind === 'calls' && how.lookups) {
      const get = how.lookups.calls[0]?.decl ?? how.lookups.table.list;
      lines.push(`  ${how.lookups.table.name}: GET ${get.path} (${plural(how.lookups.calls.length, 'call')}; the ${p.table.parent!.table} columns ${p.table.name} copies)`);
    }
  });
  return lines;
}

/** What EXPLAIN ANALYZE adds: what the calls actually did (calls the shared cache served are not counted). */
export function actualLines(actual: { calls: number; pages: number; rows: number; ms: number }): string[] {
  return [`  Actual: ${plural(actual.calls, 'API call')}, ${plural(actual.pages, 'page')}, ${plural(actual.rows, 'row')} in ${actual.ms.toFixed(1)} ms${actual.calls === 0 ? ' (served from the cache)' : ''}`];
}

/** "1 call", "45 calls". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * A text EXPLAIN's result as the client gets it: its plan shown as the data model (explain-model.ts)
 * and the API lines after it, before its CommandComplete.
 */
export function explainRows(out: Uint8Array, lines: string[]): Uint8Array {
  const parts = [...messages(out)];
  const at = parts.findIndex((m) => m[0] === 0x43 /* C */);
  if (at < 0) return out;
  const head = parts.slice(0, at);
  const first = head.findIndex(isDataRow);
  const texts = head.filter(isDataRow).map(planRowText);
  const plan = first < 0 || texts.some((t) => t === undefined)
    ? head.filter(isDataRow)
    : modelPlanRows(texts as string[]).map((l) => dataRow([l]));
  const before = first < 0 ? head : head.slice(0, first);
  const after = first < 0 ? [] : head.slice(first).filter((m) => !isDataRow(m)); // notices among the rows
  return Buffer.concat([...before, ...plan, ...after, ...lines.map((l) => dataRow([l])), ...parts.slice(at)]);
}

const isDataRow = (m: Uint8Array) => m[0] === 0x44; /* D */

/** The text of a one-column DataRow (EXPLAIN's QUERY PLAN rows). */
function planRowText(m: Uint8Array): string | undefined {
  const b = Buffer.from(m.buffer, m.byteOffset, m.byteLength);
  if (b.length < 11 || b.readInt16BE(5) !== 1) return undefined;
  const len = b.readInt32BE(7);
  return len >= 0 && 11 + len === b.length ? b.toString('utf8', 11, 11 + len) : undefined;
}
