/**
 * A seeded, grammar-based SQL generator over the catalog's relations and columns (issue 14's SQL
 * fuzzer). It produces statements of many shapes: filters with = / IN / LIKE / IS NULL / ranges on
 * every column type, joins between parent and child relations, aggregates, ORDER BY/LIMIT,
 * subqueries, CTEs, set operations, window functions, casts, parameters over the extended protocol,
 * multi-statement strings, writes and DDL the gateway must refuse or keep local, and broken SQL
 * (malformed text, wrong names, division by zero). The same seed always gives the same statements.
 *
 * Nothing here knows what a statement should return: the fuzzer only asks that each one answers,
 * with rows or with an error that has a SQLSTATE, and that the session and the gateway survive it.
 */
import { engineName, getCatalog } from '../../../src/catalog/registry.ts';
import type { ColumnDecl, SqlType, TableDecl } from '../../../src/catalog/types.ts';
import { createRng, type Rng } from '../../../src/simulator/prng.ts';

export interface FuzzCase {
  index: number;
  shape: string;
  sql: string;
  /** Parameters: the statement is sent over the extended protocol with them. */
  values?: unknown[];
  /** Sent over the extended protocol (Parse/Bind/Execute) even without parameters. */
  extended?: boolean;
}

interface Col {
  name: string;
  type: SqlType;
  decl?: ColumnDecl;
}

interface Rel {
  /** Engine name (lower case), as written in SQL. */
  name: string;
  /** How it is written in the statement: the seed's spelling, lower case, or schema-qualified. */
  spelled: () => string;
  cols: Col[];
  required: string[];
  jsm: boolean;
}

interface Edge {
  child: Rel;
  childCol: string;
  parent: Rel;
  parentCol: string;
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Values that reach rows of the simulator's dataset (seed 1) or miss them in interesting ways. */
const VALUE_POOLS: Record<string, string[]> = {
  servicedeskid: ['1', '2', '3', '99', '0'],
  requestid: ['10001', '10002', '10005', '10017', '10033', '99999', 'TEST-1'],
  requestkey: ['TEST-1', 'ITS-2', 'HR-1', 'TEST-10', 'NOPE-9', '10001'],
  organizationid: ['1', '2', '4', '77'],
  queueid: ['1', '2', '6', '11', '404'],
  requesttypeid: ['1', '8', '13', '15', '999'],
  id: ['1', '2', '3', '10', '10001', 'abc'],
  query: ['printer', 'password', 'vpn', 'zzz'],
  requeststatus: ['OPEN_REQUESTS', 'CLOSED_REQUESTS', 'ALL_REQUESTS', 'bogus'],
  requestownership: ['ALL_REQUESTS', 'OWNED_REQUESTS', 'PARTICIPATED_REQUESTS', 'bogus'],
  currentstatus: ['Open', 'Closed', 'In progress', 'Waiting for customer', 'Canceled'],
  status: ['Open', 'Closed', 'In progress', 'Waiting for support'],
  name: ['All open requests', 'Acme Corporation', 'Time to first response', 'Get IT help', 'x'],
  accountid: ['5b10ac8d82e05b22cc7d4ef5', 'qm:0d7c5a41-2f7e-4d0c-9a3b-6a1f5e2c9b10:5c9a1e2f3b4d5e6f7a8b9c0d', 'nobody'],
};
/** Key values a URL must not be built from unescaped (a path segment, a query string). */
const HOSTILE_KEYS = ['a/b', '../1', '..', '.', '%2F', '1?x=2', '1#x', ' 1', '1\\2', 'é', ''];
const GENERIC_TEXT = ['a', 'Test', '', "O'Brien", 'é ✓ 𝄞', '%_\\', 'x'.repeat(300), 'NULL', 'TEST-%'];
const TIMESTAMPS = ["'2024-01-01'", "'2024-02-01T00:00:00Z'", "'2023-12-31 23:59:59+02'", "now()", "'infinity'", "now() - interval '400 days'", "'-infinity'"];

export interface GeneratorOptions {
  seed: number;
  /** Add statements that a server must bound rather than run forever (deep nesting, unbounded recursion, COPY TO PROGRAM). */
  hostile?: boolean;
}

export class SqlGenerator {
  private readonly rng: Rng;
  private readonly rels: Rel[];
  private readonly jsmRels: Rel[];
  private readonly edges: Edge[];
  private temp = 0;
  private readonly shapes: [string, number, () => Omit<FuzzCase, 'index' | 'shape'>][];

