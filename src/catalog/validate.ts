import type { ProcedureDecl, TableDecl } from './types.ts';

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
      if (!c.remote && !c.bind && !c.pseudo) problems.push(`${t.name}.${c.name}: needs remote, bind or pseudo`);
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
    if (t.parent) {
      const pt = byName.get(t.parent.table.toLowerCase());
      if (!pt) problems.push(`${t.name}: unknown parent ${t.parent.table}`);
      else for (const col of Object.values(t.parent.keys))
        if (!pt.columns.some((c) => c.name.toLowerCase() === col.toLowerCase())) problems.push(`${t.name}: parent key ${col} not in ${pt.name}`);
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

export function placeholders(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}
