/**
 * A text EXPLAIN as the data model shows it, not the mechanism (issue 15 item 6). A JSM relation is
 * a guarded view over an empty pg_jsm_rows table whose temp child holds the fetched rows (DESIGN.md
 * §6), so PostgreSQL plans each read as an Append of two scans under the guard's One-Time Filter:
 *
 *   Append                                            Seq Scan on requests
 *     ->  Result                                        Filter: (servicedeskid = '1'::text)
 *           One-Time Filter: pg_jsm_rows.fetched(…)
 *           ->  Seq Scan on requests requests_1    →
 *     ->  Result
 *           One-Time Filter: pg_jsm_rows.fetched(…)
 *           ->  Seq Scan on jsm_rows_of_requests requests_2
 *
 * The guard's conjuncts leave every One-Time Filter (a Result that only ran the guard goes too) and
 * each (empty parent, rows table) pair of scans becomes one scan of the relation, named as the plan's
 * other nodes name it (`requests.requestid` in a Hash Cond above). Only the text format changes: the
 * gateway's own planner reads FORMAT JSON, and JSON, XML and YAML stay as the engine wrote them.
 */
import { JSM_SCHEMA, ROWS_SCHEMA, ROWS_TABLE_PREFIX } from '../catalog/registry.ts';
import { parsePlanText, renderPlanText, type PlanChild, type PlanNode } from './plan-text.ts';

/** The plan's rows with the mechanism folded away; rows it cannot read as a plan come back as they are. */
export function modelPlanRows(lines: readonly string[]): string[] {
  const plan = parsePlanText(lines);
  if (!plan) return [...lines];
  plan.root = withoutGuards(plan.root);
  const names = parentNames(plan.root);
  plan.root = foldAppends(plan.root, names);
  return renderPlanText(plan);
}

const ONE_TIME_FILTER = 'One-Time Filter: ';
const GUARD = new RegExp(`^${ROWS_SCHEMA}\\.fetched\\('[^']*'::text\\)$`);

/** Drops the guard's conjuncts from One-Time Filters, and Results that did nothing else. */
function withoutGuards(node: PlanNode): PlanNode {
  const children = node.children.map((c) => ({ ...c, node: withoutGuards(c.node) }));
  let guarded = false;
  const props: string[] = [];
  for (const p of node.props) {
    if (!p.startsWith(ONE_TIME_FILTER)) {
      props.push(p);
      continue;
    }
    const all = conjuncts(p.slice(ONE_TIME_FILTER.length));
    const kept = all.filter((c) => !GUARD.test(c));
    if (kept.length === all.length) props.push(p);
    else {
      guarded = true;
      if (kept.length) props.push(ONE_TIME_FILTER + (kept.length === 1 ? kept[0] : `(${kept.join(' AND ')})`));
    }
  }
  const only = children.length === 1 && children[0]!.label === undefined ? children[0]!.node : undefined;
  // a Result kept for the guard alone (its Output, in VERBOSE, is its child's): the child takes its place
  if (guarded && only && /^Result(\s|$)/.test(node.head)) {
    const childOutput = only.props.find((p) => p.startsWith('Output: '));
    if (props.every((p) => p.startsWith('Buffers: ') || p === childOutput)) return only;
  }
  return { ...node, props, children };
}