  constructor(private readonly opts: GeneratorOptions) {
    this.rng = createRng(opts.seed);
    const catalog = getCatalog();
    const relOf = (t: TableDecl): Rel => ({
      name: engineName(t.name),
      spelled: () => this.rng.pick([t.name, engineName(t.name), `jsm.${engineName(t.name)}`, t.name.toUpperCase()]),
      cols: t.columns.map((c) => ({ name: engineName(c.name), type: c.type, decl: c })),
      required: (t.required ?? []).map(engineName),
      jsm: true,
    });
    this.jsmRels = catalog.tables.map(relOf);
    const sys: Rel[] = [
      { name: 'sys_tables', spelled: () => 'sys_tables', cols: [...['tablename', 'tabletype', 'description', 'schemaname'].map((n): Col => ({ name: n, type: 'text' })), { name: 'isupdateable', type: 'boolean' }], required: [], jsm: false },
      { name: 'sys_tablecolumns', spelled: () => 'sys_tablecolumns', cols: [{ name: 'tablename', type: 'text' as const }, { name: 'columnname', type: 'text' as const }, { name: 'datatypename', type: 'text' as const }, { name: 'ordinal', type: 'integer' as const }, { name: 'iskey', type: 'boolean' as const }], required: [], jsm: false },
      { name: 'pg_class', spelled: () => 'pg_catalog.pg_class', cols: [{ name: 'relname', type: 'text' }, { name: 'relkind', type: 'text' }, { name: 'relnatts', type: 'integer' }, { name: 'relhasindex', type: 'boolean' }], required: [], jsm: false },
      { name: 'information_schema.columns', spelled: () => 'information_schema.columns', cols: [{ name: 'table_name', type: 'text' }, { name: 'column_name', type: 'text' }, { name: 'data_type', type: 'text' }, { name: 'ordinal_position', type: 'integer' }], required: [], jsm: false },
    ];
    this.rels = [...this.jsmRels, ...sys];
    const byName = new Map(this.jsmRels.map((r) => [r.name, r]));
    const edges: Edge[] = [];
    for (const t of catalog.tables) {
      const child = byName.get(engineName(t.name))!;
      for (const c of t.columns) {
        if (c.references) {
          const parent = byName.get(engineName(c.references.table));
          if (parent) edges.push({ child, childCol: engineName(c.name), parent, parentCol: engineName(c.references.column) });
        }
      }
      if (t.parent) {
        const parent = byName.get(engineName(t.parent.table));
        if (!parent) continue;
        for (const [binding, parentCol] of Object.entries(t.parent.keys)) {
          const childCol = t.columns.find((c) => c.bind === binding) ?? t.columns.find((c) => engineName(c.name) === engineName(parentCol));
          if (!childCol) continue;
          const e = { child, childCol: engineName(childCol.name), parent, parentCol: engineName(parentCol) };
          if (!edges.some((x) => x.child === e.child && x.childCol === e.childCol && x.parent === e.parent)) edges.push(e);
        }
      }
    }
    this.edges = edges;
    this.shapes = [
      ['filter', 15, () => ({ sql: this.filterSelect() })],
      ['join', 10, () => ({ sql: this.join() })],
      ['aggregate', 10, () => ({ sql: this.aggregate() })],
      ['order-limit', 8, () => ({ sql: this.orderLimit() })],
      ['subquery-in', 6, () => ({ sql: this.subqueryIn() })],
      ['exists', 5, () => ({ sql: this.exists() })],
      ['scalar-subquery', 4, () => ({ sql: this.scalarSubquery() })],
      ['derived-table', 4, () => ({ sql: this.derived() })],
      ['cte', 6, () => ({ sql: this.cte() })],
      ['set-operation', 4, () => ({ sql: this.setOp() })],
      ['cast', 6, () => ({ sql: this.cast() })],
      ['window', 4, () => ({ sql: this.window() })],
      ['malformed', 8, () => ({ sql: this.malformed() })],
      ['wrong-name', 5, () => ({ sql: this.wrongName() })],
      ['division-by-zero', 4, () => ({ sql: this.divZero() })],
      ['explain', 3, () => ({ sql: this.explain() })],
      ['parameters', 5, () => this.parameters()],
      ['multi-statement', 3, () => ({ sql: this.multi() })],
      ['write-or-ddl', 4, () => ({ sql: this.writeOrDdl() })],
      ['catalog', 3, () => ({ sql: this.catalogQuery() })],
      ['nesting', 2, () => ({ sql: this.nested(this.rng.int(2, 12)) })],
      ...(opts.hostile ? ([['hostile', 3, () => ({ sql: this.hostile() })]] as [string, number, () => Omit<FuzzCase, 'index' | 'shape'>][]) : []),
    ];
  }

