import type { ColumnDecl, ProcedureDecl, TableDecl } from './types.ts';

/**
 * One thing wrong with a declaration. `path` leads from the relation's declaration to the value at
 * fault, so a schema file in Location can be blamed by line and column (src/catalog/schema-files).
 */
export interface CatalogProblem {
  /** The relation (or procedure) at fault, by its declared name; absent for catalog-wide problems. */
  readonly table?: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Checks every declaration and reports all problems together, so a broken catalog fails at load. */
export function validateCatalog(tables: readonly TableDecl[], procedures: readonly ProcedureDecl[]): void {
  const problems = catalogProblems(tables, procedures);
  if (problems.length) throw new Error(`catalog has ${problems.length} problem(s):\n- ${problems.map((p) => p.message).join('\n- ')}`);
}

type Path = readonly (string | number)[];

export function catalogProblems(tables: readonly TableDecl[], procedures: readonly ProcedureDecl[]): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const names = new Set<string>();
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  for (const t of tables) {
    const problem = (path: Path, message: string) => problems.push({ table: t.name, path, message });
    const lname = t.name.toLowerCase();
    if (names.has(lname)) problem(['name'], `duplicate relation ${t.name}`);
    names.add(lname);
    const cols = new Map<string, (typeof t.columns)[number]>();
    t.columns.forEach((c, i) => {
      const at = ['columns', i] as const;
      if (cols.has(c.name.toLowerCase())) problem([...at, 'name'], `${t.name}: duplicate column ${c.name}`);
      cols.set(c.name.toLowerCase(), c);
      if (!c.remote && !c.bind && !c.pseudo && !c.writeOnly) problem(at, `${t.name}.${c.name}: needs remote, bind, pseudo or writeOnly`);
      for (const p of columnProblems(t, c)) problem([...at, ...p.path], p.message);
      if (c.references) {
        const rt = byName.get(c.references.table.toLowerCase());
        if (!rt) problem([...at, 'references', 'table'], `${t.name}.${c.name}: references unknown table ${c.references.table}`);
        else if (!rt.columns.some((rc) => rc.name.toLowerCase() === c.references!.column.toLowerCase()))
          problem([...at, 'references', 'column'], `${t.name}.${c.name}: references unknown column ${c.references.table}.${c.references.column}`);
      }
    });
    if (!t.columns.some((c) => c.key)) problem(['columns'], `${t.name}: no key column`);
    t.filters.forEach((f, i) => {
      if (!cols.has(f.column.toLowerCase())) problem(['filters', i, 'column'], `${t.name}: filter on unknown column ${f.column}`);
      if (f.endpoint === 'get' && !t.get) problem(['filters', i, 'endpoint'], `${t.name}: filter ${f.column} targets a get endpoint that is not declared`);
      if (f.operators.length === 0) problem(['filters', i, 'operators'], `${t.name}: filter ${f.column} has no operators`);
    });
    (t.required ?? []).forEach((r, i) => {
      if (!cols.has(r.toLowerCase())) problem(['required', i], `${t.name}: required filter column ${r} is not a column`);
    });
    for (const p of writesProblems(t, cols)) problem(['writes', ...p.path], p.message);
    for (const [key, ep] of [['list', t.list], ['get', t.get]] as const) {
      if (!ep) continue;
      for (const ph of placeholders(ep.path)) {
        const bound = t.filters.some((f) => f.param === ph) || (t.parent && ph in t.parent.keys);
        if (!bound) problem([key, 'path'], `${t.name}: path placeholder {${ph}} of ${ep.path} is bound by no filter or parent key`);
      }
    }
    for (const [path, ep] of [[['list'], t.list], [['get'], t.get], [['parent', 'listAll'], t.parent?.listAll]] as const)
      if (ep?.items !== undefined && ep.paging !== 'none') problem([...path, 'items'], `${t.name}: items of ${ep.path} needs paging 'none'`);
    if (t.parent) {
      const pt = byName.get(t.parent.table.toLowerCase());
      if (!pt) problem(['parent', 'table'], `${t.name}: unknown parent ${t.parent.table}`);
      else for (const p of parentProblems(t, pt)) problem(['parent', ...p.path], p.message);
    }
  }
  const procNames = new Set<string>();
  for (const p of procedures) {
    if (procNames.has(p.name.toLowerCase())) problems.push({ table: p.name, path: ['name'], message: `duplicate procedure ${p.name}` });
    procNames.add(p.name.toLowerCase());
    const pn = new Set<string>();
    p.params.forEach((prm, i) => {
      if (pn.has(prm.name.toLowerCase())) problems.push({ table: p.name, path: ['params', i, 'name'], message: `${p.name}: duplicate parameter ${prm.name}` });
      pn.add(prm.name.toLowerCase());
    });
  }
  return problems;
}

