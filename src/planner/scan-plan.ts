import { engineName } from '../catalog/registry.ts';
import type { EndpointDecl, FilterDecl, TableDecl } from '../catalog/types.ts';
import { placeholders } from '../catalog/validate.ts';
import { PgError, SqlState } from '../errors/index.ts';
import type { RelationScan } from './explain.ts';
import type { Qual } from './quals.ts';

/** One API call a scan makes: an endpoint with its bound parameters. */
export interface ApiCall {
  readonly endpoint: 'list' | 'get';
  readonly decl: EndpointDecl;
  /** param → value: fills path placeholders and query parameters, and is echoed into bound/pseudo columns. */
  readonly binding: Readonly<Record<string, string>>;
  /** Extra query parameters (expand) that do not change which rows come back. */
  readonly extra: Readonly<Record<string, string>>;
}

/** The pushdown contract for one scan (Trino style): what the API enforces and what the engine still checks. */
export interface ScanPlan {
  readonly table: TableDecl;
  readonly calls: ApiCall[];
  /** Placeholders still unbound: the calls are templates, completed per parent row. */
  readonly parentKeys: readonly { param: string; column: string }[];
  readonly accepted: readonly Qual[];
  readonly remaining: readonly string[];
  limit?: { value: number; guaranteed: boolean };
}

const lc = (s: string) => s.toLowerCase();

function qualFor(scan: RelationScan, column: string): Qual | undefined {
  return scan.quals.find((q) => q.column === lc(column));
}

function product(dims: { param: string; values: readonly string[] }[]): Record<string, string>[] {
  let acc: Record<string, string>[] = [{}];
  for (const d of dims) acc = acc.flatMap((b) => d.values.map((v) => ({ ...b, [d.param]: v })));
  return acc;
}

function expandsFor(table: TableDecl, scan: RelationScan): Record<string, string> {
  const wanted = new Set<string>();
  for (const c of table.columns) if (c.expand && (!scan.columns || scan.columns.has(engineName(c.name)))) wanted.add(c.expand);
  return wanted.size ? { expand: [...wanted].join(',') } : {};
}

/** Maps the quals Postgres attached to a scan onto the entity's declared filters. */
export function planScan(scan: RelationScan): ScanPlan {
  const table = scan.table;
  const accepted: Qual[] = [];
  const extra = expandsFor(table, scan);
  const dims: { param: string; values: readonly string[] }[] = [];
  const bound = new Set<string>();
  const use = (f: FilterDecl, q: Qual, pathSegment = false) => {
    if (bound.has(f.param)) return;
    bound.add(f.param);
    accepted.push(q);
    // No entity has an empty or dot key, and such a value would change which endpoint is called.
    const values = pathSegment ? q.values.filter((v) => v !== '' && v !== '.' && v !== '..') : q.values;
    if (values.length > 1 && f.operators.includes('in')) dims.push({ param: f.param, values: [values.join(',')] });
    else dims.push({ param: f.param, values });
  };

  for (const r of table.required ?? [])
    if (!qualFor(scan, r))
      throw new PgError(SqlState.InvalidParameterValue, `${table.name} needs a value for ${r}: add WHERE ${r} = '...' to the query`, {
        hint: `The JSM API cannot list ${table.name} without ${r}.`,
      });

  // Get by key when every placeholder of the get endpoint has an = qual, and no pseudo column asks
  // for other than its default (the get cannot take it, and its row echoes the default).
  if (table.get) {
    const getFilters = table.filters.filter((f) => f.endpoint === 'get');
    const chosen = placeholders(table.get.path).map((p) => getFilters.map((f) => [f, qualFor(scan, f.column)] as const).find(([f, q]) => f.param === p && q));
    const pseudoPinned = table.columns.some((c) => c.pseudo && !getFilters.some((f) => lc(f.column) === lc(c.name))
      && qualFor(scan, c.name)?.values.some((v) => v !== c.default));
    if (chosen.every(Boolean) && chosen.length > 0 && !pseudoPinned) {
      for (const c of chosen) use(c![0], c![1]!, true);
      return finish('get', table.get);
    }
  }

  const listFilters = table.filters.filter((f) => f.endpoint !== 'get');
  const pathParams = placeholders(table.list.path);
  for (const f of listFilters) {
    const q = qualFor(scan, f.column);
    if (q && pathParams.includes(f.param)) use(f, q, true);
  }
  const parentKeys = pathParams
    .filter((p) => !bound.has(p))
    .map((p) => {
      const column = table.parent?.keys[p];
      if (!column) throw new PgError(SqlState.InvalidParameterValue, `${table.name} needs a value for {${p}}: add it to the WHERE clause`);
      return { param: p, column };
    });
  for (const f of listFilters) {
    const q = qualFor(scan, f.column);
    if (!q || pathParams.includes(f.param)) continue;
    const prerequisites = f.requires ?? [];
    if (prerequisites.every((r) => bound.has(r) || parentKeys.some((k) => k.param === r) || listFilters.some((o) => o.param === r && qualFor(scan, o.column))))
      use(f, q);
  }
  // Pseudo columns without a qual send their default, which is also what their rows echo.
  for (const c of table.columns) {
    if (!c.pseudo || c.default === undefined) continue;
    const f = listFilters.find((x) => lc(x.column) === lc(c.name));
    if (f && !bound.has(f.param)) {
      bound.add(f.param);
      dims.push({ param: f.param, values: [c.default] });
    }
  }
  return finish('list', table.list, parentKeys);

  function finish(endpoint: 'list' | 'get', decl: EndpointDecl, parentKeys: ScanPlan['parentKeys'] = []): ScanPlan {
    const acceptedSet = new Set(accepted);
    const remaining = [
      ...scan.quals.filter((q) => !acceptedSet.has(q)).map((q) => q.text),
      ...scan.others,
    ];
    return {
      table,
      calls: product(dims).map((binding) => ({ endpoint, decl, binding, extra })),
      parentKeys,
      accepted,
      remaining: [...new Set(remaining)],
    };
  }
}

/** Completes template calls with parent key values (one call per parent key per template). */
export function bindParents(plan: ScanPlan, parentRows: Record<string, string>[]): ApiCall[] {
  return plan.calls.flatMap((call) => parentRows.map((keys) => ({ ...call, binding: { ...call.binding, ...keys } })));
}
