import { engineName, relationOfRowsTable, ROWS_SCHEMA, type Catalog } from '../catalog/registry.ts';
import type { TableDecl } from '../catalog/types.ts';
import { parseCondition, type JoinEquality, type Qual } from './quals.ts';

/** One read of a JSM relation in the engine's plan, with what Postgres says applies to it. */
export interface RelationScan {
  readonly table: TableDecl;
  /** Names the plan uses for this relation (the parent's alias and its inheritance members'). */
  readonly aliases: ReadonlySet<string>;
  readonly quals: readonly Qual[];
  /** Conditions on this relation that are not column = constant. */
  readonly others: readonly string[];
  /** Columns the plan reads from this relation (engine names); undefined = all. */
  readonly columns: ReadonlySet<string> | undefined;
}

export interface PlanFacts {
  readonly scans: RelationScan[];
  readonly joins: JoinEquality[];
  /** Every node type in the plan, for the LIMIT rule. */
  readonly nodeTypes: ReadonlySet<string>;
  /** Other base relations (alias → schema.table) that may drive child fetches. */
  readonly localRelations: ReadonlyMap<string, { schema: string; relation: string; filter?: string }>;
}

type PlanNode = Record<string, any> & { 'Node Type': string; Plans?: PlanNode[] };
const CONDITION_KEYS = ['Filter', 'Index Cond', 'Recheck Cond', 'Join Filter', 'Hash Cond', 'Merge Cond', 'TID Cond'];

export function planFacts(plan: PlanNode, catalog: Catalog): PlanFacts {
  const scans: RelationScan[] = [];
  const joins: JoinEquality[] = [];
  const nodeTypes = new Set<string>();
  const localRelations = new Map<string, { schema: string; relation: string; filter?: string }>();

  // A JSM view reads its pg_jsm_rows table, whose temp child of the same name holds the rows (see schemaDdl).
  const jsmTable = (n: PlanNode): TableDecl | undefined => {
    if (n.Schema === ROWS_SCHEMA) return catalog.table(n['Relation Name']);
    const rowsOf = typeof n['Relation Name'] === 'string' && String(n.Schema).startsWith('pg_temp') ? relationOfRowsTable(n['Relation Name']) : undefined;
    if (rowsOf) return catalog.table(rowsOf);
    return undefined;
  };

  const addScan = (table: TableDecl, members: PlanNode[]) => {
    const aliases = new Set<string>();
    const quals: Qual[] = [];
    const others: string[] = [];
    let columns: Set<string> | undefined = new Set<string>();
    for (const m of members) {
      for (const out of (m.Output ?? []) as string[]) {
        const col = /^[\w$]+\.([a-z_][\w$]*)$/.exec(out)?.[1];
        if (col) columns?.add(col);
        else columns = undefined;
      }
      aliases.add(m.Alias);
      aliases.add(String(m.Alias).replace(/_\d+$/, ''));
      for (const key of ['Filter', 'Index Cond', 'Recheck Cond']) {
        if (!m[key]) continue;
        // The scan's Output leaves out columns only its own filter reads; they must be fetched too.
        if (columns) for (const c of table.columns) if (mentionsColumn(m[key], engineName(c.name))) columns.add(engineName(c.name));
        const parsed = parseCondition(m[key]);
        quals.push(...parsed.quals);
        others.push(...parsed.others);
      }
    }
    const unaliased = others.map((o) => stripAliases(o, aliases));
    scans.push({ table, aliases, quals: dedupeQuals(quals), others: [...new Set(unaliased)], columns });
  };

  // One scan per read of a session rows table (the temp child holding the fetched rows). The
  // pg_jsm_rows parent's own member of the inheritance Append holds no rows; UNION may flatten several reads
  // of one relation into a single Append, so members are never grouped by their Append.
  const walk = (n: PlanNode) => {
    nodeTypes.add(n['Node Type']);
    for (const key of CONDITION_KEYS) if (typeof n[key] === 'string') joins.push(...parseCondition(n[key]).joins);
    const t = jsmTable(n);
    if (t && n.Schema !== ROWS_SCHEMA) addScan(t, [n]);
    else if (!t && n['Relation Name'] && n.Alias) localRelations.set(n.Alias, { schema: n.Schema, relation: n['Relation Name'], filter: n.Filter });
    (n.Plans ?? []).forEach(walk);
  };
  walk(plan);
  return { scans, joins, nodeTypes, localRelations };
}

function mentionsColumn(condition: string, column: string): boolean {
  return new RegExp(`(^|[^\\w$])${column}($|[^\\w$])`).test(condition);
}

function dedupeQuals(quals: Qual[]): Qual[] {
  const seen = new Map<string, Qual>();
  for (const q of quals) seen.set(`${q.column}\0${q.values.join('\0')}`, q);
  return [...seen.values()];
}

/** Members of one inheritance scan differ only in alias; show their conditions once, unqualified. */
function stripAliases(text: string, aliases: ReadonlySet<string>): string {
  let out = text;
  for (const a of aliases) out = out.replace(new RegExp(`(?<![\\w."])${a.replace(/[^\w]/g, '\\$&')}\\.`, 'g'), '');
  return out;
}