  /** The next `n` statements. */
  generate(n: number): FuzzCase[] {
    const total = this.shapes.reduce((s, [, w]) => s + w, 0);
    const out: FuzzCase[] = [];
    for (let i = 0; i < n; i++) {
      let r = this.rng.next() * total;
      const [shape, , make] = this.shapes.find(([, w]) => (r -= w) < 0) ?? this.shapes[0]!;
      const made = make();
      out.push({ index: i, shape, ...made, extended: made.extended ?? (made.values === undefined && !/;\s*\S/.test(made.sql) && this.rng.chance(0.2)) });
    }
    return out;
  }

  // ---- building blocks ----

  private pick<T>(xs: readonly T[]): T {
    return this.rng.pick(xs);
  }

  private rel(jsmOnly = false): Rel {
    return this.rng.chance(jsmOnly ? 1 : 0.9) ? this.pick(this.jsmRels) : this.pick(this.rels);
  }

  private col(rel: Rel, type?: SqlType): Col | undefined {
    const cols = type ? rel.cols.filter((c) => c.type === type) : rel.cols;
    return cols.length ? this.pick(cols) : undefined;
  }

  private ref(alias: string | undefined, c: Col): string {
    const name = this.rng.chance(0.1) ? `"${c.name}"` : c.name;
    return alias ? `${alias}.${name}` : name;
  }

  private textValue(c: Col): string {
    const pool = VALUE_POOLS[c.name] ?? (c.decl?.values?.length ? [...c.decl.values] : undefined);
    if (this.rng.chance(0.08) && (c.decl?.key || c.name.endsWith('id') || c.name.endsWith('key'))) return this.pick(HOSTILE_KEYS);
    if (pool && this.rng.chance(0.8)) return this.pick(pool);
    return this.pick(GENERIC_TEXT);
  }

  private literal(c: Col): string {
    switch (c.type) {
      case 'text':
        return q(this.textValue(c));
      case 'boolean':
        return this.pick(['true', 'false', "'t'", "'no'"]);
      case 'timestamptz':
        return this.pick(TIMESTAMPS);
      case 'integer':
      case 'bigint':
        return this.pick(['0', '1', '-1', '3', '2147483647', '9223372036854775807']);
      case 'double precision':
        return this.pick(['0', '1.5', '-2.25e3', "'NaN'"]);
      case 'jsonb':
        return this.pick([`'{}'`, `'{"a":1}'`, `'[]'`, `'null'`]);
    }
  }

  private predicate(rel: Rel, alias?: string): string {
    const c = this.col(rel)!;
    const x = this.ref(alias, c);
    const v = () => this.literal(c);
    const common = [`${x} IS NULL`, `${x} IS NOT NULL`, `${x} = ${v()}`, `${x} <> ${v()}`, `${x} IN (${[v(), v(), v()].join(', ')})`, `${x} IS DISTINCT FROM ${v()}`];
    switch (c.type) {
      case 'text':
        return this.pick([
          ...common,
          `${x} = ${v()}`,
          `${x} NOT IN (${v()}, ${v()})`,
          `${x} LIKE ${q(this.textValue(c).slice(0, 3) + '%')}`,
          `${x} ILIKE ${q('%' + this.textValue(c).slice(0, 2) + '%')}`,
          `${x} NOT LIKE 'T%'`,
          `${x} > ${v()}`,
          `${x} BETWEEN ${v()} AND ${v()}`,
          `${x} ~ '^[A-Z]'`,
          `lower(${x}) = lower(${v()})`,
          `${x} = ANY (ARRAY[${v()}, ${v()}])`,
          `length(${x}) > ${this.rng.int(0, 20)}`,
          `coalesce(${x}, '') = ''`,
          `${v()} = ${x}`,
          `${x} || 'x' = ${v()}`,
          `${x} SIMILAR TO '%(1|2)%'`,
        ]);
      case 'boolean':
        return this.pick([...common, x, `NOT ${x}`, `${x} IS TRUE`, `${x} IS NOT FALSE`, `${x} IS UNKNOWN`, `${x} = true`]);
      case 'timestamptz':
        return this.pick([
          ...common,
          `${x} > ${v()}`,
          `${x} <= ${v()}`,
          `${x} BETWEEN ${v()} AND ${v()}`,
          `${x} < now()`,
          `date_trunc('month', ${x}) = '2024-02-01'`,
          `extract(year FROM ${x}) = 2024`,
          `${x}::date = '2024-02-13'`,
          `${x} > now() - interval '30 days'`,
          `${x} >= '2024-01-01' AND ${x} < '2025-01-01'`,
        ]);
      default:
        return this.pick([...common, `${x} > ${v()}`, `${x} BETWEEN ${v()} AND ${v()}`, `${x} % 2 = 0`, `${x} * 2 < 100`]);
    }
  }

