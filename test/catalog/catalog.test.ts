import { describe, expect, it } from 'vitest';
import { PROCEDURES, TABLES } from '../../catalog/index.ts';
import { createCatalog } from '../../src/catalog/registry.ts';
import type { TableDecl } from '../../src/catalog/types.ts';
import { validateCatalog } from '../../src/catalog/validate.ts';
import { SEED_ENTITIES, SEED_PROCEDURES } from './seed-model.ts';

/**
 * Where the catalog keys more columns than the seed, and why: each row must stay unique and a key
 * column must never be null (the engine makes key columns NOT NULL).
 */
const EXTRA_KEYS: Record<string, string[]> = {
  Customers: ['ServiceDeskId'], // a customer is listed once per desk
  KnowledgeBaseArticles: ['SourcePageId'], // the seed marks no key
  QueueRequests: ['ServiceDeskId', 'QueueId'], // a request sits in several queues
  RequestStatusChangelog: ['Status', 'StatusDate'], // a request has many status changes
  RequestTypeFields: ['ServiceDeskId', 'RequestTypeId', 'FieldId'], // the seed marks no key
};
/** Seed keys the catalog cannot keep: the column can be null (listed without the parent, or not known from the binding). */
const DROPPED_KEYS: Record<string, string[]> = {
  RequestSLACycles: ['RequestKey'],
  RequestStatusChangelog: ['RequestKey'],
  Users: ['OrganizationId'],
};
/** Relations of the catalog the seed does not list. */
const EXTRA_RELATIONS = ['Queues'];

const byName = new Map(TABLES.map((t) => [t.name, t]));

describe('catalog against the seed data model', () => {
  it('validates at load', () => {
    expect(() => createCatalog()).not.toThrow();
  });

  it('lists the seed relations in the seed order, tables then views', () => {
    const ours = TABLES.map((t) => t.name).filter((n) => !EXTRA_RELATIONS.includes(n));
    expect(ours).toEqual(SEED_ENTITIES.map((e) => e.name));
    for (const e of SEED_ENTITIES) expect(byName.get(e.name)!.kind, e.name).toBe(e.kind);
  });

  for (const e of SEED_ENTITIES) {
    describe(e.name, () => {
      const t = byName.get(e.name)!;
      it('has the seed description and experimental flag', () => {
        // RequestSLACycles adds one sentence saying what a row is.
        expect(t.description.startsWith(e.description), t.description).toBe(true);
        if (e.experimental) expect(t.experimental).toBe(true);
      });

      it('has every seed column with its name, description and pseudo flag', () => {
        for (const sc of e.columns) {
          const c = t.columns.find((x) => x.name === sc.name);
          expect(c, `${e.name}.${sc.name}`).toBeDefined();
          expect(c!.description, `${e.name}.${sc.name}`).toBe(sc.description);
          expect(!!c!.pseudo, `${e.name}.${sc.name} pseudo`).toBe(sc.pseudo || (e.name === 'KnowledgeBaseArticles' && sc.name === 'Query'));
          if (sc.type === 'Boolean') expect(c!.type).toBe('boolean');
          if (sc.type === 'Datetime') expect(c!.type).toBe('timestamptz');
        }
      });

      it('keys the seed key columns (with the documented exceptions)', () => {
        const want = new Set([...e.columns.filter((c) => c.key).map((c) => c.name), ...(EXTRA_KEYS[e.name] ?? [])]);
        for (const k of DROPPED_KEYS[e.name] ?? []) want.delete(k);
        expect(new Set(t.columns.filter((c) => c.key).map((c) => c.name))).toEqual(want);
      });

      if (e.kind === 'table')
        it('flags writable columns as the seed ReadOnly=False says', () => {
          for (const sc of e.columns.filter((c) => !c.pseudo))
            expect(!!t.columns.find((c) => c.name === sc.name)!.writable, `${e.name}.${sc.name}`).toBe(sc.readOnly === false);
        });
      else
        it('has no writable column (views are read-only)', () => {
          expect(t.columns.filter((c) => c.writable)).toEqual([]);
        });
    });
  }

  it('keeps view columns that are filter columns of the seed on a declared filter', () => {
    const filtered: Record<string, string[]> = {
      CustomerTransitions: ['RequestId'],
      RequestApprovals: ['Id', 'RequestId'],
      RequestComments: ['Id', 'Public', 'RequestId', 'Internal'],
      RequestParticipants: ['RequestId'],
      Requests: ['RequestId', 'RequestTypeId', 'ServiceDeskId', 'RequestOwnership', 'RequestStatus'],
      RequestStatusChangelog: ['RequestId', 'RequestKey'],
      RequestTypeGroups: ['ServiceDeskId'],
      // Id: the API gets a request type only by desk and ID, and the desk's list (one call) serves that.
      RequestTypes: ['ServiceDeskId', 'GroupIds', 'SearchQuery'],
      ServiceDesks: ['Id'],
      KnowledgeBaseArticles: ['Query', 'Highlight'],
      RequestTypeFields: ['Expand'],
    };
    for (const [table, cols] of Object.entries(filtered))
      for (const col of cols) expect(byName.get(table)!.filters.some((f) => f.column === col), `${table}.${col}`).toBe(true);
  });
});

