/** SQL text helpers for the DDL this module generates (every name it emits is a plain lower-case identifier). */

export function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A typed constant: NULL keeps its type so VALUES lists and empty views stay typed. */
export function sqlConstant(value: string | number | boolean | null | undefined, type: string): string {
  if (value === null || value === undefined) return `NULL::${type}`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return `${value}::${type}`;
  return `${quoteLiteral(value)}::${type}`;
}

/** Text → lower-case identifier material: accents dropped, runs of anything else become `_`. */
export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