  /** 0–3 predicates joined with AND / OR / NOT, plus the relation's required filters most of the time. */
  private where(rel: Rel, alias?: string, min = 0): string {
    const parts: string[] = [];
    if (rel.required.length && this.rng.chance(0.75)) {
      for (const r of rel.required) parts.push(`${alias ? alias + '.' : ''}${r} = ${q(this.textValue(rel.cols.find((c) => c.name === r)!))}`);
    }
    const n = this.rng.int(min, 3);
    let expr = '';
    for (let i = 0; i < n; i++) {
      const p = this.predicate(rel, alias);
      expr = i === 0 ? p : this.rng.chance(0.7) ? `${expr} AND ${p}` : `(${expr} OR ${p})`;
    }
    if (expr && this.rng.chance(0.1)) expr = `NOT (${expr})`;
    if (expr) parts.push(expr);
    return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
  }

  private expr(rel: Rel, alias?: string): string {
    const c = this.col(rel)!;
    const x = this.ref(alias, c);
    switch (c.type) {
      case 'text':
        return this.pick([x, x, `upper(${x})`, `length(${x})`, `left(${x}, 3)`, `${x} || '-x'`, `coalesce(${x}, '?')`, `md5(${x})`, `split_part(${x}, '-', 1)`]);
      case 'boolean':
        return this.pick([x, `NOT ${x}`, `${x}::int`, `CASE WHEN ${x} THEN 'y' ELSE 'n' END`]);
      case 'timestamptz':
        return this.pick([x, `date_trunc('day', ${x})`, `extract(epoch FROM ${x})`, `${x}::date`, `to_char(${x}, 'YYYY-MM')`, `${x} + interval '1 day'`, `age('2025-01-01', ${x})`]);
      case 'jsonb':
        return this.pick([x, `${x}->>'a'`, `jsonb_typeof(${x})`]);
      default:
        return this.pick([x, `${x} + 1`, `${x} * 2`, `abs(${x})`]);
    }
  }

  private selectList(rel: Rel, alias?: string): string {
    if (this.rng.chance(0.2)) return alias ? `${alias}.*` : '*';
    const n = this.rng.int(1, 4);
    return Array.from({ length: n }, (_, i) => (this.rng.chance(0.3) ? `${this.expr(rel, alias)} AS e${i}` : this.expr(rel, alias))).join(', ');
  }

  private aggregateOf(rel: Rel, alias?: string): string {
    const c = this.col(rel)!;
    const x = this.ref(alias, c);
    const any = [`count(*)`, `count(${x})`, `count(DISTINCT ${x})`];
    switch (c.type) {
      case 'text':
        return this.pick([...any, `min(${x})`, `max(${x})`, `string_agg(${x}, ',' ORDER BY ${x})`, `array_agg(DISTINCT ${x})`]);
      case 'boolean':
        return this.pick([...any, `bool_and(${x})`, `bool_or(${x})`, `count(*) FILTER (WHERE ${x})`]);
      case 'timestamptz':
        return this.pick([...any, `min(${x})`, `max(${x})`, `max(${x}) - min(${x})`]);
      default:
        return this.pick([...any, `sum(${x})`, `avg(${x})`]);
    }
  }

  private from(rel: Rel, alias?: string): string {
    return alias ? `${rel.spelled()} ${this.rng.chance(0.5) ? 'AS ' : ''}${alias}` : rel.spelled();
  }

