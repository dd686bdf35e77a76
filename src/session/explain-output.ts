import { placeholders } from '../catalog/validate.ts';
import type { PlannedStatement } from '../executor/read-statement.ts';
import { dataRow } from '../protocol/backend-messages.ts';
import { messages } from '../protocol/engine-messages.ts';

/** The API side of an EXPLAIN: per scan, the endpoint, what the API enforces and what the engine still checks. */
export function explainLines(planned: PlannedStatement): string[] {
  const lines = ['', 'JSM API calls:'];
  for (const p of planned.plans) {
    const endpoint = p.calls[0]?.decl ?? p.table.list;
    const fedBy = planned.plans.find((o) => o.feeds?.some((f) => f.child === p.table));
    const n = fedBy
      ? `first page inline in ${fedBy.table.name}'s items (expand=${p.table.parent!.expand!.name}); a call only per ${p.table.parent!.table} row with more`
      : p.parentKeys.length ? `one call per ${p.parentKeys.map((k) => `${p.table.parent?.table}.${k.column}`).join(', ')}` : plural(p.calls.length, 'call');
    lines.push(`  ${p.table.name}: GET ${endpoint.path} (${n}${endpoint.paging !== 'none' ? ', paged' : ''})`);
    const pathKeys = new Set(placeholders(endpoint.path));
    const params = Object.entries(p.calls[0]?.binding ?? {}).filter(([k]) => !pathKeys.has(k)).map(([k, v]) => `${k}=${v}`);
    if (params.length) lines.push(`    Query: ${params.join('&')}${p.calls.length > 1 ? ' (varies per call)' : ''}`);
    if (p.calls[0]?.extra.expand) lines.push(`    Expand: ${p.calls[0].extra.expand}`);
    lines.push(`    Pushed: ${p.accepted.map((q) => q.text).join(' AND ') || '(none)'}`);
    lines.push(`    Left to the engine: ${p.remaining.join(' AND ') || '(none)'}`);
    if (p.limit) lines.push(`    Pushed LIMIT: ${p.limit.value}`);
  }
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

/** Appends text rows to a one-column EXPLAIN result, before its CommandComplete. */
export function appendExplainRows(out: Uint8Array, lines: string[]): Uint8Array {
  const parts = [...messages(out)];
  const at = parts.findIndex((m) => m[0] === 0x43 /* C */);
  if (at < 0) return out;
  return Buffer.concat([...parts.slice(0, at), ...lines.map((l) => dataRow([l])), ...parts.slice(at)]);
}
