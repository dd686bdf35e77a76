import { describe, expect, it } from 'vitest';
import { PgError, SqlState } from '../../src/errors/index.ts';
import { endpointLabel } from '../../src/jsm/endpoint-label.ts';
import { GatewayMetrics, sqlStateClass, type StatementOutcome } from '../../src/observability/metrics.ts';
import * as be from '../../src/protocol/backend-messages.ts';
import { FrontendCode } from '../../src/protocol/frontend-messages.ts';
import { readErrorFields, StatementClock } from '../../src/server/statement-clock.ts';

describe('endpointLabel', () => {
  it.each([
    ['/rest/servicedeskapi/request', '/rest/servicedeskapi/request'],
    ['/rest/servicedeskapi/request/10001/comment', '/rest/servicedeskapi/request/{id}/comment'],
    ['/rest/servicedeskapi/request/SD-12/comment/10200', '/rest/servicedeskapi/request/{id}/comment/{id}'],
    ['/rest/servicedeskapi/servicedesk/1/queue/7/issue?start=50&limit=50', '/rest/servicedeskapi/servicedesk/{id}/queue/{id}/issue'],
    ['/rest/api/3/users/search?query=ann%40example.com', '/rest/api/3/users/search'],
    ['/rest/api/2/user/5b10ac8d82e05b22cc7d4ef5', '/rest/api/2/user/{id}'],
    ['/rest/servicedeskapi/organization/ann%40example.com/user', '/rest/servicedeskapi/organization/{id}/user'],
    ['/rest/servicedeskapi/customer/qm:abc-123', '/rest/servicedeskapi/customer/{id}'],
    ['/rest/servicedeskapi/request/customfield_10010', '/rest/servicedeskapi/request/{id}'],
    ['/rest/servicedeskapi/request/1/2', '/rest/servicedeskapi/request/{id}/{id}'],
  ])('%s → %s', (path, label) => {
    expect(endpointLabel(path)).toBe(label);
  });
});

describe('sqlStateClass', () => {
  it('keeps the class of a SQLSTATE and nothing else', () => {
    expect(sqlStateClass('42P01')).toBe('42');
    expect(sqlStateClass('HV000')).toBe('HV');
    expect(sqlStateClass('secret')).toBe('XX');
    expect(sqlStateClass(undefined)).toBe('XX');
  });
});

describe('readErrorFields', () => {
  it('reads the non-localized severity and the code', () => {
    const msg = be.errorResponse(new PgError(SqlState.UndefinedTable, 'relation "x" does not exist'));
    expect(readErrorFields(msg.subarray(5))).toEqual({ severity: 'ERROR', code: '42P01' });
    // a body cut short keeps what it has
    expect(readErrorFields(msg.subarray(5, 12))).toMatchObject({ severity: 'ERROR' });
  });
});

type Recorded = { outcome: StatementOutcome; code?: string };

function clockWith(): { clock: StatementClock; seen: Recorded[] } {
  const seen: Recorded[] = [];
  let t = 0;
  const clock = new StatementClock({ statement: (outcome, _s, code) => seen.push({ outcome, ...(code ? { code } : {}) }) }, () => (t += 1));
  return { clock, seen };
}

describe('StatementClock', () => {
  const ok = Buffer.concat([be.rowDescription(['a']), be.dataRow(['1']), be.emptyQueryResponse(), be.commandComplete('SELECT 1'), be.readyForQuery('I')]);
  const failed = Buffer.concat([be.errorResponse(new PgError(SqlState.UndefinedTable, 'no such relation')), be.readyForQuery('I')]);
  const canceled = Buffer.concat([be.errorResponse(new PgError(SqlState.QueryCanceled, 'canceling statement due to user request')), be.readyForQuery('E')]);

  const answers: [Buffer, Recorded][] = [
    [ok, { outcome: 'ok' }],
    [failed, { outcome: 'error', code: '42P01' }],
    [canceled, { outcome: 'canceled', code: '57014' }],
  ];

  it('finds each outcome however the output is split', () => {
    for (const [answer, expected] of answers) {
      for (let at = 0; at <= answer.length; at++) {
        const { clock, seen } = clockWith();
        clock.received(FrontendCode.Query);
        clock.sent(answer.subarray(0, at));
        clock.sent(answer.subarray(at));
        expect(seen, `split at ${at}`).toEqual([expected]);
      }
    }
    // one clock, every answer a byte at a time
    const { clock, seen } = clockWith();
    for (const [answer] of answers) {
      clock.received(FrontendCode.Query);
      for (let i = 0; i < answer.length; i++) clock.sent(answer.subarray(i, i + 1));
    }
    expect(seen).toEqual(answers.map(([, e]) => e));
  });

  it('times extended-protocol answers from their Sync, and counts an error sent before it', () => {
    const { clock, seen } = clockWith();
    clock.received(FrontendCode.Parse);
    clock.received(FrontendCode.Flush);
    clock.sent(be.errorResponse(new PgError(SqlState.SyntaxError, 'syntax error')));
    clock.received(FrontendCode.Sync);
    clock.sent(be.readyForQuery('I'));
    expect(seen).toEqual([{ outcome: 'error', code: '42601' }]);
  });

  it('counts a statement ended by a FATAL error, and ignores ReadyForQuery nobody asked for', () => {
    const { clock, seen } = clockWith();
    clock.sent(be.readyForQuery('I'));
    clock.received(FrontendCode.Query);
    clock.sent(be.errorResponse(new PgError(SqlState.AdminShutdown, 'engine stopped', { severity: 'FATAL' }), 'FATAL'));
    expect(seen).toEqual([{ outcome: 'error', code: '57P01' }]);
  });
});

describe('GatewayMetrics', () => {
  it('gives every gateway its own registry, each with the process metrics', async () => {
    const a = new GatewayMetrics();
    const b = new GatewayMetrics();
    a.cacheHit('Requests');
    a.observe({ sessions: () => 3, idleEngines: () => 1, bootingEngines: () => 0 });
    const [ta, tb] = [(await a.exposition()).text, (await b.exposition()).text];
    expect(ta).toContain('jsmpg_cache_hits_total{relation="Requests"} 1');
    expect(ta).toContain('jsmpg_sessions 3');
    expect(tb).not.toContain('jsmpg_cache_hits_total{relation="Requests"}');
    for (const t of [ta, tb]) expect(t).toContain('# TYPE process_cpu_user_seconds_total counter');
  });
});
