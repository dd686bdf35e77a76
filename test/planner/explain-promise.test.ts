import { describe, expect, it } from 'vitest';
import { clearSimCalls, simCalls } from '../helpers/gateway.ts';
import { useStackAndClient } from '../helpers/stack-client.ts';

/**
 * Issue 16: EXPLAIN lists every call a statement will make. For one statement per relation (and
 * the joins of the API-call bench), every call the simulator logs is to an endpoint EXPLAIN named,
 * and where EXPLAIN gives a number of calls (an endpoint that is not paged, called per key value)
 * the simulator saw exactly that many; a paged list is at least that many calls (one per page).
 */
const STATEMENTS = [
  "SELECT * FROM ServiceDesks",
  "SELECT * FROM ServiceDesks WHERE Id = '1'",
  "SELECT * FROM Requests WHERE ServiceDeskId = '1'",
  "SELECT * FROM Requests WHERE RequestId = '10001'",
  "SELECT * FROM Requests WHERE RequestKey IN ('TEST-1', 'TEST-2')",
  "SELECT Id, Body FROM RequestComments WHERE RequestId = '10005'",
  "SELECT * FROM RequestComments WHERE RequestKey = 'TEST-5'",
  "SELECT * FROM RequestParticipants WHERE RequestId = '10001'",
  "SELECT * FROM RequestApprovals WHERE RequestId = '10001'",
  "SELECT * FROM CustomerTransitions WHERE RequestId = '10001'",
  "SELECT * FROM RequestSLACycles WHERE RequestId = '10001'",
  "SELECT * FROM RequestStatusChangelog WHERE RequestId = '10001'",
  "SELECT * FROM RequestTypes WHERE ServiceDeskId = '1'",
  "SELECT * FROM RequestTypeGroups WHERE ServiceDeskId = '1'",
  "SELECT * FROM RequestTypeFields WHERE ServiceDeskId = '1' AND RequestTypeId = '1'",
  "SELECT * FROM Queues WHERE ServiceDeskId = '1'",
  "SELECT * FROM Customers WHERE ServiceDeskId = '1'",
  "SELECT * FROM Organizations WHERE ServiceDeskId = '1'",
  "SELECT * FROM Organizations",
  "SELECT * FROM Users WHERE OrganizationId = '1'",
  "SELECT * FROM KnowledgeBaseArticles WHERE Query = 'vpn'",
  "SELECT r.RequestKey, c.Id FROM Requests r JOIN RequestComments c ON c.RequestId = r.RequestId WHERE r.ServiceDeskId = '1'",
  "SELECT r.RequestKey, p.AccountId FROM Requests r JOIN RequestParticipants p ON p.RequestId = r.RequestId WHERE r.ServiceDeskId = '2'",
  "SELECT count(*) FROM RequestComments",
];

interface Promise_ { table: string; template: RegExp; count?: number; paged: boolean }

function promised(lines: string[]): Promise_[] {
  const out: Promise_[] = [];
  for (const l of lines.slice(lines.indexOf('JSM API calls:') + 1)) {
    const m = /^ {2}(\w+): GET (\S+) \((.*)\)$/.exec(l);
    if (!m) continue;
    const [, table, path, how] = m;
    const n = /^(\d+) calls?/.exec(how!);
    out.push({ table: table!, template: new RegExp(`^${path!.replace(/\{\w+\}/g, '[^/]+')}$`), count: n ? Number(n[1]) : undefined, paged: how!.includes('paged') });
  }
  return out;
}

const t = useStackAndClient({}, ["SET jsm.cache = 'bypass'"]);

describe('EXPLAIN promises the calls the statement makes', () => {
  for (const sql of STATEMENTS)
    it(sql, async () => {
      const plan = (await t.client.query(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN'] as string);
      const promises = promised(plan);
      expect(promises.length, plan.join('\n')).toBeGreaterThan(0);
      await clearSimCalls(t.stack.sim);
      await t.client.query(sql);
      const made = (await simCalls(t.stack.sim)).filter((x) => x.path.startsWith('/rest/'));
      const unexplained = made.filter((x) => !promises.some((p) => p.template.test(x.path)));
      expect(unexplained.map((x) => x.path), plan.join('\n')).toEqual([]);
      for (const p of promises) {
        if (p.count === undefined) continue;
        const n = made.filter((x) => p.template.test(x.path)).length;
        if (p.paged) expect(n, `${p.table}: ${plan.join('\n')}`).toBeGreaterThanOrEqual(p.count);
        else expect(n, `${p.table}: ${plan.join('\n')}`).toBe(p.count);
      }
    });
});
