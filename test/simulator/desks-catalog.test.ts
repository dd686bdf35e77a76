import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { allPages, API, as } from './helpers/client.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, scale: 'small' });
});
afterAll(() => sim.close());

describe('service desks', () => {
  it('lists desks in the paged envelope with links, and pages across them', async () => {
    const res = await as(sim, 'agent').get(`${API}/servicedesk`);
    expect(res.status).toBe(200);
    expect(res.validated).toBe(true);
    expect(res.body).toMatchObject({ start: 0, limit: 50, size: 3, isLastPage: true, _links: { base: `${sim.url}${API}`, context: '' } });
    expect(res.body.values.map((d: { id: string }) => d.id)).toEqual(['1', '2', '3']);

    const first = await as(sim, 'agent').get(`${API}/servicedesk?limit=2`);
    expect(first.body).toMatchObject({ size: 2, limit: 2, isLastPage: false });
    expect(first.body._links.next).toBe(`${sim.url}${API}/servicedesk?start=2&limit=2`);
    expect(first.body._links.prev).toBeUndefined();
    const second = await as(sim, 'agent').get(first.body._links.next.slice(sim.url.length));
    expect(second.body).toMatchObject({ start: 2, size: 1, isLastPage: true });
    expect(second.body._links.prev).toBe(`${sim.url}${API}/servicedesk?start=0&limit=2`);
  });

  it('gets one desk by id, project key or prefixed identifier; 404 otherwise', async () => {
    for (const id of ['1', 'TEST', 'projectKey:TEST', 'projectId:10001', 'serviceDeskId:1']) {
      const res = await as(sim, 'agent').get(`${API}/servicedesk/${id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: '1', projectKey: 'TEST', projectId: '10001', projectName: 'Test Service Desk' });
    }
    const missing = await as(sim, 'agent').get(`${API}/servicedesk/99`);
    expect(missing.status).toBe(404);
    expect(missing.body.errorMessage).toMatch(/does not exist/);
    expect(missing.body.i18nErrorMessage).toEqual({ i18nKey: 'sd.api.servicedesk.not.found', parameters: ['99'] });
  });

  it('shows a customer only the desks they belong to', async () => {
    const res = await as(sim, 'customer').get(`${API}/servicedesk`);
    expect(res.body.values.map((d: { id: string }) => d.id)).toEqual(['1', '2']);
    expect((await as(sim, 'customer').get(`${API}/servicedesk/3`)).status).toBe(403);
  });
});

describe('request types and groups', () => {
  it('lists groups per desk (group 12 in desk 1)', async () => {
    const res = await as(sim, 'agent').get(`${API}/servicedesk/1/requesttypegroup`);
    expect(res.status).toBe(200);
    expect(res.body.values).toContainEqual({ id: '12', name: 'Logins and accounts' });
  });

  it('lists request types per desk with groupId and searchQuery, and pages across them', async () => {
    const all = await allPages(sim, 'agent', `${API}/servicedesk/2/requesttype?limit=3`);
    expect(all.pages).toBe(3);
    const ids = all.values.map((t) => (t as { id: string }).id);
    expect(ids).toEqual(expect.arrayContaining(['12', '10012']));

    const grouped = await as(sim, 'agent').get(`${API}/servicedesk/1/requesttype?groupId=12`);
    expect(grouped.body.values.length).toBeGreaterThan(0);
    expect(grouped.body.values.every((t: { groupIds: string[] }) => t.groupIds.includes('12'))).toBe(true);

    const searched = await as(sim, 'agent').get(`${API}/servicedesk/2/requesttype?searchQuery=passw`);
    expect(searched.body.values.map((t: { name: string }) => t.name)).toEqual(['Reset a password']);
    // Hidden (portal-less) types only show up in searches when asked for.
    const hidden = await as(sim, 'agent').get(`${API}/servicedesk/2/requesttype?searchQuery=email`);
    expect(hidden.body.size).toBe(0);
    const included = await as(sim, 'agent').get(`${API}/servicedesk/2/requesttype?searchQuery=email&includeHiddenRequestTypesInSearch=true`);
    expect(included.body.values.map((t: { id: string }) => t.id)).toEqual(['10012']);
    expect((await as(sim, 'agent').get(`${API}/servicedesk/1/requesttype?groupId=abc`)).status).toBe(400);
  });

  it('gets one request type; 404 when it is not in that desk', async () => {
    const res = await as(sim, 'agent').get(`${API}/servicedesk/2/requesttype/12`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: '12', serviceDeskId: '2', name: 'Request access', _expands: [] });
    expect((await as(sim, 'agent').get(`${API}/servicedesk/1/requesttype/12`)).status).toBe(404);
  });

  it('GET /requesttype is experimental: 412 without the opt-in header', async () => {
    const refused = await as(sim, 'agent').get(`${API}/requesttype`);
    expect(refused.status).toBe(412);
    expect(refused.body.errorMessage).toMatch(/X-ExperimentalApi: opt-in/);
    const res = await as(sim, 'agent').get(`${API}/requesttype?serviceDeskId=1&serviceDeskId=3&searchQuery=request`, { experimental: true });
    expect(res.status).toBe(200);
    expect(res.body.values.length).toBeGreaterThan(0);
    expect(res.body.values.every((t: { serviceDeskId: string }) => ['1', '3'].includes(t.serviceDeskId))).toBe(true);
    const customer = await as(sim, 'customer').get(`${API}/requesttype?limit=100`, { experimental: true });
    expect(customer.body.values.every((t: { serviceDeskId: string }) => ['1', '2'].includes(t.serviceDeskId))).toBe(true);
  });

  it('returns fields, hidden ones only with expand=hiddenFields and only to agents', async () => {
    const path = `${API}/servicedesk/1/requesttype/3/field`;
    const visible = await as(sim, 'agent').get(path);
    expect(visible.status).toBe(200);
    const ids = (r: typeof visible) => r.body.requestTypeFields.map((f: { fieldId: string }) => f.fieldId);
    expect(ids(visible)).toEqual(['summary', 'description', 'customfield_10013']);
    const hidden = await as(sim, 'agent').get(`${path}?expand=hiddenFields`);
    expect(ids(hidden)).toEqual(['summary', 'description', 'customfield_10013', 'customfield_10015']);
    expect(hidden.body.requestTypeFields[3]).toMatchObject({ visible: false, jiraSchema: { type: 'string', customId: 10015 } });
    expect(ids(await as(sim, 'customer').get(`${path}?expand=hiddenFields`))).toEqual(ids(visible));

    const select = await as(sim, 'agent').get(`${API}/servicedesk/1/requesttype/1/field`);
    const impact = select.body.requestTypeFields.find((f: { fieldId: string }) => f.fieldId === 'customfield_10010');
    expect(impact).toMatchObject({ required: true, jiraSchema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select' } });
    expect(impact.validValues[0]).toEqual({ value: '10000', label: 'Extensive / Widespread', children: [] });
  });

  it('translates names with Accept-Language', async () => {
    const de = await as(sim, 'agent').get(`${API}/servicedesk/2/requesttype/12`, { lang: 'de-DE,de;q=0.9,en;q=0.5' });
    expect(de.body.name).toBe('Zugriff anfordern');
    const fr = await as(sim, 'agent').get(`${API}/servicedesk/1/requesttypegroup`, { lang: 'fr' });
    expect(fr.body.values.map((g: { name: string }) => g.name)).toContain('Connexions et comptes');
    const field = await as(sim, 'agent').get(`${API}/servicedesk/1/requesttype/1/field`, { lang: 'de' });
    expect(field.body.requestTypeFields[0].name).toBe('Was benötigen Sie?');
    const unknown = await as(sim, 'agent').get(`${API}/servicedesk/2/requesttype/12`, { lang: 'xx' });
    expect(unknown.body.name).toBe('Request access');
  });
});