  // ---- shapes ----

  private filterSelect(): string {
    const rel = this.rel();
    const alias = this.rng.chance(0.4) ? 't' : undefined;
    return `SELECT ${this.rng.chance(0.1) ? 'DISTINCT ' : ''}${this.selectList(rel, alias)} FROM ${this.from(rel, alias)}${this.where(rel, alias, 1)}`;
  }

  private join(): string {
    const e = this.pick(this.edges);
    const kind = this.pick(['JOIN', 'JOIN', 'INNER JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN']);
    const [first, second] = this.rng.chance(0.5) ? [[e.child, 'c'], [e.parent, 'p']] as const : [[e.parent, 'p'], [e.child, 'c']] as const;
    const on = this.rng.chance(0.85) ? `ON c.${e.childCol} = p.${e.parentCol}` : this.rng.chance(0.5) ? `USING (${e.childCol})` /* a 42703 when the parent names it otherwise */ : `ON c.${e.childCol} = p.${e.parentCol} AND ${this.predicate(e.child, 'c')}`;
    const wp = this.where(e.parent, 'p').replace(' WHERE ', '');
    const wc = this.rng.chance(0.5) ? this.where(e.child, 'c').replace(' WHERE ', '') : '';
    const where = [wp, wc].filter(Boolean).join(' AND ');
    const cols = this.rng.chance(0.3) ? `count(*), ${this.aggregateOf(e.child, 'c')}` : `${this.selectList(e.parent, 'p')}, ${this.selectList(e.child, 'c')}`;
    const grouped = cols.startsWith('count(*)') ? '' : this.rng.chance(0.3) ? ` ORDER BY 1 LIMIT ${this.rng.int(0, 20)}` : '';
    return `SELECT ${cols} FROM ${this.from(first[0], first[1])} ${kind} ${this.from(second[0], second[1])} ${on}${where ? ` WHERE ${where}` : ''}${grouped}`;
  }

  private aggregate(): string {
    const rel = this.rel();
    const g = this.col(rel)!;
    const aggs = Array.from({ length: this.rng.int(1, 3) }, () => this.aggregateOf(rel)).join(', ');
    if (this.rng.chance(0.25)) return `SELECT ${aggs} FROM ${this.from(rel)}${this.where(rel)}`;
    const having = this.rng.chance(0.3) ? ` HAVING count(*) > ${this.rng.int(0, 5)}` : '';
    const grouping = this.rng.chance(0.15) ? `GROUP BY ROLLUP (${g.name})` : `GROUP BY ${this.rng.chance(0.5) ? '1' : g.name}`;
    return `SELECT ${g.name}, ${aggs} FROM ${this.from(rel)}${this.where(rel)} ${grouping}${having} ORDER BY ${this.pick(['1', '2 DESC', '1 NULLS FIRST'])}`;
  }

  private orderLimit(): string {
    const rel = this.rel();
    const order = Array.from({ length: this.rng.int(1, 2) }, () => `${this.col(rel)!.name}${this.pick(['', ' DESC', ' ASC NULLS FIRST', ' DESC NULLS LAST'])}`).join(', ');
    const limit = this.pick([` LIMIT ${this.rng.int(0, 10)}`, ` LIMIT ${this.rng.int(1, 5)} OFFSET ${this.rng.int(0, 30)}`, ' LIMIT ALL', ` FETCH FIRST ${this.rng.int(1, 3)} ROWS ONLY`, ' LIMIT 1']);
    return `SELECT ${this.selectList(rel)} FROM ${this.from(rel)}${this.where(rel)} ORDER BY ${order}${limit}`;
  }

  private subqueryIn(): string {
    const e = this.pick(this.edges);
    if (this.rng.chance(0.5)) return `SELECT ${this.selectList(e.child, 'c')} FROM ${this.from(e.child, 'c')} WHERE c.${e.childCol} ${this.pick(['IN', 'NOT IN'])} (SELECT p.${e.parentCol} FROM ${this.from(e.parent, 'p')}${this.where(e.parent, 'p', 1)})`;
    return `SELECT ${this.selectList(e.parent, 'p')} FROM ${this.from(e.parent, 'p')} WHERE p.${e.parentCol} IN (SELECT c.${e.childCol} FROM ${this.from(e.child, 'c')}${this.where(e.child, 'c')})${this.rng.chance(0.5) ? ' ORDER BY 1' : ''}`;
  }

