import pg from 'pg';
import { mapRow, type Row } from '../../src/executor/row-mapper.ts';
import { referenceSchemaDdl } from '../../src/catalog/ddl.ts';
import { engineName, getCatalog, JSM_SCHEMA, type Catalog } from '../../src/catalog/registry.ts';
import type { TableDecl } from '../../src/catalog/types.ts';
import { placeholders } from '../../src/catalog/validate.ts';
import { dedupe } from '../../src/executor/loader.ts';
import type { SimDataset, SimDatasetKind } from '../../src/simulator/index.ts';

/**
 * Which simulator dataset kind holds the rows of each catalog relation (seed names), as a query that
 * names no parent sees them: Organizations and Users then come from their `listAll` endpoints (every
 * organization, every site user, parent column null). The column mappings come from the catalog.
 */
export const DATASET_KIND: Readonly<Record<string, SimDatasetKind>> = {
  ServiceDesks: 'servicedesk',
  Requests: 'request',
  RequestComments: 'request.comment',
  RequestParticipants: 'request.participant',
  RequestApprovals: 'request.approval',
  CustomerTransitions: 'request.transition',
  RequestSLACycles: 'request.sla',
  RequestStatusChangelog: 'request.status',
  RequestTypes: 'requesttype',
  RequestTypeGroups: 'requesttypegroup',
  RequestTypeFields: 'requesttype.field',
  Organizations: 'organization',
  Users: 'user',
  Customers: 'servicedesk.customer',
  KnowledgeBaseArticles: 'knowledgebase.article',
  Queues: 'servicedesk.queue',
  QueueRequests: 'queue.issue',
};

/**
 * The same relations as a query that names their parent sees them (`WHERE ServiceDeskId = …`, a
 * join on OrganizationId): one row per parent, the parent column filled. Loaded into SCOPED_SCHEMA,
 * so a statement's reference can read `jsm_scoped.users` where the gateway reads `users`.
 */
export const SCOPED_KIND: Readonly<Record<string, SimDatasetKind>> = {
  Organizations: 'servicedesk.organization',
  Users: 'organization.user',
};

export const SCOPED_SCHEMA = 'jsm_scoped';

export interface ReferenceDb {
  /** Connection URL of the loaded database (C collation as the gateway's engine; connect() also sets search_path and TimeZone). */
  readonly url: string;
  readonly dataset: SimDataset;
  /** Rows loaded per relation (engine name). */
  readonly counts: Readonly<Record<string, number>>;
  /** Dataset items that collapsed onto an earlier row with the same key, per relation (a catalog key problem when > 0). */
  readonly duplicates: Readonly<Record<string, number>>;
  /** A client on the reference database, set up like a gateway session (`types` etc. may be given). */
  connect(config?: Omit<pg.ClientConfig, 'connectionString'>): Promise<pg.Client>;
  /** Drops the database. */
  close(): Promise<void>;
}

/** Settings that make both sides print values in the same text form (the gateway's engine runs in GMT). */
export const TEXT_SETTINGS = `SET TimeZone = 'GMT'; SET DateStyle = 'ISO, MDY'; SET extra_float_digits = 1`;

/** A reference session set up like a gateway session: the engine's search_path, then TEXT_SETTINGS. */
export const SESSION_SETUP = `SET search_path = ${JSM_SCHEMA}, userviews, public, pg_temp; ${TEXT_SETTINGS}`;

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The binding a gateway call would have had for one dataset item: each parameter the table binds
 * (path placeholders, `bind` columns) taken from the item's parent ids, matched by parameter name
 * or by the name of the column it fills. Pseudo columns are left out, so they read their defaults.
 */
export function bindingFor(table: TableDecl, parent: Readonly<Record<string, string>>): Record<string, string> {
  const params = new Set([...placeholders(table.list.path), ...table.columns.flatMap((c) => (c.bind ? [c.bind] : []))]);
  const byName = new Map(Object.entries(parent).map(([k, v]) => [norm(k), v]));
  const binding: Record<string, string> = {};
  for (const p of params) {
    const names = [p, table.parent?.keys[p], ...table.columns.filter((c) => c.bind === p).map((c) => c.name)];
    const value = names.map((n) => (n ? byName.get(norm(n)) : undefined)).find((v) => v !== undefined);
    if (value !== undefined) binding[p] = value;
  }
  return binding;
}

type Entry = { parent: Record<string, string>; item: Record<string, unknown> };

/** Dataset items the API leaves out unless a pseudo column asks for them (hidden fields need Expand = 'hiddenFields'). */
const OMITTED_BY_DEFAULT: Readonly<Record<string, (item: Record<string, unknown>) => boolean>> = {
  RequestTypeFields: (item) => item.visible === false,
};

