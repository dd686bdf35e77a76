import type { ColumnDecl, ProcedureDecl, TableDecl } from './types.ts';

/** Checks every declaration and reports all problems together, so a broken catalog fails at load. */
export function validateCatalog(tables: readonly TableDecl[], procedures: readonly ProcedureDecl[]): void {
  const problems: string[] = [];
  const names = new Set<string>();
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  for (const t of tables) {
    const lname = t.name.toLowerCase();
    if (names.has(lname)) problems.push(`duplicate relation ${t.name}`);
    names.add(lname);
    const cols = new Map<string, (typeof t.columns)[number]>();
    for (const c of t.columns) {
      if (cols.has(c.name.toLowerCase())) problems.push(`${t.name}: duplicate column ${c.name}`);
      cols.set(c.name.toLowerCase(), c);
      if (!c.remote && !c.bind && !c.pseudo && !c.writeOnly) problems.push(`${t.name}.${c.name}: needs remote, bind, pseudo or writeOnly`);
      problems.push(...columnProblems(t, c));
      if (c.references) {
        const rt = byName.get(c.references.table.toLowerCase());
        if (!rt) problems.push(`${t.name}.${c.name}: references unknown table ${c.references.table}`);
        else if (!rt.columns.some((rc) => rc.name.toLowerCase() === c.references!.column.toLowerCase()))
          problems.push(`${t.name}.${c.name}: references unknown column ${c.references.table}.${c.references.column}`);
      }
    }
    if (!t.columns.some((c) => c.key)) problems.push(`${t.name}: no key column`);
    for (const f of t.filters) {
      if (!cols.has(f.column.toLowerCase())) problems.push(`${t.name}: filter on unknown column ${f.column}`);
      if (f.endpoint === 'get' && !t.get) problems.push(`${t.name}: filter ${f.column} targets a get endpoint that is not declared`);
      if (f.operators.length === 0) problems.push(`${t.name}: filter ${f.column} has no operators`);
    }
    for (const ep of [t.list, t.get]) {
      if (!ep) continue;
      for (const ph of placeholders(ep.path)) {
        const bound = t.filters.some((f) => f.param === ph) || (t.parent && ph in t.parent.keys);
        if (!bound) problems.push(`${t.name}: path placeholder {${ph}} of ${ep.path} is bound by no filter or parent key`);
      }
    }
    for (const ep of [t.list, t.get, t.parent?.listAll])
      if (ep?.items !== undefined && ep.paging !== 'none') problems.push(`${t.name}: items of ${ep.path} needs paging 'none'`);
    if (t.parent) {
      const pt = byName.get(t.parent.table.toLowerCase());
      if (!pt) problems.push(`${t.name}: unknown parent ${t.parent.table}`);
      else problems.push(...parentProblems(t, pt));
    }
  }
  const procNames = new Set<string>();
  for (const p of procedures) {
    if (procNames.has(p.name.toLowerCase())) problems.push(`duplicate procedure ${p.name}`);
    procNames.add(p.name.toLowerCase());
    const pn = new Set<string>();
    for (const prm of p.params) {
      if (pn.has(prm.name.toLowerCase())) problems.push(`${p.name}: duplicate parameter ${prm.name}`);
      pn.add(prm.name.toLowerCase());
    }
  }
  if (problems.length) throw new Error(`catalog has ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
}

function columnProblems(t: TableDecl, c: ColumnDecl): string[] {
  const out: string[] = [];
  const at = `${t.name}.${c.name}`;
  if (c.bindPattern !== undefined) {
    if (!c.bind) out.push(`${at}: bindPattern without bind`);
    try {
      new RegExp(c.bindPattern);
    } catch {
      out.push(`${at}: bindPattern is not a regular expression`);
    }
    // A key is NOT NULL in the engine, and a pattern can leave the value out.
    if (c.key && !c.remote) out.push(`${at}: a key column cannot depend on bindPattern`);
  }
  if (c.writeOnly && (c.key || c.remote || c.bind || c.pseudo)) out.push(`${at}: a writeOnly column is never read, so it cannot be key, remote, bound or pseudo`);
  if (c.writeOnly && !c.writable) out.push(`${at}: writeOnly needs writable`);
  return out;
}

function parentProblems(t: TableDecl, pt: TableDecl): string[] {
  const out: string[] = [];
  const has = (table: TableDecl, col: string) => table.columns.some((c) => c.name.toLowerCase() === col.toLowerCase());
  for (const col of Object.values(t.parent!.keys)) if (!has(pt, col)) out.push(`${t.name}: parent key ${col} not in ${pt.name}`);
  for (const [mine, theirs] of Object.entries(t.parent!.columns ?? {})) {
    if (!has(t, mine)) out.push(`${t.name}: parent column ${mine} not in ${t.name}`);
    if (!has(pt, theirs)) out.push(`${t.name}: parent column ${theirs} not in ${pt.name}`);
  }
  const all = t.parent!.listAll;
  if (all) {
    const params = new Set(t.filters.filter((f) => f.endpoint !== 'get').map((f) => f.param));
    for (const p of all.params) if (!params.has(p)) out.push(`${t.name}: listAll param ${p} is no list filter's param`);
    for (const ph of placeholders(all.path)) out.push(`${t.name}: listAll path ${all.path} has placeholder {${ph}}`);
    // Rows listed without a parent have their parent-bound columns null, which a key cannot be.
    for (const c of t.columns)
      if (c.key && c.bind && c.bind in t.parent!.keys && !c.remote) out.push(`${t.name}.${c.name}: a key column is null in rows listed by listAll`);
  }
  return out;
}

export function placeholders(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}