  private exists(): string {
    const e = this.pick(this.edges);
    const extra = this.rng.chance(0.5) ? ` AND ${this.predicate(e.child, 'c')}` : '';
    return `SELECT ${this.selectList(e.parent, 'p')} FROM ${this.from(e.parent, 'p')} WHERE ${this.pick(['EXISTS', 'NOT EXISTS'])} (SELECT 1 FROM ${this.from(e.child, 'c')} WHERE c.${e.childCol} = p.${e.parentCol}${extra})${this.where(e.parent, 'p').replace(' WHERE ', ' AND ')}`;
  }

  private scalarSubquery(): string {
    const e = this.pick(this.edges);
    return `SELECT ${this.selectList(e.parent, 'p')}, (SELECT ${this.pick(['count(*)', `max(c.${e.childCol})`, `min(c.${this.col(e.child)!.name})`])} FROM ${this.from(e.child, 'c')} WHERE c.${e.childCol} = p.${e.parentCol}) AS sub FROM ${this.from(e.parent, 'p')}${this.where(e.parent, 'p')}`;
  }

  private derived(): string {
    const rel = this.rel();
    const c = this.col(rel)!;
    return `SELECT s.* FROM (SELECT ${c.name}, count(*) AS n FROM ${this.from(rel)}${this.where(rel)} GROUP BY 1) s WHERE s.n ${this.pick(['>', '>=', '='])} ${this.rng.int(0, 3)} ORDER BY s.n DESC${this.rng.chance(0.5) ? ' LIMIT 3' : ''}`;
  }