function entriesOf(table: TableDecl, dataset: SimDataset): Entry[] {
  const kind = DATASET_KIND[table.name];
  if (!kind) throw new Error(`reference-db: no simulator dataset kind for ${table.name}; add it to DATASET_KIND`);
  const omit = OMITTED_BY_DEFAULT[table.name];
  const entries = dataset.entities[kind] as Entry[];
  return omit ? entries.filter((e) => !omit(e.item)) : entries;
}

function mapEntries(table: TableDecl, entries: Entry[]): { binding: Record<string, string>; row: Row }[] {
  return entries.map((e) => {
    const binding = bindingFor(table, e.parent);
    return { binding, row: mapRow(table, e.item, binding, () => undefined) };
  });
}

/**
 * The reference rows of every relation: each dataset item mapped with the catalog, then the
 * `parent.columns` copied from the parent row its binding names (as the gateway does for children).
 */
export function referenceRows(catalog: Catalog, dataset: SimDataset): Map<TableDecl, { rows: Row[]; duplicates: number }> {
  const mapped = new Map(catalog.tables.map((t) => [t, mapEntries(t, entriesOf(t, dataset))]));
  const out = new Map<TableDecl, { rows: Row[]; duplicates: number }>();
  for (const [t, items] of mapped) {
    const copy = t.parent?.columns;
    const parent = t.parent && catalog.table(t.parent.table);
    if (copy && parent) {
      const keys = Object.entries(t.parent!.keys);
      const byKey = new Map(mapped.get(parent)!.map(({ row }) => [JSON.stringify(keys.map(([, col]) => String(row[engineName(col)]))), row]));
      for (const x of items) {
        const from = byKey.get(JSON.stringify(keys.map(([param]) => x.binding[param] ?? null)));
        if (from) for (const [mine, theirs] of Object.entries(copy)) x.row[engineName(mine)] = from[engineName(theirs)] ?? null;
      }
    }
    const all = items.map((x) => x.row);
    const rows = dedupe(t, all);
    out.set(t, { rows, duplicates: all.length - rows.length });
  }
  return out;
}

/** Rows of the SCOPED_KIND relations, one per (parent, item). */
export function scopedRows(catalog: Catalog, dataset: SimDataset): Map<TableDecl, Row[]> {
  const out = new Map<TableDecl, Row[]>();
  for (const [name, kind] of Object.entries(SCOPED_KIND)) {
    const t = catalog.table(name);
    if (t) out.set(t, mapEntries(t, dataset.entities[kind] as Entry[]).map((x) => x.row));
  }
  return out;
}

let databases = 0;

/**
 * Loads the simulator's dataset into a fresh database of a real PostgreSQL, under the gateway's own
 * schema (referenceSchemaDdl), one row per dataset item mapped with the catalog's column declarations.
 * `adminUrl` must be a superuser connection.
 */
export async function loadReferenceDb(adminUrl: string, simUrl: string, catalog: Catalog = getCatalog()): Promise<ReferenceDb> {
  const res = await fetch(`${simUrl}/__sim/dataset`);
  if (!res.ok) throw new Error(`reference-db: GET /__sim/dataset answered ${res.status}`);
  const dataset = (await res.json()) as SimDataset;

  const name = `jsm_ref_${process.pid}_${++databases}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`);
  } finally {
    await admin.end();
  }
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;
  const url = dbUrl.toString();

  const counts: Record<string, number> = {};
  const duplicates: Record<string, number> = {};
  const db = new pg.Client(url);
  await db.connect();
  try {
    await db.query(referenceSchemaDdl(catalog));
    await db.query('BEGIN');
    await db.query('SET LOCAL session_replication_role = replica'); // no write guards, no FK checks for the load
    for (const [t, { rows, duplicates: dup }] of referenceRows(catalog, dataset)) {
      const rel = `${JSM_SCHEMA}.${engineName(t.name)}`;
      await db.query(`INSERT INTO ${rel} SELECT * FROM json_populate_recordset(NULL::${rel}, $1::json)`, [JSON.stringify(rows)]);
      counts[engineName(t.name)] = rows.length;
      duplicates[engineName(t.name)] = dup;
    }
    await db.query(`CREATE SCHEMA ${SCOPED_SCHEMA}`);
    for (const [t, rows] of scopedRows(catalog, dataset)) {
      const rel = `${SCOPED_SCHEMA}.${engineName(t.name)}`;
      await db.query(`CREATE TABLE ${rel} (LIKE ${JSM_SCHEMA}.${engineName(t.name)})`);
      await db.query(`INSERT INTO ${rel} SELECT * FROM json_populate_recordset(NULL::${rel}, $1::json)`, [JSON.stringify(rows)]);
    }
    await db.query('COMMIT');
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }

  return {
    url,
    dataset,
    counts,
    duplicates,
    async connect(config = {}) {
      const c = new pg.Client({ ...config, connectionString: url });
      await c.connect();
      await c.query(SESSION_SETUP);
      return c;
    },
    async close() {
      const a = new pg.Client(adminUrl);
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}
