import type pg from 'pg';
import { engineName, getCatalog, type Catalog } from '../../src/catalog/registry.ts';
import { classify } from '../../src/session/classify.ts';
import type { SimScale } from '../../src/simulator/index.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { startNativePostgres, type NativePostgres } from '../helpers/native-pg.ts';
import { DATASET_KIND, loadReferenceDb, TEXT_SETTINGS, type ReferenceDb } from '../helpers/reference-db.ts';
import { compareQuery, textClient, TEXT_TYPES, type CorrectnessQuery } from './compare.ts';
import { generateQueries } from './generated-queries.ts';
import { ENTITY_QUERIES, VIEW_QUERIES } from './queries-entities.ts';
import { REQUEST_QUERIES } from './queries-requests.ts';

export interface SuiteEnv {
  readonly stack: TestStack;
  readonly native: NativePostgres;
  readonly reference: ReferenceDb;
  /** A fresh gateway session (its own search_path; values printed like the reference's). */
  gatewayClient(): Promise<pg.Client>;
  /** A fresh reference session; values come back as text like the gateway's. */
  referenceClient(): Promise<pg.Client>;
  close(): Promise<void>;
}

export async function startSuiteEnv(scale: SimScale, connection?: string): Promise<SuiteEnv> {
  const [stack, native] = await Promise.all([startStack({ scale, connection }), startNativePostgres()]);
  const reference = await loadReferenceDb(native.url, stack.sim.url);
  return {
    stack,
    native,
    reference,
    async gatewayClient() {
      const c = await textClient(stack.url);
      await c.query(TEXT_SETTINGS);
      return c;
    },
    referenceClient: () => reference.connect({ types: TEXT_TYPES }),
    async close() {
      await reference.close().catch(() => undefined);
      await Promise.all([stack.close(), native.stop()]);
    },
  };
}

/** Seed relation names the catalog does not declare (yet): statements naming them are left out. */
function missingRelations(catalog: Catalog): Set<string> {
  return new Set(Object.keys(DATASET_KIND).map(engineName).filter((n) => !catalog.table(n)));
}

function mentions(sql: string): string[] {
  return (classify(sql) ?? []).flatMap((s) => s.relations.map((r) => r.name));
}

/** The statements whose relations all exist in the catalog (and views created by statements kept). */
export function availableQueries(queries: readonly CorrectnessQuery[], catalog: Catalog = getCatalog()): { queries: CorrectnessQuery[]; notes: string[] } {
  const missing = missingRelations(catalog);
  const notes: string[] = [];
  const kept = queries.filter((q) => {
    const absent = [...new Set([...(q.setup ?? []), q.sql].flatMap(mentions).filter((n) => missing.has(n)))];
    if (absent.length === 0) return true;
    // views a left-out statement would have created are missing for the statements after it
    for (const s of q.setup ?? []) for (const v of /VIEW\s+(\w+)/i.exec(s)?.slice(1) ?? []) missing.add(v.toLowerCase());
    notes.push(`left out (${absent.join(', ')} not in the catalog): ${q.sql}`);
    return false;
  });
  return { queries: kept, notes };
}

/** The hand-written statements (views first, on a session that has loaded little), then the generated ones. */
export async function allQueries(ref: pg.Client, catalog: Catalog = getCatalog()): Promise<{ queries: CorrectnessQuery[]; notes: string[] }> {
  const handWritten = availableQueries([...VIEW_QUERIES, ...REQUEST_QUERIES, ...ENTITY_QUERIES], catalog);
  const generated = await generateQueries(catalog, ref);
  return { queries: [...handWritten.queries, ...generated.queries], notes: [...handWritten.notes, ...generated.skipped] };
}

export interface RunReport {
  readonly total: number;
  readonly diffs: string[];
}

/** Runs every statement on one gateway session and one reference session, in order. */
export async function runQueries(gateway: pg.Client, reference: pg.Client, queries: readonly CorrectnessQuery[]): Promise<RunReport> {
  const diffs: string[] = [];
  for (const q of queries) {
    const { diff } = await compareQuery(gateway, reference, q);
    if (diff) diffs.push(diff);
  }
  return { total: queries.length, diffs };
}