/** `(a AND b AND c)` → [a, b, c]; anything else is its one conjunct. */
function conjuncts(expr: string): string[] {
  if (!expr.startsWith('(') || !expr.endsWith(')')) return [expr];
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 1;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    if (quote) {
      if (ch === quote) quote = undefined; // a doubled quote closes and reopens: same result
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0 && i !== expr.length - 1) return [expr]; // `(a) AND (b)` is not one parenthesised list
    } else if (depth === 1 && expr.startsWith(' AND ', i)) {
      parts.push(expr.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  if (parts.length === 0) return [expr];
  parts.push(expr.slice(start, -1));
  return parts;
}

/** A scan's line: `Seq Scan on pg_temp.jsm_rows_of_requests requests_2  (cost=…)`. */
const SCAN = /^(?<kind>.+? on )(?<rel>\S+) (?<alias>\S+?)(?<rest>\s+\(.*)?$/;
/** Where a node's figures start: `  (cost=…)`, or ` (actual …)` with COSTS OFF. */
const FIGURES = /\s+\(.*$/;

interface Member {
  readonly relation: string;
  readonly n: number;
}

/** One read of a JSM relation: its rows table's scan, under a Result when a One-Time Filter besides the guard is left. */
interface Pair extends Member {
  readonly rows: PlanNode;
  readonly result?: PlanNode;
}

/** The empty pg_jsm_rows table (its own member of the Append) or the session's rows table of a relation. */
function member(node: PlanNode, rows: boolean): Member | undefined {
  const m = node.children.length ? undefined : SCAN.exec(node.head)?.groups;
  if (!m) return undefined;
  const rel = m.rel!.replace(rows ? /^pg_temp\./ : new RegExp(`^${ROWS_SCHEMA}\\.`), '');
  const relation = !rows ? rel : rel.startsWith(ROWS_TABLE_PREFIX) ? rel.slice(ROWS_TABLE_PREFIX.length) : undefined;
  const n = relation === undefined ? undefined : numberIn(m.alias!, relation);
  return n === undefined ? undefined : { relation: relation!, n };
}

/** requests → 0, requests_2 → 2, anything else → undefined. */
function numberIn(alias: string, relation: string): number | undefined {
  if (alias === relation) return 0;
  const suffix = alias.startsWith(`${relation}_`) ? alias.slice(relation.length + 1) : '';
  return /^\d+$/.test(suffix) ? Number(suffix) : undefined;
}

/** A node's scan, and the Result above it if there is one (with its child alone). */
function scanOf(node: PlanNode): { scan: PlanNode; result?: PlanNode } | undefined {
  if (node.children.length === 0) return { scan: node };
  const only = node.children.length === 1 && node.children[0]!.label === undefined ? node.children[0]!.node : undefined;
  return only && /^Result(\s|$)/.test(node.head) && only.children.length === 0 ? { scan: only, result: node } : undefined;
}

/** Where an Append's children i and i+1 are one read of a JSM relation: that read. */
function pairAt(children: readonly PlanChild[], i: number): Pair | undefined {
  const a = children[i];
  const b = children[i + 1];
  if (!a || !b || a.label !== undefined || b.label !== undefined) return undefined;
  const first = scanOf(a.node);
  const second = scanOf(b.node);
  if (!first || !second || Boolean(first.result) !== Boolean(second.result)) return undefined;
  const parent = member(first.scan, false);
  const rows = member(second.scan, true);
  if (!parent || !rows || parent.relation !== rows.relation || rows.n !== parent.n + 1) return undefined;
  // the Results' filters are the same, but for the member each names in VERBOSE
  const same = (r: PlanNode, n: number) => r.props.filter((p) => !p.startsWith('Buffers: ')).map((p) => renameAlias(p, aliasKey(rows.relation, n), '')).join('\n');
  if (first.result && same(first.result, parent.n) !== same(second.result!, rows.n)) return undefined;
  return { ...rows, rows: second.scan, result: second.result };
}

const APPEND = /^Append(\s|$)/;
const aliasKey = (relation: string, n: number) => (n === 0 ? relation : `${relation}_${n}`);

/**
 * The name the plan gives each read's parent table, by its rows table's alias. EXPLAIN names the
 * range table entries it uses in order, numbering repeats (requests, requests_1, …): a query level's
 * parent tables come before their members, which follow in the parents' order. So the numbers no
 * node shows are the parents', and each pair of members belongs to the oldest parent not yet
 * matched. Where that does not add up (a name the plan uses without showing it), the read keeps
 * its rows table's name.
 */
function parentNames(root: PlanNode): Map<string, string> {
  const pairs = new Map<string, Set<number>>(); // relation → the number of each pair's first member
  const shown: string[] = [];
  const walk = (node: PlanNode) => {
    if (APPEND.test(node.head))
      for (let i = 0; i < node.children.length; i++) {
        const p = pairAt(node.children, i);
        if (!p) continue;
        pairs.set(p.relation, (pairs.get(p.relation) ?? new Set<number>()).add(p.n - 1));
        i++;
      }
    const on = /^.+? on (?<names>.+?)(\s+\(.*)?$/.exec(node.head)?.groups?.names;
    if (on) shown.push(on.split(' ').pop()!);
    node.children.forEach((c) => walk(c.node));
  };
  walk(root);
  const names = new Map<string, string>();
  for (const [relation, firsts] of pairs) {
    const used = new Set([...firsts].flatMap((n) => [n, n + 1]));
    // names other nodes show (a CTE, a table or a write's target of that name) are not parents
    const taken = new Set(shown.map((a) => numberIn(a, relation)).filter((n) => n !== undefined));
    const parents: number[] = [];
    const matched: [number, number][] = [];
    for (let n = 0; n <= Math.max(...used); n++) {
      if (!used.has(n) && !taken.has(n)) parents.push(n);
      else if (firsts.has(n) && parents.length) matched.push([n + 1, parents.shift()!]);
    }
    if (parents.length || matched.length !== firsts.size) continue;
    for (const [rows, parent] of matched) names.set(aliasKey(relation, rows), aliasKey(relation, parent));
  }
  return names;
}

/** Each (parent, rows table) pair of an Append becomes one scan; an Append left with one child is that scan. */
function foldAppends(node: PlanNode, names: ReadonlyMap<string, string>): PlanNode {
  const children = node.children.map((c) => ({ ...c, node: foldAppends(c.node, names) }));
  if (!APPEND.test(node.head)) return { ...node, children };
  const out: PlanChild[] = [];
  let folded = 0;
  for (let i = 0; i < children.length; i++) {
    const p = pairAt(children, i);
    if (!p) {
      out.push(children[i]!);
      continue;
    }
    const scan = relationScan(p, names);
    const alias = SCAN.exec(p.rows.head)!.groups!.alias!;
    const result = p.result && { ...p.result, props: p.result.props.map((line) => renameAlias(line, alias, names.get(alias) ?? alias)), children: [{ node: scan }] };
    out.push({ node: result ?? scan });
    folded++;
    i++;
  }
  const members = out.filter((c) => c.label === undefined);
  if (folded === 0 || members.length > 1) return { ...node, children: folded ? out : children };
  // the Append's own figures (its cost, actual rows and buffers) are the read's: its parents' add up
  // from them; its InitPlans and SubPlans go with it, InitPlans first as PostgreSQL shows them
  const read = members[0]!.node;
  const figures = node.head.match(FIGURES)?.[0] ?? '';
  const buffers = node.props.filter((p) => p.startsWith('Buffers: '));
  const labelled = out.filter((c) => c.label !== undefined);
  const init = labelled.filter((c) => c.label!.startsWith('InitPlan'));
  return {
    head: read.head.replace(FIGURES, '') + figures,
    props: [...read.props.filter((p) => !p.startsWith('Buffers: ')), ...buffers],
    children: [...init, ...read.children, ...labelled.filter((c) => !init.includes(c))],
  };
}

/** The rows table's scan as a scan of the relation, under the name the plan's other nodes use. */
function relationScan(p: Pair, names: ReadonlyMap<string, string>): PlanNode {
  const m = SCAN.exec(p.rows.head)!.groups!;
  const alias = names.get(m.alias!) ?? m.alias!;
  const verbose = m.rel!.includes('.');
  const rel = verbose ? `${JSM_SCHEMA}.${p.relation}` : p.relation;
  return {
    head: `${m.kind}${rel}${alias === p.relation ? '' : ` ${alias}`}${m.rest ?? ''}`,
    props: p.rows.props.map((line) => renameAlias(line, m.alias!, alias)),
    children: [],
  };
}

/** `requests_2.servicedeskid` → `requests.servicedeskid`, outside quoted text. */
function renameAlias(line: string, from: string, to: string): string {
  if (from === to) return line;
  const ref = new RegExp(`(?<![\\w$."])${from}\\.`, 'g');
  return line
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(ref, `${to}.`)))
    .join('');
}
