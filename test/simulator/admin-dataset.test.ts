import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIM_IDENTITIES, startSimulator, type RunningSimulator, type SimCall, type SimDataset } from '../../src/simulator/index.ts';
import { admin, allPages, API, as, call } from './helpers/client.ts';

let sim: RunningSimulator;
const simAdmin = (method: string, path: string) => admin(sim, method, path);
const calls = async (): Promise<SimCall[]> => (await simAdmin('GET', 'calls')).body;
const dataset = async (): Promise<SimDataset> => (await simAdmin('GET', 'dataset')).body;
const ALL_EXPANDS = 'participant,status,sla,requestType,serviceDesk,attachment,action,comment,comment.attachment,comment.renderedBody';

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, scale: 'small' });
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

describe('GET /__sim/calls', () => {
  it('records every API call with its query and identity, never the secret', async () => {
    await as(sim, 'agent').get(`${API}/request?requestOwnership=OWNED_REQUESTS&expand=sla&expand=status`);
    await as(sim, 'anonymous').get(`${API}/servicedesk`);
    const [first, second] = await calls();
    expect(first).toEqual({
      method: 'GET',
      path: `${API}/request`,
      query: { requestOwnership: 'OWNED_REQUESTS', expand: ['sla', 'status'] },
      status: 200,
      identity: { accountId: SIM_IDENTITIES.agent.accountId, email: SIM_IDENTITIES.agent.email, scheme: 'basic-api-token' },
      undefinedBySpec: false,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(second).toMatchObject({ status: 401, identity: null });
    expect(JSON.stringify(await calls())).not.toMatch(/agent-token|YWdlbnRAZXhhbXBsZS5jb206YWdlbnQtdG9rZW4=/);
    expect((await simAdmin('DELETE', 'calls')).status).toBe(204);
    expect(await calls()).toEqual([]);
  });

  it('flags calls the spec does not define: path, method or query parameter', async () => {
    await as(sim, 'agent').get(`${API}/request?requestLanguage=de`);
    await as(sim, 'agent').get(`${API}/servicedesk?bogus=1`);
    await as(sim, 'agent').get(`${API}/no-such-thing`);
    await as(sim, 'agent').delete(`${API}/servicedesk/1`);
    await as(sim, 'agent').get('/rest/api/3/users/search?query=x');
    expect((await calls()).map((c) => c.undefinedBySpec)).toEqual([true, true, true, true, true]);
  });

  it('does not flag any endpoint the simulator documents', async () => {
    const form = new FormData();
    form.append('file', new Blob(['x']), 'x.txt');
    const multipart = { experimental: true, headers: { 'X-Atlassian-Token': 'no-check' } };
    const targets: Array<[string, string, object?]> = [
      ['GET', '/servicedesk?start=0&limit=5'],
      ['GET', '/servicedesk/1'],
      ['GET', `/request?requestOwnership=APPROVER&requestStatus=OPEN_REQUESTS&serviceDeskId=2&requestTypeId=12&searchTerm=a&approvalStatus=MY_PENDING_APPROVAL&organizationId=1&expand=sla&start=0&limit=5`],
      ['GET', '/request/TEST-1?expand=comment'],
      ['POST', '/request', { body: { serviceDeskId: '1', requestTypeId: '6', requestFieldValues: { summary: 'Locked out' } } }],
      ['GET', '/request/10001/comment?public=true&internal=false&expand=attachment&start=0&limit=5'],
      ['GET', '/request/10001/comment/10001?expand=renderedBody'],
      ['POST', '/request/10001/comment', { body: { body: 'hi', public: true } }],
      ['GET', '/request/10001/participant?start=0&limit=5'],
      ['POST', '/request/10001/participant', { body: { usernames: ['agent'] } }],
      ['DELETE', '/request/10001/participant', { body: { usernames: ['agent'] } }],
      ['GET', '/request/10001/approval?start=0&limit=5'],
      ['GET', '/request/10001/approval/10002'],
      ['POST', '/request/10001/approval/10002', { body: { decision: 'approve' } }],
      ['GET', '/request/10001/transition?start=0&limit=5'],
      ['POST', '/request/10001/transition', { body: { id: '31', additionalComment: { body: 'Back to you' } } }],
      ['GET', '/request/10001/sla?start=0&limit=5'],
      ['GET', '/request/10001/sla/1'],
      ['GET', '/request/10001/status?start=0&limit=5'],
      ['GET', '/requesttype?searchQuery=a&serviceDeskId=1&start=0&limit=5', { experimental: true }],
      ['GET', '/servicedesk/1/requesttype?groupId=12&searchQuery=a&start=0&limit=5'],
      ['GET', '/servicedesk/2/requesttype/12'],
      ['GET', '/servicedesk/1/requesttype/3/field?expand=hiddenFields'],
      ['GET', '/servicedesk/1/requesttypegroup?start=0&limit=5'],
      ['GET', '/organization?start=0&limit=5'],
      ['GET', '/servicedesk/1/organization?start=0&limit=5'],
      ['POST', '/organization', { body: { name: 'Flagless Ltd' } }],
      ['GET', '/organization/1/user?start=0&limit=5'],
      ['POST', '/organization/1/user', { body: { usernames: ['agent'] } }],
      ['DELETE', '/organization/1/user', { body: { usernames: ['agent'] } }],
      ['POST', '/servicedesk/3/organization', { body: { organizationId: 1 } }],
      ['DELETE', '/servicedesk/3/organization', { body: { organizationId: 1 } }],
      ['DELETE', '/organization/4'],
      ['GET', '/servicedesk/1/customer?query=a&start=0&limit=5', { experimental: true }],
      ['POST', '/servicedesk/1/customer', { body: { usernames: ['customer'] } }],
      ['POST', '/customer', { body: { email: 'flagless@example.org', displayName: 'F' } }],
      ['GET', '/knowledgebase/article?query=vpn&highlight=true&start=0&limit=5'],
      ['GET', '/servicedesk/1/knowledgebase/article?query=vpn&highlight=false'],
      ['GET', '/servicedesk/1/queue?includeCount=true&start=0&limit=5'],
      ['GET', '/servicedesk/1/queue/1?includeCount=true'],
      ['GET', '/servicedesk/1/queue/1/issue?start=0&limit=5'],
      ['POST', '/servicedesk/1/attachTemporaryFile', { ...multipart, body: form }],
      ['GET', '/info'],
    ];
    for (const [method, path, opts] of targets) {
      const res = await call(sim, 'agent', method, `${API}${path}`, opts);
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
    }
    for (const path of ['/rest/api/2/myself', '/rest/api/3/myself', '/rest/api/2/serverInfo', '/rest/api/3/serverInfo', '/rest/api/3/users/search?startAt=0&maxResults=5', '/rest/api/2/user/search?username=a&startAt=0&maxResults=5']) {
      expect((await call(sim, 'agent', 'GET', path)).status, path).toBe(200);
    }
    const flagged = (await calls()).filter((c) => c.undefinedBySpec);
    expect(flagged).toEqual([]);
  });
});

describe('GET /__sim/dataset', () => {
  it('has every kind, with parents, and the anchors', async () => {
    const data = await dataset();
    expect(data).toMatchObject({ seed: 1, scale: 'small' });
    const kinds = [
      'servicedesk', 'request', 'request.comment', 'request.participant', 'request.approval', 'request.transition', 'request.sla',
      'request.status', 'request.attachment', 'requesttype', 'requesttypegroup', 'requesttype.field', 'organization', 'servicedesk.organization',
      'organization.user', 'servicedesk.customer', 'knowledgebase.article', 'servicedesk.queue', 'queue.issue', 'user',
    ];
    expect(Object.keys(data.entities).sort()).toEqual([...kinds].sort());
    for (const kind of kinds) expect(data.entities[kind as keyof SimDataset['entities']].length, kind).toBeGreaterThan(0);
    expect(data.entities['requesttype.field'][0].parent).toEqual({ serviceDeskId: '1', requestTypeId: '1' });
    expect(data.entities['queue.issue'][0].parent).toEqual({ serviceDeskId: '1', queueId: '1' });
    expect(data.entities.servicedesk[0].parent).toEqual({});
    const requestIds = new Set(data.entities.request.map((e) => e.item.issueId));
    for (const e of data.entities['request.comment']) expect(requestIds.has(e.parent.requestId)).toBe(true);
    expect(data.entities['request.comment'].some((e) => e.parent.requestId === '10001' && e.item.id === '10002')).toBe(true);
    expect(data.entities['request.approval'].some((e) => e.parent.requestId === '10001' && e.item.id === '10002')).toBe(true);
    expect(data.entities.requesttype.map((e) => e.item.id)).toEqual(expect.arrayContaining(['12', '10012']));
    expect(data.entities['requesttype.field'].some((e) => e.item.visible === false)).toBe(true);
  });

  it('holds exactly what the agent list endpoints return, every expansion applied', async () => {
    const data = await dataset();
    const byId = new Map(data.entities.request.map((e) => [e.item.issueId, e.item]));
    const listed = (await allPages(sim, 'agent', `${API}/request?requestOwnership=ALL_REQUESTS&limit=100&expand=${ALL_EXPANDS}`)).values as Array<{ issueId: string }>;
    expect(listed).toHaveLength(byId.size);
    for (const r of listed) expect(byId.get(r.issueId)).toEqual(r);

    const comments = await as(sim, 'agent').get(`${API}/request/10001/comment?expand=attachment,renderedBody`);
    expect(data.entities['request.comment'].filter((e) => e.parent.requestId === '10001').map((e) => e.item)).toEqual(comments.body.values);
    const sla = await as(sim, 'agent').get(`${API}/request/10001/sla`);
    expect(data.entities['request.sla'].filter((e) => e.parent.requestId === '10001').map((e) => e.item)).toEqual(sla.body.values);
    const fields = await as(sim, 'agent').get(`${API}/servicedesk/1/requesttype/3/field?expand=hiddenFields`);
    const fieldItems = data.entities['requesttype.field'].filter((e) => e.parent.requestTypeId === '3').map((e) => e.item);
    expect(fieldItems).toEqual(fields.body.requestTypeFields);
    const queues = await as(sim, 'agent').get(`${API}/servicedesk/2/queue?includeCount=true`);
    expect(data.entities['servicedesk.queue'].filter((e) => e.parent.serviceDeskId === '2').map((e) => e.item)).toEqual(queues.body.values);
    const issues = (await allPages(sim, 'agent', `${API}/servicedesk/2/queue/6/issue?limit=100`)).values;
    expect(data.entities['queue.issue'].filter((e) => e.parent.queueId === '6').map((e) => e.item)).toEqual(issues);
    const customers = (await allPages(sim, 'agent', `${API}/servicedesk/1/customer?limit=100`, { experimental: true })).values;
    expect(data.entities['servicedesk.customer'].filter((e) => e.parent.serviceDeskId === '1').map((e) => e.item)).toEqual(customers);
    const users = await as(sim, 'agent').get('/rest/api/3/users/search?maxResults=1000');
    expect(data.entities.user.map((e) => e.item)).toEqual(users.body);
    const article = data.entities['knowledgebase.article'].find((e) => e.parent.serviceDeskId === '3')!;
    const found = await as(sim, 'agent').get(`${API}/servicedesk/3/knowledgebase/article?query=${encodeURIComponent(String(article.item.title))}`);
    expect(found.body.values).toContainEqual(article.item);
  });

  it('reflects writes, and reset restores the seeded state', async () => {
    const seeded = await dataset();
    const created = await as(sim, 'agent').post(`${API}/request`, { serviceDeskId: '2', requestTypeId: '12', requestFieldValues: { summary: 'Access to finance share', customfield_10011: 'Finance share' } });
    expect(created.status).toBe(201);
    await as(sim, 'agent').post(`${API}/request/${created.body.issueKey}/comment`, { body: 'On it', public: false });
    await as(sim, 'agent').post(`${API}/organization`, { name: 'Written Org' });
    const written = await dataset();
    expect(written.entities.request).toHaveLength(seeded.entities.request.length + 1);
    expect(written.entities['request.comment'].filter((e) => e.parent.requestId === created.body.issueId)).toHaveLength(1);
    expect(written.entities.organization.map((e) => e.item.name)).toContain('Written Org');
    expect((await as(sim, 'agent').get(`${API}/request/${created.body.issueKey}`)).status).toBe(200);

    expect((await simAdmin('POST', 'reset')).status).toBe(204);
    expect(await dataset()).toEqual(seeded);
    expect((await as(sim, 'agent').get(`${API}/request/${created.body.issueKey}`)).status).toBe(404);
    expect(await calls()).toHaveLength(1);
  });

  it('answers 404 for unknown admin paths', async () => {
    expect((await simAdmin('GET', 'nothing')).status).toBe(404);
  });
});