type Local = { path: Path; message: string };

/** Columns a write form names (`needs` alternatives are `A|B`) must be the relation's. */
function writesProblems(t: TableDecl, cols: ReadonlyMap<string, ColumnDecl>): Local[] {
  const out: Local[] = [];
  const known = (name: string) => cols.has(name.toLowerCase());
  for (const opName of ['insert', 'update', 'delete'] as const) {
    const op = t.writes?.[opName];
    if (!op) continue;
    op.forms.forEach((f, i) => {
      const at = [opName, 'forms', i];
      f.needs.forEach((n, j) => {
        for (const alt of n.split('|')) if (!known(alt)) out.push({ path: [...at, 'needs', j], message: `${t.name}: ${opName} needs unknown column ${alt}` });
      });
      f.columns.forEach((c, j) => {
        if (!known(c)) out.push({ path: [...at, 'columns', j], message: `${t.name}: ${opName} writes unknown column ${c}` });
      });
    });
  }
  return out;
}

function columnProblems(t: TableDecl, c: ColumnDecl): Local[] {
  const out: Local[] = [];
  const at = `${t.name}.${c.name}`;
  if (c.bindPattern !== undefined) {
    if (!c.bind) out.push({ path: ['bindPattern'], message: `${at}: bindPattern without bind` });
    try {
      new RegExp(c.bindPattern);
    } catch {
      out.push({ path: ['bindPattern'], message: `${at}: bindPattern is not a regular expression` });
    }
    // A key is NOT NULL in the engine, and a pattern can leave the value out.
    if (c.key && !c.remote) out.push({ path: ['key'], message: `${at}: a key column cannot depend on bindPattern` });
  }
  if (c.writeOnly && (c.key || c.remote || c.bind || c.pseudo))
    out.push({ path: ['writeOnly'], message: `${at}: a writeOnly column is never read, so it cannot be key, remote, bound or pseudo` });
  if (c.writeOnly && !c.writable) out.push({ path: ['writeOnly'], message: `${at}: writeOnly needs writable` });
  return out;
}

function parentProblems(t: TableDecl, pt: TableDecl): Local[] {
  const out: Local[] = [];
  const has = (table: TableDecl, col: string) => table.columns.some((c) => c.name.toLowerCase() === col.toLowerCase());
  for (const [binding, col] of Object.entries(t.parent!.keys)) if (!has(pt, col)) out.push({ path: ['keys', binding], message: `${t.name}: parent key ${col} not in ${pt.name}` });
  for (const [mine, theirs] of Object.entries(t.parent!.columns ?? {})) {
    if (!has(t, mine)) out.push({ path: ['columns', mine], message: `${t.name}: parent column ${mine} not in ${t.name}` });
    if (!has(pt, theirs)) out.push({ path: ['columns', mine], message: `${t.name}: parent column ${theirs} not in ${pt.name}` });
  }
  const all = t.parent!.listAll;
  if (all) {
    const params = new Set(t.filters.filter((f) => f.endpoint !== 'get').map((f) => f.param));
    all.params.forEach((p, i) => {
      if (!params.has(p)) out.push({ path: ['listAll', 'params', i], message: `${t.name}: listAll param ${p} is no list filter's param` });
    });
    for (const ph of placeholders(all.path)) out.push({ path: ['listAll', 'path'], message: `${t.name}: listAll path ${all.path} has placeholder {${ph}}` });
    // Rows listed without a parent have their parent-bound columns null, which a key cannot be.
    for (const c of t.columns)
      if (c.key && c.bind && c.bind in t.parent!.keys && !c.remote)
        out.push({ path: ['listAll'], message: `${t.name}.${c.name}: a key column is null in rows listed by listAll` });
  }
  return out;
}

export function placeholders(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}
