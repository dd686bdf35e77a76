import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIM_IDENTITIES, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { allPages, API, as } from './helpers/client.ts';

let sim: RunningSimulator;
const agent = () => as(sim, 'agent');
const customer = () => as(sim, 'customer');
type Org = { id: string; name: string };
type User = { accountId: string; emailAddress: string; displayName: string };

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, scale: 'small' });
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

describe('organizations', () => {
  it('lists organizations (customers only see their own), filters by account, gets one', async () => {
    const all = await agent().get(`${API}/organization`);
    expect(all.status).toBe(200);
    expect(all.body.size).toBe(4);
    expect(all.body.values[0]).toMatchObject({ id: '1', name: 'Acme Corporation', scimManaged: false, created: { epochMillis: expect.any(Number) } });
    const mine = await customer().get(`${API}/organization`);
    expect(mine.body.values.map((o: Org) => o.id)).toEqual(['1']);
    const byAccount = await agent().get(`${API}/organization?accountId=${encodeURIComponent(SIM_IDENTITIES.customer.accountId)}`);
    expect(byAccount.body.values.map((o: Org) => o.id)).toEqual(['1']);
    expect((await agent().get(`${API}/organization?accountId=ghost`)).status).toBe(404);
    expect((await customer().get(`${API}/organization?accountId=ghost`)).status).toBe(403);
    expect((await agent().get(`${API}/organization/2`)).body.id).toBe('2');
    expect((await customer().get(`${API}/organization/2`)).status).toBe(403);
    expect((await agent().get(`${API}/organization/99`)).status).toBe(404);
  });

  it('creates and deletes organizations; both are agent-only', async () => {
    const created = await agent().post(`${API}/organization`, { name: 'Northwind Traders' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: '5', name: 'Northwind Traders' });
    expect((await agent().get(`${API}/organization`)).body.size).toBe(5);
    // The reference: an existing name answers 201 with the existing organization, nothing created.
    const again = await agent().post(`${API}/organization`, { name: 'northwind traders' });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: '5', name: 'Northwind Traders' });
    expect((await agent().get(`${API}/organization`)).body.size).toBe(5);
    expect((await agent().post(`${API}/organization`, {})).status).toBe(400);
    expect((await customer().post(`${API}/organization`, { name: 'Mine' })).status).toBe(403);
    expect((await customer().delete(`${API}/organization/5`)).status).toBe(403);
    const deleted = await agent().delete(`${API}/organization/5`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await agent().get(`${API}/organization/5`)).status).toBe(404);
    expect((await agent().delete(`${API}/organization/5`)).status).toBe(404);
  });

  it('lists, adds and removes organization users', async () => {
    const users = await agent().get(`${API}/organization/1/user`);
    expect(users.status).toBe(200);
    expect(users.body.values.map((u: User) => u.accountId)).toContain(SIM_IDENTITIES.customer.accountId);
    expect((await customer().get(`${API}/organization/1/user`)).status).toBe(403);
    const added = await agent().post(`${API}/organization/2/user`, { usernames: ['customer'] });
    expect(added.status).toBe(204);
    expect((await customer().get(`${API}/organization`)).body.values.map((o: Org) => o.id)).toEqual(['1', '2']);
    expect((await agent().delete(`${API}/organization/2/user`, { accountIds: [SIM_IDENTITIES.customer.accountId] })).status).toBe(204);
    expect((await customer().get(`${API}/organization`)).body.size).toBe(1);
    expect((await agent().post(`${API}/organization/2/user`, { accountIds: ['nobody'] })).status).toBe(400);
    expect((await customer().post(`${API}/organization/2/user`, { usernames: ['customer'] })).status).toBe(403);
  });

  it('links organizations to service desks', async () => {
    const before = await agent().get(`${API}/servicedesk/3/organization`);
    expect(before.status).toBe(200);
    const missing = (await agent().get(`${API}/organization`)).body.values.find((o: Org) => !before.body.values.some((b: Org) => b.id === o.id));
    expect((await agent().post(`${API}/servicedesk/3/organization`, { organizationId: Number(missing.id) })).status).toBe(204);
    const after = await agent().get(`${API}/servicedesk/3/organization`);
    expect(after.body.values.map((o: Org) => o.id)).toContain(missing.id);
    expect((await agent().delete(`${API}/servicedesk/3/organization`, { organizationId: Number(missing.id) })).status).toBe(204);
    expect((await agent().get(`${API}/servicedesk/3/organization`)).body.size).toBe(before.body.size);
    expect((await agent().post(`${API}/servicedesk/3/organization`, { organizationId: 99 })).status).toBe(404);
    expect((await agent().post(`${API}/servicedesk/3/organization`, {})).status).toBe(400);
    expect((await customer().get(`${API}/servicedesk/1/organization`)).status).toBe(403);
  });
});

describe('customers', () => {
  it("lists a desk's customers (experimental, agent-only) with a query filter", async () => {
    const path = `${API}/servicedesk/1/customer`;
    expect((await agent().get(path)).status).toBe(412);
    const all = await allPages(sim, 'agent', `${path}?limit=5`, { experimental: true });
    expect(all.pages).toBeGreaterThan(1);
    const found = await agent().get(`${path}?query=casey`, { experimental: true });
    expect(found.body.values).toEqual([expect.objectContaining({ emailAddress: 'customer@example.com', displayName: 'Casey Customer' })]);
    expect((await customer().get(path, { experimental: true })).status).toBe(403);
  });

  it('adds and removes desk customers', async () => {
    const path = `${API}/servicedesk/3/customer`;
    expect((await customer().get(`${API}/servicedesk/3`)).status).toBe(403);
    expect((await agent().post(path, { accountIds: [SIM_IDENTITIES.customer.accountId] })).status).toBe(204);
    expect((await customer().get(`${API}/servicedesk/3`)).status).toBe(200);
    expect((await agent().delete(path, { usernames: ['customer@example.com'] }, { experimental: true })).status).toBe(204);
    expect((await customer().get(`${API}/servicedesk/3`)).status).toBe(403);
    expect((await agent().post(path, { accountIds: ['ghost'] })).status).toBe(400);
    expect((await customer().post(`${API}/servicedesk/1/customer`, { usernames: ['customer'] })).status).toBe(403);
  });

  it('creates customers; duplicates are 400, or 409 with strictConflictStatusCode', async () => {
    const created = await agent().post(`${API}/customer`, { email: 'new.person@example.org', displayName: 'New Person' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ emailAddress: 'new.person@example.org', displayName: 'New Person', active: true, accountId: expect.stringMatching(/^qm:/) });
    expect((await agent().post(`${API}/servicedesk/1/customer`, { accountIds: [created.body.accountId] })).status).toBe(204);
    const duplicate = await agent().post(`${API}/customer`, { email: 'new.person@example.org', fullName: 'Again' });
    expect(duplicate.status).toBe(400);
    const strict = await agent().post(`${API}/customer?strictConflictStatusCode=true`, { email: 'NEW.PERSON@example.org', displayName: 'Again' });
    expect(strict.status).toBe(409);
    expect(strict.body.i18nErrorMessage.i18nKey).toBe('sd.api.customer.email.exists');
    expect((await agent().post(`${API}/customer`, { email: 'not-an-email' })).status).toBe(400);
    expect((await customer().post(`${API}/customer`, { email: 'x@example.org' })).status).toBe(403);
  });
});
