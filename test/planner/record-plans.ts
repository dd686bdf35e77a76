/**
 * Records the engine's EXPLAIN of every statement of plan-cases.ts into fixtures/<relation>.json,
 * which explain-plans.test.ts feeds to the planner without an engine. Run it again when a case is
 * added or changed, when the catalog or the DDL changes what the engine plans, or when PGlite is
 * upgraded:
 *
 *   npx tsx test/planner/record-plans.ts
 *
 * The engine is built as the gateway builds it (startGateway: schemaDdl + sysTablesDdl +
 * clientGrantsDdl into the snapshot, sessionDdl per session), and each plan is asked for as the
 * session asks for it (explainPlan).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientGrantsDdl, schemaDdl, sessionDdl } from '../../src/catalog/ddl.ts';
import { engineName, getCatalog } from '../../src/catalog/registry.ts';
import { sysTablesDdl } from '../../src/catalog/sys-tables.ts';
import { CONNECTION_PROPERTIES } from '../../src/config/index.ts';
import { Engine } from '../../src/engine/engine.ts';
import { schemaSnapshot } from '../../src/engine/snapshot.ts';
import { explainPlan } from '../../src/executor/read-statement.ts';
import { PLAN_CASES, type PlanCase } from './plan-cases.ts';

/** One recorded case: the statement as asked, and the engine's EXPLAIN document for it. */
export interface RecordedPlan {
  readonly sql: string;
  readonly params?: readonly string[];
  readonly generic?: boolean;
  readonly plan: unknown;
}

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const fixtureFile = (relation: string) => join(FIXTURES_DIR, `${engineName(relation)}.json`);

async function main(): Promise<void> {
  const catalog = getCatalog();
  const snapshot = await schemaSnapshot([
    schemaDdl(catalog),
    sysTablesDdl(catalog, { defs: CONNECTION_PROPERTIES, values: {}, explicit: new Set() }),
    clientGrantsDdl(),
  ].join('\n'));
  const engine = await Engine.boot(snapshot);
  try {
    await engine.exec(sessionDdl(catalog));
    const byRelation = new Map<string, Record<string, RecordedPlan>>();
    for (const c of PLAN_CASES) {
      if (c.setup) await engine.exec(c.setup);
      const recorded = byRelation.get(c.relation) ?? {};
      if (recorded[c.id]) throw new Error(`two cases named ${c.id}`);
      recorded[c.id] = await record(engine, c);
      byRelation.set(c.relation, recorded);
    }
    await mkdir(FIXTURES_DIR, { recursive: true });
    for (const [relation, recorded] of byRelation) await writeFile(fixtureFile(relation), `${JSON.stringify(recorded, null, 1)}\n`);
    console.log(`recorded ${PLAN_CASES.length} plans of ${byRelation.size} relations into ${FIXTURES_DIR}`);
  } finally {
    await engine.close();
  }
}

async function record(engine: Engine, c: PlanCase): Promise<RecordedPlan> {
  const raw = await explainPlan(engine, { sql: c.sql, params: c.params, generic: c.generic });
  const plan = typeof raw === 'string' ? JSON.parse(raw) : raw;
  return { sql: c.sql, ...(c.params ? { params: c.params } : {}), ...(c.generic ? { generic: true } : {}), plan };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
