import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIM_IDENTITIES, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { allPages, API, as, call } from './helpers/client.ts';

type Req = {
  issueId: string;
  issueKey: string;
  serviceDeskId: string;
  requestTypeId: string;
  summary: string;
  reporter: { accountId: string };
  currentStatus: { status: string; statusCategory: string };
  [key: string]: unknown;
};

let sim: RunningSimulator;
const agent = () => as(sim, 'agent');
const customer = () => as(sim, 'customer');
const all = async (query = '') => (await allPages(sim, 'agent', `${API}/request?requestOwnership=ALL_REQUESTS&limit=100${query}`)).values as Req[];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, scale: 'small' });
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

describe('GET /request', () => {
  it('defaults to the caller own, participated and organization requests', async () => {
    const res = await agent().get(`${API}/request`);
    expect(res.status).toBe(200);
    expect(res.body.size).toBeGreaterThan(0);
    const me = SIM_IDENTITIES.agent.accountId;
    const owned = await agent().get(`${API}/request?requestOwnership=OWNED_REQUESTS`);
    expect(owned.body.size).toBeGreaterThan(0);
    expect(owned.body.values.every((r: Req) => r.reporter.accountId === me)).toBe(true);
    const participated = await agent().get(`${API}/request?requestOwnership=PARTICIPATED_REQUESTS&expand=participant`);
    expect(participated.body.values.every((r: { participants: { values: Array<{ accountId: string }> } }) => r.participants.values.some((p) => p.accountId === me))).toBe(true);
    const union = new Set([...owned.body.values, ...participated.body.values].map((r: Req) => r.issueId));
    expect(new Set(res.body.values.map((r: Req) => r.issueId))).toEqual(union);
    expect(union.size).toBeLessThan(60);
  });

  it('pages through ALL_REQUESTS and clamps limit to the maximum of 100', async () => {
    const paged = await allPages(sim, 'agent', `${API}/request?requestOwnership=ALL_REQUESTS&limit=25`);
    expect(paged.pages).toBe(3);
    const ids = paged.values.map((r) => (r as Req).issueId);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    const clamped = await agent().get(`${API}/request?requestOwnership=ALL_REQUESTS&limit=1000`);
    expect(clamped.body).toMatchObject({ limit: 100, size: 60, isLastPage: true });
  });

  it('filters by status, desk, request type, search term, approvals and organization', async () => {
    const everything = await all();
    const open = await all('&requestStatus=OPEN_REQUESTS');
    const closed = await all('&requestStatus=CLOSED_REQUESTS');
    expect(open.length + closed.length).toBe(everything.length);
    expect(closed.every((r) => r.currentStatus.statusCategory === 'DONE')).toBe(true);
    expect(open.every((r) => r.currentStatus.statusCategory !== 'DONE')).toBe(true);

    const desk2 = await all('&serviceDeskId=2');
    expect(desk2.length).toBeGreaterThan(0);
    expect(desk2.every((r) => r.serviceDeskId === '2')).toBe(true);
    const type = everything.find((r) => r.serviceDeskId === '2')!.requestTypeId;
    const typed = await all(`&serviceDeskId=2&requestTypeId=${type}`);
    expect(typed.length).toBeGreaterThan(0);
    expect(typed.every((r) => r.requestTypeId === type)).toBe(true);
    expect((await agent().get(`${API}/request?serviceDeskId=1&requestTypeId=12`)).status).toBe(404);
    expect((await agent().get(`${API}/request?serviceDeskId=99`)).status).toBe(404);

    const word = everything[0].summary.split(' ')[0];
    const searched = await all(`&searchTerm=${encodeURIComponent(word.toLowerCase())}`);
    expect(searched.length).toBeGreaterThan(0);
    expect(searched.every((r) => r.summary.toLowerCase().includes(word.toLowerCase()))).toBe(true);

    const pending = await agent().get(`${API}/request?requestOwnership=APPROVER&approvalStatus=MY_PENDING_APPROVAL`);
    expect(pending.body.values.map((r: Req) => r.issueId)).toContain('10001');
    const byOrg = await agent().get(`${API}/request?requestOwnership=ORGANIZATION&organizationId=1&expand=participant`);
    expect(byOrg.body.values.map((r: Req) => r.issueId)).toContain('10001');
  });

  it('answers 400 for invalid parameters', async () => {
    for (const query of ['requestOwnership=MINE', 'requestStatus=DONE', 'approvalStatus=MY_PENDING_APPROVAL', 'requestOwnership=ORGANIZATION', 'limit=abc', 'start=-1', 'limit=0', 'serviceDeskId=x']) {
      const res = await agent().get(`${API}/request?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.i18nErrorMessage.i18nKey).toMatch(/^sd\.api\./);
    }
  });

  it('shows a customer only requests they reported or participate in', async () => {
    const me = SIM_IDENTITIES.customer.accountId;
    const mine = (await allPages(sim, 'customer', `${API}/request?requestOwnership=ALL_REQUESTS&expand=participant`)).values as Array<Req & { participants: { values: Array<{ accountId: string }> } }>;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(60);
    for (const r of mine) expect(r.reporter.accountId === me || r.participants.values.some((p) => p.accountId === me)).toBe(true);
    const foreign = (await all()).find((r) => !mine.some((m) => m.issueId === r.issueId))!;
    expect((await customer().get(`${API}/request/${foreign.issueKey}`)).status).toBe(403);
  });
});

describe('GET /request/{issueIdOrKey}', () => {
  it('finds a request by id and by key; 404 for unknown ones', async () => {
    const byId = await agent().get(`${API}/request/10001`);
    const byKey = await agent().get(`${API}/request/test-1`);
    expect(byId.status).toBe(200);
    expect(byKey.body).toEqual(byId.body);
    expect(byId.body).toMatchObject({ issueId: '10001', issueKey: 'TEST-1', serviceDeskId: '1' });
    expect(byId.body.createdDate).toEqual({
      iso8601: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/),
      jira: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      friendly: expect.any(String),
      epochMillis: expect.any(Number),
    });
    expect((await agent().get(`${API}/request/NOPE-1`)).status).toBe(404);
  });

  it('omits expandable parts unless expanded, and lists them in _expands', async () => {
    const plain = await agent().get(`${API}/request/10001`);
    const expandable = ['participant', 'status', 'sla', 'requestType', 'serviceDesk', 'attachment', 'action', 'comment'];
    expect(plain.body._expands).toEqual(expandable);
    const properties = ['participants', 'status', 'sla', 'requestType', 'serviceDesk', 'attachments', 'actions', 'comments'];
    for (const p of properties) expect(plain.body).not.toHaveProperty(p);
    for (const [i, name] of expandable.entries()) {
      const res = await agent().get(`${API}/request/10001?expand=${name}`);
      expect(res.body, name).toHaveProperty(properties[i]);
    }
    const deep = await agent().get(`${API}/request/10001?expand=comment.attachment&expand=comment.renderedBody,requestType`);
    const comment = deep.body.comments.values[0];
    expect(comment).toHaveProperty('attachments');
    expect(comment.renderedBody.html).toContain('<p>');
    expect(deep.body.requestType.id).toBe(deep.body.requestTypeId);
    const forCustomer = await customer().get(`${API}/request/10001?expand=sla,comment`);
    expect(forCustomer.body).not.toHaveProperty('sla');
    expect(forCustomer.body.comments.values.every((c: { public: boolean }) => c.public)).toBe(true);
    expect(deep.body.requestFieldValues.find((f: { fieldId: string }) => f.fieldId === 'customfield_10010').value).toMatchObject({ id: expect.any(String), value: expect.any(String) });
  });

  it('translates the status with Accept-Language', async () => {
    const res = await agent().get(`${API}/request/10001?expand=status`, { lang: 'de' });
    expect(res.body.currentStatus.status).toBe('Warten auf Kunden');
    expect(res.body.status.values.map((s: { status: string }) => s.status)).toEqual(['Warten auf Kunden', 'In Arbeit', 'Warten auf Support']);
  });
});

describe('POST /request', () => {
  const body = {
    serviceDeskId: '1',
    requestTypeId: '1',
    requestFieldValues: { summary: 'Monitor flickers', description: 'Since Monday.', customfield_10010: { id: '10002' }, customfield_10011: 'Dell U2720Q' },
  };

  it('creates a request that the next read returns', async () => {
    const created = await customer().post(`${API}/request`, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ issueId: '10061', issueKey: 'TEST-27', summary: 'Monitor flickers', currentStatus: { status: 'Waiting for support' } });
    const read = await agent().get(`${API}/request/${created.body.issueKey}?expand=sla`);
    expect(read.body.reporter.accountId).toBe(SIM_IDENTITIES.customer.accountId);
    expect(read.body.sla.values.every((s: { ongoingCycle?: unknown }) => s.ongoingCycle)).toBe(true);
    const owned = await customer().get(`${API}/request?requestOwnership=OWNED_REQUESTS`);
    expect(owned.body.values[0].issueKey).toBe(created.body.issueKey);
    const onBehalf = await agent().post(`${API}/request`, { ...body, raiseOnBehalfOf: SIM_IDENTITIES.customer.email, requestParticipants: [SIM_IDENTITIES.agent.accountId] });
    expect(onBehalf.status).toBe(201);
    expect(onBehalf.body.reporter.emailAddress).toBe(SIM_IDENTITIES.customer.email);
  });

  it('rejects invalid requests with 400 and forbidden ones with 403', async () => {
    const bad = [
      { ...body, requestFieldValues: { description: 'no summary', customfield_10010: '10000' } },
      { ...body, requestTypeId: '12' },
      { ...body, serviceDeskId: '42' },
      { ...body, requestFieldValues: { ...body.requestFieldValues, customfield_10010: { value: 'Huge' } } },
      { ...body, requestFieldValues: { ...body.requestFieldValues, customfield_10099: 'x' } },
      { ...body, requestTypeId: undefined },
    ];
    for (const b of bad) expect((await agent().post(`${API}/request`, b)).status, JSON.stringify(b)).toBe(400);
    expect((await customer().post(`${API}/request`, { ...body, serviceDeskId: '3', requestTypeId: '15' })).status).toBe(403);
    expect((await customer().post(`${API}/request`, { ...body, raiseOnBehalfOf: 'agent@example.com' })).status).toBe(403);
    const malformed = await call(sim, 'agent', 'POST', `${API}/request`, { raw: '{nope' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errorMessage).toMatch(/not a valid JSON/);
  });
});
