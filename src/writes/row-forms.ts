import { engineName } from '../catalog/registry.ts';
import type { BodyTemplate, TableDecl, WriteForm, WriteOp } from '../catalog/types.ts';
import { PgError, SqlState } from '../errors/index.ts';
import { fillPath } from '../executor/fetch-scan.ts';

export type Values = Record<string, unknown>;

const has = (row: Values, column: string) => column.split('|').some((c) => row[engineName(c)] !== null && row[engineName(c)] !== undefined);
const described = (need: string) => need.split('|').join(' or ');

/** The row's form: the first whose needs all have values; 23502 naming what is missing when none fits. */
export function formOf(table: TableDecl, verb: string, op: WriteOp, row: Values, rowNo: number): WriteForm {
  const form = op.forms.find((f) => f.needs.every((n) => has(row, n)));
  if (form) return form;
  const options = op.forms.map((f) => f.needs.filter((n) => !has(row, n)).map(described).join(' and '));
  throw new PgError(SqlState.NotNullViolation, `${verb} needs a value for ${[...new Set(options)].join(', or for ')} (row ${rowNo})`);
}

/** Columns a form fills its path from: the declared bindings, else the filters on each placeholder. */
function bindingColumns(table: TableDecl, form: WriteForm, param: string): readonly string[] {
  return form.bindings?.[param] ?? table.filters.filter((f) => f.param === param).map((f) => f.column);
}

/** The path placeholders' values, taken from the row. */
export function bindingOf(table: TableDecl, form: WriteForm, row: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, param] of form.path.matchAll(/\{(\w+)\}/g)) {
    const col = bindingColumns(table, form, param!).find((c) => has(row, c));
    if (col) out[param!] = String(row[engineName(col)]);
  }
  return out;
}

export function pathOf(table: TableDecl, form: WriteForm, row: Values): string {
  return fillPath(form.path, bindingOf(table, form, row));
}

/** Run-time columns the form sends under an ID of their own (see WriteForm.fieldColumns): engine name → ID. */
export function fieldColumnIds(table: TableDecl, form: WriteForm): Map<string, string> {
  const out = new Map<string, string>();
  const prefix = form.fieldColumns?.remotePrefix;
  if (!prefix) return out;
  for (const c of table.columns) {
    if (!c.remote?.startsWith(prefix)) continue;
    const end = c.remote.indexOf(']', prefix.length);
    if (end > prefix.length) out.set(engineName(c.name), c.remote.slice(prefix.length, end));
  }
  return out;
}

/** Columns whose values the form sends (its path's and its body's), engine names. */
export function sentColumns(table: TableDecl, form: WriteForm): Set<string> {
  const out = new Set([...form.columns.map(engineName), ...fieldColumnIds(table, form).keys()]);
  for (const [, param] of form.path.matchAll(/\{(\w+)\}/g)) for (const c of bindingColumns(table, form, param!)) out.add(engineName(c));
  return out;
}

/**
 * Refuses values the API would ignore or reject, before any call: a column given a value that
 * the form does not send (0A000 naming it), a value outside the allowed ones (22023).
 */
export function checkRow(table: TableDecl, verb: string, op: WriteOp, form: WriteForm, row: Values, written: readonly string[], rowNo: number): Values {
  const sent = sentColumns(table, form);
  for (const col of written) {
    if (row[col] === null || row[col] === undefined || sent.has(col)) continue;
    const name = table.columns.find((c) => engineName(c.name) === col)?.name ?? col;
    const writable = form.columns.length ? `; the API takes ${form.columns.join(', ')}` : '';
    throw new PgError(SqlState.FeatureNotSupported, `column ${name} of ${table.name} cannot be written with ${verb} (row ${rowNo}): JSM sets it${writable}`);
  }
  const out = { ...row };
  for (const [column, allowed] of Object.entries(op.values ?? {})) {
    const col = engineName(column);
    const v = out[col];
    if (v === null || v === undefined) continue;
    const given = String(v).toLowerCase();
    const value = op.aliases?.[column]?.[given] ?? given;
    if (!allowed.includes(value)) {
      throw new PgError(SqlState.InvalidParameterValue, `invalid value for ${column} of ${table.name}: ${JSON.stringify(String(v))} (row ${rowNo})`, {
        detail: `The allowed values are ${allowed.join(', ')}.`,
      });
    }
    out[col] = value;
  }
  return out;
}

/** The JSON body of a form for a row (see BodyTemplate and WriteForm.fieldColumns). */
export function bodyOf(table: TableDecl, form: WriteForm, row: Values): unknown {
  const body = templateBody(form.body, row);
  const ids = fieldColumnIds(table, form);
  if (!ids.size || body === undefined) return body;
  const into = ((body as Record<string, unknown>)[form.fieldColumns!.into] ?? {}) as Record<string, unknown>;
  for (const [col, id] of ids) if (row[col] !== null && row[col] !== undefined) into[id] = row[col];
  return Object.keys(into).length ? { ...(body as object), [form.fieldColumns!.into]: into } : body;
}

function templateBody(template: BodyTemplate | undefined, row: Values): unknown {
  if (template === undefined) return undefined;
  const fill = (t: BodyTemplate): unknown => {
    if (typeof t === 'string') {
      const m = /^\{(\w+)\}$/.exec(t);
      if (!m) return t;
      const v = row[engineName(m[1]!)];
      return v === null || v === undefined ? undefined : v;
    }
    if (Array.isArray(t)) {
      const items = t.map(fill).filter((v) => v !== undefined);
      return items.length ? items : undefined;
    }
    if (t !== null && typeof t === 'object') {
      const entries = Object.entries(t).map(([k, v]) => [k, fill(v)] as const).filter(([, v]) => v !== undefined);
      return entries.length ? Object.fromEntries(entries) : undefined;
    }
    return t;
  };
  return fill(template) ?? {};
}