  private cte(): string {
    if (this.rng.chance(0.2)) return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${this.rng.int(1, 200)}) SELECT count(*), max(i) FROM n`;
    const e = this.pick(this.edges);
    const mat = this.pick(['', 'MATERIALIZED ', 'NOT MATERIALIZED ']);
    return `WITH parents AS ${mat}(SELECT * FROM ${this.from(e.parent)}${this.where(e.parent, undefined, 1)}), kids AS (SELECT ${e.childCol}, count(*) AS n FROM ${this.from(e.child)} GROUP BY 1) SELECT p.${e.parentCol}, coalesce(k.n, 0) AS n FROM parents p LEFT JOIN kids k ON k.${e.childCol} = p.${e.parentCol} ORDER BY 2 DESC, 1`;
  }

  private setOp(): string {
    const a = this.rel();
    const b = this.rel();
    const ca = this.col(a, 'text') ?? this.col(a)!;
    const cb = this.col(b, 'text') ?? this.col(b)!;
    return `SELECT ${ca.name}::text AS v FROM ${this.from(a)}${this.where(a)} ${this.pick(['UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT'])} SELECT ${cb.name}::text FROM ${this.from(b)}${this.where(b)} ORDER BY 1${this.rng.chance(0.5) ? ' LIMIT 5' : ''}`;
  }

  private cast(): string {
    const rel = this.rel();
    const c = this.col(rel)!;
    const target = this.pick(['int', 'bigint', 'numeric', 'date', 'timestamptz', 'boolean', 'text', 'jsonb', 'uuid', 'interval', 'varchar(3)', 'char(1)', 'regclass', 'inet']);
    const form = this.pick([`${c.name}::${target}`, `CAST(${c.name} AS ${target})`, `${c.name}::text::${target}`]);
    return this.rng.chance(0.5) ? `SELECT ${form} FROM ${this.from(rel)}${this.where(rel)}` : `SELECT count(*) FROM ${this.from(rel)} WHERE ${form} IS NOT NULL`;
  }

  private window(): string {
    const rel = this.rel();
    const p = this.col(rel)!;
    const o = this.col(rel)!;
    const fn = this.pick(['row_number()', 'rank()', 'dense_rank()', 'count(*)', `lag(${o.name})`, `first_value(${o.name})`, 'ntile(3)', `percent_rank()`]);
    return `SELECT ${p.name}, ${o.name}, ${fn} OVER (PARTITION BY ${p.name} ORDER BY ${o.name}${this.pick(['', ' DESC', ' ROWS BETWEEN 1 PRECEDING AND CURRENT ROW'])}) AS w FROM ${this.from(rel)}${this.where(rel)}`;
  }

  private valid(): string {
    return this.pick([() => this.filterSelect(), () => this.join(), () => this.aggregate(), () => this.orderLimit(), () => this.cte()])();
  }

  private malformed(): string {
    const sql = this.valid();
    const at = this.rng.int(0, sql.length);
    switch (this.rng.int(0, 8)) {
      case 0:
        return sql.slice(0, at); // truncated
      case 1:
        return `${sql.slice(0, at)}${this.pick([')', '(', "'", '"', ',', ';;', '$1', '::', 'SELEKT', 'WHERE', '/*', '--', '\\', 'ORDER BY', '$$'])}${sql.slice(at)}`;
      case 2:
        return sql.replace(/\(/, ''); // unbalanced
      case 3:
        return sql.replace(/SELECT/i, this.pick(['SELEC', 'SELECT SELECT', 'SELECT ,', 'SELECT FROM']));
      case 4:
        return this.pick(['', ' ', ';', ';;;', '--', '/* unterminated', "SELECT 'unterminated", 'SELECT "', 'SELECT $1', 'SELECT 1 +', '(', 'WITH', 'SELECT * FROM', 'SELECT * FROM Requests WHERE', 'SELECT 1 1', "SELECT E'\\x'", 'SELECT U&"\\0000"']);
      case 5:
        return sql.replace(/ WHERE /, ' WHERE WHERE ');
      case 6:
        return `${sql} ${this.pick(['GARBAGE', 'LIMIT', 'ORDER', 'GROUP BY', 'AND', 'OR 1'])}`;
      case 7:
        return sql.split('').reverse().join('').slice(0, 80);
      default:
        return sql.replace(/[()]/g, '');
    }
  }

  private wrongName(): string {
    const rel = this.rel(true);
    switch (this.rng.int(0, 5)) {
      case 0:
        return `SELECT nosuchcolumn FROM ${this.from(rel)}`;
      case 1:
        return `SELECT * FROM ${this.from(rel)} WHERE nosuchcolumn = '1'`;
      case 2: {
        const other = this.pick(this.jsmRels.filter((r) => r !== rel));
        const c = this.pick(other.cols.filter((x) => !rel.cols.some((y) => y.name === x.name)).concat(other.cols));
        return `SELECT t.${c.name} FROM ${this.from(rel, 't')}`;
      }
      case 3:
        return `SELECT * FROM ${this.pick(['NoSuchTable', 'jsm.nope', 'Request', 'userviews.nothing', '"Requests"'])}${this.rng.chance(0.5) ? " WHERE RequestId = '1'" : ''}`;
      case 4:
        return `SELECT ${this.pick(['nosuchfunction(1)', 'count(nosuch)', 'jsm.fetched()', 'pg_sleep()'])} FROM ${this.from(rel)}`;
      default:
        return `SELECT ${rel.cols[0]!.name} FROM ${this.from(rel)} ORDER BY nosuchcolumn`;
    }
  }

  private divZero(): string {
    const rel = this.rel();
    return this.pick([
      `SELECT count(*) / 0 FROM ${this.from(rel)}${this.where(rel)}`,
      `SELECT 1 / (count(*) - count(*)) FROM ${this.from(rel)}`,
      `SELECT ${rel.cols[0]!.name}, 1 / 0 FROM ${this.from(rel)}${this.where(rel)}`,
      `SELECT * FROM ${this.from(rel)} WHERE 1 / 0 = 1`,
      `SELECT 1.0 / 0`,
      `SELECT 1 % 0`,
      `SELECT count(*)::numeric / nullif(0, 0) FROM ${this.from(rel)}`,
      `SELECT 2147483647 + count(*)::int FROM ${this.from(rel)}`,
    ]);
  }

  private explain(): string {
    return `EXPLAIN ${this.pick(['', '(COSTS OFF) ', 'VERBOSE ', '(FORMAT JSON) ', 'ANALYZE '])}${this.valid()}`;
  }

  private parameters(): Omit<FuzzCase, 'index' | 'shape'> {
    const rel = this.rel(true);
    const c = this.col(rel)!;
    const v = c.type === 'text' ? this.textValue(c) : c.type === 'boolean' ? this.pick([true, false, null]) : c.type === 'timestamptz' ? this.pick(['2024-02-01', 'not a date']) : this.pick([1, 'x']);
    const second = this.rng.chance(0.3);
    const sql = `SELECT ${this.selectList(rel)} FROM ${this.from(rel)} WHERE ${this.pick([`${c.name} = $1`, `${c.name} = $1::${c.type}`, `$1 IS NULL OR ${c.name} = $1`, `${c.name} IN ($1)`])}${second ? ' LIMIT $2' : ''}`;
    const values: unknown[] = [v];
    if (second) values.push(this.pick([1, 0, -1, 'x', null]));
    if (this.rng.chance(0.1)) values.push('extra'); // one parameter too many: 08P01 from a real server
    return { sql, values };
  }

  private multi(): string {
    const n = this.rng.int(2, 3);
    return Array.from({ length: n }, () => this.pick([() => this.filterSelect(), () => 'SELECT 1', () => this.divZero(), () => this.writeOrDdl()])()).join('; ');
  }

  private writeOrDdl(): string {
    const rel = this.rel(true);
    const c = this.col(rel, 'text') ?? rel.cols[0]!;
    const k = rel.cols.find((x) => x.decl?.key) ?? rel.cols[0]!;
    const t = `fz_${this.opts.seed}_${this.temp++}`;
    return this.pick([
      `INSERT INTO ${rel.spelled()} (${c.name}) VALUES ('fuzz')`,
      `UPDATE ${rel.spelled()} SET ${c.name} = 'fuzz' WHERE ${k.name} = 'fuzz-no-such-key'`,
      `DELETE FROM ${rel.spelled()} WHERE false`,
      `DELETE FROM ${rel.spelled()} WHERE ${k.name} = 'fuzz-no-such-key'`,
      `TRUNCATE ${rel.spelled()}`,
      `DROP TABLE jsm.${rel.name}`,
      `DROP VIEW jsm.${rel.name}`,
      `ALTER TABLE jsm.${rel.name} ADD COLUMN fz int`,
      `ALTER TABLE jsm.${rel.name} RENAME TO fz`,
      `CREATE TEMP TABLE ${t} AS SELECT * FROM ${this.from(rel)}${this.where(rel)}`,
      `CREATE TEMP VIEW ${t} AS SELECT * FROM ${this.from(rel)}${this.where(rel)}`,
      `CREATE TABLE jsm.${t} (x int)`,
      `CREATE OR REPLACE FUNCTION jsm.${t}() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
      `GRANT ALL ON jsm.${rel.name} TO PUBLIC`,
      `COMMENT ON TABLE jsm.${rel.name} IS 'fuzz'`,
    ]);
  }

  private catalogQuery(): string {
    const rel = this.pick(this.jsmRels);
    return this.pick([
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${rel.name}' ORDER BY ordinal_position`,
      `SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = 'jsm.${rel.name}'::regclass AND a.attnum > 0`,
      `SELECT * FROM sys_tablecolumns WHERE TableName = '${rel.name}'`,
      `SELECT conname, contype FROM pg_constraint WHERE conrelid = 'jsm.${rel.name}'::regclass`,
      `SELECT obj_description('jsm.${rel.name}'::regclass)`,
      `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'jsm'`,
      'SHOW search_path',
      "SELECT current_setting('jsm.cache', true)",
      'SELECT version()',
      `SELECT * FROM sys_keycolumns WHERE TableName = '${rel.name}'`,
      'SELECT * FROM sys_sqlinfo',
    ]);
  }

  private nested(depth: number): string {
    const rel = this.rel();
    let inner = `SELECT ${rel.cols[0]!.name} AS v FROM ${this.from(rel)}${this.where(rel)}`;
    for (let i = 0; i < depth; i++) inner = `SELECT v FROM (${inner}) s${i}`;
    return `SELECT count(*) FROM (${inner}) top`;
  }

  private hostile(): string {
    return this.pick([
      this.nested(200),
      `SELECT ${'('.repeat(1000)}1${')'.repeat(1000)}`,
      'WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r',
      "CREATE OR REPLACE FUNCTION pg_temp.f(n int) RETURNS int LANGUAGE plpgsql AS $$BEGIN RETURN pg_temp.f(n + 1); END$$; SELECT pg_temp.f(1)",
      "COPY (SELECT 1) TO PROGRAM 'id'",
      "COPY (SELECT 1) TO '/tmp/jsm-pg-fuzz.txt'",
      `SELECT * FROM Requests WHERE RequestId IN (${Array.from({ length: 2000 }, (_, i) => `'${10001 + i}'`).join(',')})`,
      'SELECT pg_sleep(3600)',
    ]);
  }
}