describe('procedures against the seed', () => {
  it('declares the seven in the seed order with their parameters and result columns', () => {
    expect(PROCEDURES.map((p) => p.name)).toEqual(SEED_PROCEDURES.map((p) => p.name));
    for (const sp of SEED_PROCEDURES) {
      const p = PROCEDURES.find((x) => x.name === sp.name)!;
      expect(p.description).toBe(sp.description);
      // the gateway's own parameters (extension: optional) follow the seed's
      const seedParams = p.params.filter((x) => !x.extension);
      expect(p.params.slice(0, seedParams.length)).toEqual(seedParams);
      expect(p.params.filter((x) => x.extension).every((x) => !x.required)).toBe(true);
      expect(seedParams.map((x) => [x.name, !!x.required, x.description, x.direction])).toEqual(sp.params.map((x) => [x.name, x.required, x.description, 'in']));
      expect(p.result.map((x) => [x.name, x.description])).toEqual(sp.result.map((x) => [x.name, x.description]));
    }
  });
});

describe('validation of the format', () => {
  const base = byName.get('RequestComments')!;
  const problems = (t: TableDecl) => {
    try {
      validateCatalog([...TABLES.filter((x) => x.name !== t.name), t], []);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('rejects a bindPattern on a key column, an invalid pattern and one without bind', () => {
    const cols = base.columns.map((c) => (c.name === 'RequestId' ? { ...c, bindPattern: '^[0-9]+$' } : c.name === 'RequestKey' ? { ...c, bindPattern: '(' } : c));
    const msg = problems({ ...base, columns: [...cols, { name: 'X', type: 'text', remote: 'x', bindPattern: 'x', description: '' }] });
    expect(msg).toContain('RequestComments.RequestId: a key column cannot depend on bindPattern');
    expect(msg).toContain('RequestComments.RequestKey: bindPattern is not a regular expression');
    expect(msg).toContain('RequestComments.X: bindPattern without bind');
  });

  it('rejects listAll params that no filter has, placeholders in listAll and keys null under listAll', () => {
    const msg = problems({
      ...base,
      parent: { ...base.parent!, listAll: { path: '/x/{y}', paging: 'servicedesk', params: ['nope'] } },
    });
    expect(msg).toContain('listAll param nope');
    expect(msg).toContain('has placeholder {y}');
    expect(msg).toContain('RequestComments.RequestId: a key column is null in rows listed by listAll');
  });

  it('rejects items without paging none, unknown parent columns and a readable writeOnly column', () => {
    const msg = problems({
      ...base,
      list: { ...base.list, items: 'values' },
      parent: { ...base.parent!, columns: { Nope: 'RequestKey', RequestKey: 'Nope' } },
      columns: [...base.columns, { name: 'W', type: 'text', writeOnly: true, remote: 'w', description: '' }],
    });
    expect(msg).toContain("items of /rest/servicedeskapi/request/{issueIdOrKey}/comment needs paging 'none'");
    expect(msg).toContain('parent column Nope not in RequestComments');
    expect(msg).toContain('parent column Nope not in Requests');
    expect(msg).toContain('RequestComments.W: a writeOnly column is never read');
  });
});
