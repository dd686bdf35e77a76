import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { schemaDdl } from '../../src/catalog/ddl.ts';
import { queueViewNames, queueViewsDdl } from '../../src/catalog/queue-views.ts';
import { getCatalog } from '../../src/catalog/registry.ts';

const desks = [{ id: '1', projectKey: 'TEST' }, { id: '2', projectKey: 'ITS' }];
const queues = [
  { id: '1', name: 'All open requests', serviceDeskId: '1' },
  { id: '2', name: 'Unassigned requests', serviceDeskId: '1' },
  { id: '6', name: 'All open requests', serviceDeskId: '2' },
  { id: '7', name: 'All open requests!', serviceDeskId: '2' }, // same slug as queue 6
  { id: '9', name: 'Überfällig', serviceDeskId: '3' }, // desk without a known key
  { id: '10', name: 'x'.repeat(80), serviceDeskId: '1' },
];

describe('queue views', () => {
  it('names each queue after its desk key and name, unique and at most 63 characters', () => {
    const names = [...queueViewNames(queues, desks).values()];
    expect(names.slice(0, 5)).toEqual([
      'queue_test_all_open_requests',
      'queue_test_unassigned_requests',
      'queue_its_all_open_requests',
      'queue_its_all_open_requests_7',
      'queue_3_uberfallig',
    ]);
    expect(names[5]!.length).toBe(63);
  });

  it('creates views over jsm.queuerequests whose desk and queue filters reach the base scan', async () => {
    const db = new PGlite();
    await db.exec(schemaDdl(getCatalog()));
    await db.exec(queueViewsDdl(queues, desks));
    await db.exec(queueViewsDdl(queues, desks)); // re-runnable
    const views = await db.query<{ table_name: string }>("SELECT table_name FROM information_schema.views WHERE table_schema = 'jsm' ORDER BY 1");
    expect(views.rows.map((r) => r.table_name)).toContain('queue_test_all_open_requests');
    const plan = await db.query<{ 'QUERY PLAN': string }>('EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM jsm.queue_its_all_open_requests_7');
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain("queuerequests.servicedeskid = '2'::text");
    expect(text).toContain("queuerequests.queueid = '7'::text");
    const comment = await db.query<{ c: string }>("SELECT obj_description('jsm.queue_test_all_open_requests'::regclass) AS c");
    expect(comment.rows[0]!.c).toBe('The requests in queue "All open requests" (ID 1) of service desk TEST.');
    await db.close();
  });
});
