import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { mapRow } from '../../src/executor/row-mapper.ts';
import { customFieldColumns, customFieldsDdl, withCustomFields, type RequestTypeField } from '../../src/catalog/custom-fields.ts';
import { schemaDdl, sessionDdl } from '../../src/catalog/ddl.ts';
import { getCatalog } from '../../src/catalog/registry.ts';

const schema = (type: string, items?: string) => ({ type, ...(items ? { items } : {}), custom: `com.atlassian.jira.plugin.system.customfieldtypes:${type}` });
const FIELDS: RequestTypeField[] = [
  { fieldId: 'summary', name: 'What do you need?', jiraSchema: { type: 'string' } },
  { fieldId: 'customfield_10010', name: 'Impact', jiraSchema: schema('option') },
  { fieldId: 'customfield_10012', name: 'Number of people affected', jiraSchema: schema('number') },
  { fieldId: 'customfield_10013', name: 'Needed by', jiraSchema: schema('date') },
  { fieldId: 'customfield_10010', name: 'Impact', jiraSchema: schema('option') }, // same field, another request type
  { fieldId: 'customfield_10020', name: 'Summary', jiraSchema: schema('string') }, // clashes with Requests.Summary
  { fieldId: 'customfield_10021', name: 'Order', jiraSchema: schema('string') }, // a reserved word
  { fieldId: 'customfield_10022', name: 'Impact', jiraSchema: schema('array', 'option') }, // same name, another field
  { fieldId: 'customfield_10023', name: '2nd approver', jiraSchema: schema('user') },
];

describe('custom field columns', () => {
  it('names, deduplicates and types the custom fields only', () => {
    const cols = customFieldColumns(FIELDS);
    expect(cols.map((c) => [c.name, c.type])).toEqual([
      ['impact', 'text'],
      ['number_of_people_affected', 'double precision'],
      ['needed_by', 'timestamptz'],
      ['summary_10020', 'text'],
      ['order_10021', 'text'],
      ['impact_10022', 'text'],
      ['cf_2nd_approver', 'text'],
    ]);
    expect(cols[0]!.remote).toBe('requestFieldValues[fieldId=customfield_10010].value.value');
    expect(cols[5]!.remote).toBe('requestFieldValues[fieldId=customfield_10022].value[].value');
    expect(cols[6]!.remote).toBe('requestFieldValues[fieldId=customfield_10023].value.displayName');
  });

  it('reads the values of a request and of a queue issue', () => {
    const catalog = withCustomFields(getCatalog(), FIELDS);
    const request = {
      issueId: '10001', issueKey: 'TEST-1',
      requestFieldValues: [
        { fieldId: 'customfield_10010', value: { value: 'Extensive / Widespread', id: '10000' } },
        { fieldId: 'customfield_10012', value: 247 },
        { fieldId: 'customfield_10013', value: '2024-02-21' },
        { fieldId: 'customfield_10022', value: [{ value: 'a' }, { value: 'b' }] },
      ],
    };
    expect(mapRow(catalog.table('Requests')!, request, {}, () => undefined)).toMatchObject({
      impact: 'Extensive / Widespread', number_of_people_affected: 247, needed_by: '2024-02-21', impact_10022: 'a, b', order_10021: null,
    });
    const issue = { id: '10001', key: 'TEST-1', fields: { summary: 'x', customfield_10010: { value: 'Low' }, customfield_10012: 3 } };
    expect(mapRow(catalog.table('QueueRequests')!, issue, { serviceDeskId: '1', queueId: '1' }, () => undefined)).toMatchObject({
      summary: 'x', impact: 'Low', number_of_people_affected: 3,
    });
  });

  it('returns a validated catalog, the same when applied twice', () => {
    const once = withCustomFields(getCatalog(), FIELDS);
    const twice = withCustomFields(once, FIELDS);
    expect(twice.table('Requests')!.columns.map((c) => c.name)).toEqual(once.table('Requests')!.columns.map((c) => c.name));
    expect(getCatalog().table('Requests')!.columns.some((c) => c.name === 'impact')).toBe(false);
  });

  it('adds the same columns to the engine tables, inherited by the session row tables', async () => {
    const db = new PGlite();
    await db.exec(schemaDdl(getCatalog()));
    await db.exec(sessionDdl(getCatalog()));
    await db.exec(customFieldsDdl(getCatalog(), FIELDS));
    await db.exec(customFieldsDdl(withCustomFields(getCatalog(), FIELDS), FIELDS)); // re-runnable
    // from pg_attribute: information_schema leaves the session's internal temp tables out (schemaDdl)
    const cols = await db.query<{ column_name: string; data_type: string }>(
      "SELECT attname AS column_name, format_type(atttypid, atttypmod) AS data_type FROM pg_attribute WHERE attrelid = 'pg_temp.jsm_rows_of_requests'::regclass AND attname IN ('impact', 'needed_by', 'order_10021')",
    );
    expect(cols.rows).toEqual(
      expect.arrayContaining([{ column_name: 'impact', data_type: 'text' }, { column_name: 'needed_by', data_type: 'timestamp with time zone' }, { column_name: 'order_10021', data_type: 'text' }]),
    );
    await db.exec("SET jsm.reading = 'queuerequests'"); // as the gateway does once it fetched the relation
    const q = await db.query("SELECT impact, order_10021 FROM jsm.queuerequests WHERE impact = 'Low'");
    expect(q.rows).toEqual([]);
    await db.close();
  });
});
