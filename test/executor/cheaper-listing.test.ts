import { describe, expect, it } from 'vitest';
import { clearSimCalls, simCalls } from '../helpers/gateway.ts';
import { useStackAndClient } from '../helpers/stack-client.ts';

/**
 * Issue 16: Requests by many keys through a filtered list call when that takes fewer calls. A
 * listing's length is learnt when it is read to its end; from then on, an IN list of keys that
 * would take one get per key is read from the listing (and filtered by the engine) when the listing
 * took fewer pages, with the same rows. Without that knowledge the gets stay: a listing of unknown
 * length could cost far more.
 */
const t = useStackAndClient({ connection: 'PageSize=10' }, ["SET jsm.cache = 'bypass'"]);
const calls = () => simCalls(t.stack.sim);
const clear = () => clearSimCalls(t.stack.sim);
const explain = async (sql: string) => (await t.client.query(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN'] as string).join('\n');

describe('Requests by many keys', () => {
  it('get each key while the listing\'s length is unknown, list the desk once it is known, same rows', async () => {
    const dataset = (await (await fetch(`${t.stack.sim.url}/__sim/dataset`)).json()) as { entities: { request: { item: { issueId: string; serviceDeskId: string } }[] } };
    const keys = dataset.entities.request.filter((e) => e.item.serviceDeskId === '1').map((e) => e.item.issueId).slice(0, 12);
    const sql = `SELECT RequestId, Summary FROM Requests WHERE RequestId IN (${keys.map((k) => `'${k}'`).join(', ')}) AND ServiceDeskId = '1' ORDER BY RequestId`;

    // a fresh gateway knows no listing's length: one get per key
    expect(await explain(sql)).toContain(`(${keys.length} calls)`);
    await clear();
    const byKey = await t.client.query(sql);
    expect((await calls()).filter((x) => x.path.startsWith('/rest/servicedeskapi/request/'))).toHaveLength(keys.length);
    expect(byKey.rows.map((r) => r.requestid)).toEqual([...keys].sort());

    // the desk's listing read to its end once
    await t.client.query("SELECT count(*) FROM Requests WHERE ServiceDeskId = '1'");

    // the same text, whose plan (one get per key) the session kept: planned again, now that the length is known
    const again = sql;
    const plan = await explain(again);
    expect(plan).toMatch(/Chosen: listed and filtered, 3 pages when last read, over one call per value \(12 calls\)/);
    expect(plan).toMatch(/Left to the engine: .*requestid/i);
    await clear();
    const listed = await t.client.query(again);
    const made = await calls();
    // the desk's listing, in the 3 pages it took before (PageSize=10), asked for at once
    expect(made.map((x) => x.path)).toEqual(Array(3).fill('/rest/servicedeskapi/request'));
    expect(made.every((x) => x.query.serviceDeskId === '1')).toBe(true);
    expect(listed.rows).toEqual(byKey.rows);
    // and a new text (the keys in another order) is planned with what is known from the start
    const reordered = sql.replace(`IN (${keys.map((k) => `'${k}'`).join(', ')})`, `IN (${[...keys].reverse().map((k) => `'${k}'`).join(', ')})`);
    expect(await explain(reordered)).toMatch(/Chosen: listed and filtered, 3 pages/);
  });

  it('keeps one get per key when the keys are fewer than the listing\'s pages', async () => {
    await t.client.query('SELECT count(*) FROM Requests');
    const two = (await t.client.query('SELECT RequestId FROM Requests ORDER BY RequestId LIMIT 2')).rows.map((r) => r.requestid as string);
    const plan = await explain(`SELECT * FROM Requests WHERE RequestId IN ('${two[0]}', '${two[1]}')`);
    expect(plan).toContain('(2 calls)');
    expect(plan).not.toContain('Chosen:');
  });
});
