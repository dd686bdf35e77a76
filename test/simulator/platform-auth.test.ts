import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_IDENTITIES, startSimulator, type RunningSimulator, type SimCall } from '../../src/simulator/index.ts';
import { admin, API, as, basic } from './helpers/client.ts';

let sim: RunningSimulator;
const { agent, customer } = SIM_IDENTITIES;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, scale: 'small' });
});
afterAll(() => sim.close());

describe('authentication', () => {
  it.each([
    ['Cloud e-mail + API token', basic(agent.email, agent.apiToken), 'basic-api-token'],
    ['Data Center username + password', basic(agent.username, agent.password), 'basic-password'],
    ['personal access token', `Bearer ${agent.pat}`, 'bearer-pat'],
    ['OAuth 2.0 access token', `Bearer ${agent.oauthToken}`, 'bearer-oauth'],
  ])('accepts %s', async (_, authorization, scheme) => {
    const res = await as(sim, { authorization }).get(`${API}/servicedesk`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-aaccountid')).toBe(agent.accountId);
    const calls: SimCall[] = (await admin(sim, 'GET', 'calls')).body;
    expect(calls.at(-1)!.identity).toEqual({ accountId: agent.accountId, email: agent.email, scheme });
  });

  it('accepts the customer identity both ways', async () => {
    for (const authorization of [basic(customer.email, customer.apiToken), basic(customer.username, customer.password), `Bearer ${customer.pat}`]) {
      const res = await as(sim, { authorization }).get('/rest/api/3/myself');
      expect(res.body.accountId).toBe(customer.accountId);
    }
  });

  it.each([
    ['no credentials', undefined],
    ['a wrong API token', basic(agent.email, 'wrong')],
    ['the password as API token for the e-mail', basic(agent.email, agent.password)],
    ['an unknown bearer token', 'Bearer nope'],
    ['a malformed header', 'Basic !!!'],
    ['an unknown scheme', `Digest ${agent.pat}`],
  ])('answers 401 for %s', async (_, authorization) => {
    const res = await as(sim, authorization ? { authorization } : 'anonymous').get(`${API}/request`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(res.body).toEqual({ errorMessage: expect.any(String), i18nErrorMessage: { i18nKey: 'sd.api.user.not.logged.in', parameters: [] } });
  });

  it('lets anonymous callers read /info and serverInfo only', async () => {
    const info = await as(sim, 'anonymous').get(`${API}/info`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ isLicensedForUse: true, _links: { self: `${sim.url}${API}/info` } });
    expect((await as(sim, 'anonymous').get('/rest/api/3/serverInfo')).status).toBe(200);
    expect((await as(sim, { authorization: basic('x', 'y') }).get(`${API}/info`)).status).toBe(401);
  });
});

describe('platform endpoints', () => {
  it('answers myself in the v3 (Cloud) and v2 shapes', async () => {
    const v3 = await as(sim, 'agent').get('/rest/api/3/myself');
    expect(v3.status).toBe(200);
    expect(v3.body).toMatchObject({ accountId: agent.accountId, emailAddress: agent.email, displayName: agent.displayName, accountType: 'atlassian', active: true });
    const v2 = await as(sim, 'agent').get('/rest/api/2/myself');
    expect(v2.body).toMatchObject({ accountId: agent.accountId, name: 'agent', key: 'agent', deleted: false });
    expect((await as(sim, 'anonymous').get('/rest/api/2/myself')).status).toBe(401);
  });

  it('answers serverInfo', async () => {
    for (const v of ['2', '3']) {
      const res = await as(sim, 'agent').get(`/rest/api/${v}/serverInfo`);
      expect(res.body).toMatchObject({ baseUrl: sim.url, deploymentType: 'Cloud', versionNumbers: [1001, 0, 0] });
    }
  });

  it('searches users with startAt/maxResults paging (Cloud and Data Center)', async () => {
    const cloud = await as(sim, 'agent').get('/rest/api/3/users/search?maxResults=10');
    expect(cloud.status).toBe(200);
    expect(cloud.body).toHaveLength(10);
    expect(cloud.body[0]).toMatchObject({ accountId: agent.accountId, accountType: 'atlassian' });
    const next = await as(sim, 'agent').get('/rest/api/3/users/search?startAt=10&maxResults=10');
    expect(next.body[0].accountId).not.toBe(cloud.body[0].accountId);
    const everyone = await as(sim, 'agent').get('/rest/api/3/users/search?maxResults=5000');
    expect(everyone.body).toHaveLength(35);
    expect(new Set(everyone.body.map((u: { accountId: string }) => u.accountId)).size).toBe(35);
    expect((await as(sim, 'agent').get('/rest/api/3/users/search?startAt=1000')).body).toEqual([]);
    expect((await as(sim, 'agent').get('/rest/api/2/users/search?maxResults=10')).body).toEqual(cloud.body);
    const dc = await as(sim, 'agent').get('/rest/api/2/user/search?username=casey&startAt=0&maxResults=50');
    expect(dc.body).toEqual([expect.objectContaining({ name: 'customer', key: 'customer', emailAddress: customer.email })]);
    const dcAll = await as(sim, 'agent').get('/rest/api/2/user/search?username=.&includeInactive=true&maxResults=1000');
    expect(dcAll.body.length).toBe(35);
    const bad = await as(sim, 'agent').get('/rest/api/3/users/search?maxResults=-1');
    expect(bad.status).toBe(400);
    expect(bad.body.errorMessages).toHaveLength(1);
    expect((await as(sim, 'customer').get('/rest/api/3/users/search')).status).toBe(403);
  });

  it('answers 404 for unknown paths and 405 for wrong methods, and 501 for spec paths it does not serve', async () => {
    expect((await as(sim, 'agent').get('/rest/servicedeskapi/nothing-here')).status).toBe(404);
    expect((await as(sim, 'agent').put(`${API}/servicedesk`)).status).toBe(405);
    const feedback = await as(sim, 'agent').get(`${API}/request/TEST-1/feedback`, { experimental: true });
    expect(feedback.status).toBe(501);
  });
});
