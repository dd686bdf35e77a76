/**
 * Every write the gateway makes, as JSM applies it: who may (agent vs customer identity), the 400s
 * for missing values in the API's error shape, the 404s for unknown ids, and the effect as
 * /__sim/dataset shows it. A refused write must leave the dataset exactly as it was.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIM_IDENTITIES, startSimulator, type RunningSimulator, type SimDataset } from '../../src/simulator/index.ts';
import { admin, API, as, type ApiResponse } from './helpers/client.ts';

let sim: RunningSimulator;
const agent = () => as(sim, 'agent');
const customer = () => as(sim, 'customer');
const AGENT_ID = SIM_IDENTITIES.agent.accountId;
const CUSTOMER_ID = SIM_IDENTITIES.customer.accountId;
/** Reported by the default customer; has approval 10002 pending on the default agent (and another agent). */
const R = `${API}/request/10001`;
const NEW_REQUEST = { serviceDeskId: '2', requestTypeId: '12', requestFieldValues: { summary: 'Access to finance share', customfield_10011: 'Finance share' } };

const dataset = async (): Promise<SimDataset> => (await admin(sim, 'GET', 'dataset')).body;
const of = <K extends keyof SimDataset['entities']>(d: SimDataset, kind: K, parent: Record<string, string>) =>
  d.entities[kind].filter((e) => Object.entries(parent).every(([k, v]) => (e.parent as Record<string, string>)[k] === v)).map((e) => e.item);

/** JSM's error body: {errorMessage, i18nErrorMessage: {i18nKey, parameters}}. */
function expectApiError(res: ApiResponse, status: number, i18nKey?: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({
    errorMessage: expect.any(String),
    i18nErrorMessage: { i18nKey: i18nKey ?? expect.any(String), parameters: expect.any(Array) },
  });
}

/** Runs a write that must be refused and checks that nothing changed. */
async function refused(write: () => Promise<ApiResponse>, status: number, i18nKey?: string): Promise<void> {
  const before = await dataset();
  expectApiError(await write(), status, i18nKey);
  expect(await dataset()).toEqual(before);
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, scale: 'small' });
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

describe('comments', () => {
  it('stores id, body, visibility and author as the response says', async () => {
    const res = await agent().post(`${R}/comment`, { body: 'Checked the logs', public: false });
    expect(res.status).toBe(201);
    const stored = of(await dataset(), 'request.comment', { requestId: '10001' }).find((c) => c.id === res.body.id);
    expect(stored).toMatchObject({ id: res.body.id, body: 'Checked the logs', public: false, author: { accountId: AGENT_ID }, created: res.body.created });
    const mine = await customer().post(`${R}/comment`, { body: 'Thanks', public: true });
    expect(of(await dataset(), 'request.comment', { requestId: '10001' }).find((c) => c.id === mine.body.id)).toMatchObject({ author: { accountId: CUSTOMER_ID }, public: true });
  });

  it('refuses internal comments from customers, comments on requests they cannot see, missing bodies and unknown requests', async () => {
    await refused(() => customer().post(`${R}/comment`, { body: 'psst', public: false }), 403, 'sd.api.comment.internal.denied');
    await refused(() => customer().post(`${API}/request/10003/comment`, { body: 'hello', public: true }), 403);
    await refused(() => agent().post(`${R}/comment`, { public: true }), 400, 'sd.api.field.required');
    await refused(() => agent().post(`${R}/comment`, { body: '  ', public: true }), 400, 'sd.api.field.required');
    await refused(() => agent().post(`${API}/request/TEST-999/comment`, { body: 'x', public: true }), 404);
  });
});

describe('approvals', () => {
  it('lets an approver answer once; the decision, final decision and completion are in the dataset', async () => {
    const res = await agent().post(`${R}/approval/10002`, { decision: 'decline' });
    expect(res.status).toBe(200);
    const stored = of(await dataset(), 'request.approval', { requestId: '10001' }).find((a) => a.id === '10002')!;
    expect(stored).toMatchObject({ finalDecision: 'declined', completedDate: expect.any(Object) });
    const approvers = stored.approvers as Array<{ approver: { accountId: string }; approverDecision: string }>;
    expect(approvers.find((a) => a.approver.accountId === AGENT_ID)!.approverDecision).toBe('declined');
    expect(stored).toEqual(res.body);
    await refused(() => agent().post(`${R}/approval/10002`, { decision: 'approve' }), 409);
  });

  it("refuses a customer answering another's approval, even on the customer's own request", async () => {
    await refused(() => customer().post(`${R}/approval/10002`, { decision: 'approve' }), 403, 'sd.api.approval.not.approver');
    // 10003 is not the customer's: they cannot even see it.
    await refused(() => customer().post(`${API}/request/10003/approval/10002`, { decision: 'approve' }), 403);
  });

  it('refuses bad decisions and unknown ids', async () => {
    await refused(() => agent().post(`${R}/approval/10002`, { decision: 'maybe' }), 400);
    await refused(() => agent().post(`${R}/approval/10002`, {}), 400);
    await refused(() => agent().post(`${R}/approval/99999`, { decision: 'approve' }), 404);
    await refused(() => agent().post(`${API}/request/TEST-999/approval/10002`, { decision: 'approve' }), 404);
  });
});

describe('participants', () => {
  it('adds and removes participants; the dataset lists them', async () => {
    const ids = () => dataset().then((d) => of(d, 'request.participant', { requestId: '10001' }).map((u) => u.accountId));
    const before = await ids();
    expect(before).not.toContain(AGENT_ID);
    expect((await customer().post(`${R}/participant`, { accountIds: [AGENT_ID] })).status).toBe(200);
    expect(await ids()).toEqual([...before, AGENT_ID]);
    expect((await agent().delete(`${R}/participant`, { accountIds: [AGENT_ID] })).status).toBe(200);
    expect(await ids()).toEqual(before);
  });

  it('refuses a customer who only participates, unknown users, non-participants and unknown requests', async () => {
    // The customer participates in 10047 but did not report it: only reporters and agents manage participants.
    await refused(() => customer().post(`${API}/request/10047/participant`, { accountIds: [AGENT_ID] }), 403);
    await refused(() => agent().post(`${R}/participant`, { accountIds: ['no-such-account'] }), 400);
    await refused(() => agent().post(`${R}/participant`, {}), 400);
    await refused(() => agent().delete(`${R}/participant`, { accountIds: [CUSTOMER_ID] }), 400);
    await refused(() => agent().post(`${API}/request/TEST-999/participant`, { accountIds: [AGENT_ID] }), 404);
  });
});

describe('transitions', () => {
  it('moves the request and stores the optional comment', async () => {
    expect((await customer().post(`${R}/transition`, { id: '31', additionalComment: { body: 'Here is the info' } })).status).toBe(204);
    const d = await dataset();
    const request = of(d, 'request', {}).find((r) => r.issueId === '10001')!;
    expect(request.currentStatus).toMatchObject({ status: 'Waiting for support', statusCategory: 'NEW' });
    expect(of(d, 'request.status', { requestId: '10001' })[0]).toEqual(request.currentStatus);
    expect(of(d, 'request.comment', { requestId: '10001' }).at(-1)).toMatchObject({ body: 'Here is the info', public: true, author: { accountId: CUSTOMER_ID } });
    expect(of(d, 'request.transition', { requestId: '10001' }).map((t) => t.id)).toEqual(['11', '21']);
  });

  it('refuses missing or unavailable transitions, invisible and unknown requests', async () => {
    await refused(() => agent().post(`${R}/transition`, {}), 400, 'sd.api.field.required');
    await refused(() => agent().post(`${R}/transition`, { id: '41' }), 400, 'sd.api.transition.invalid');
    await refused(() => customer().post(`${API}/request/10003/transition`, { id: '11' }), 403);
    await refused(() => agent().post(`${API}/request/TEST-999/transition`, { id: '11' }), 404);
  });
});

describe('requests', () => {
  it('creates requests with their field values and participants', async () => {
    const res = await agent().post(`${API}/request`, { ...NEW_REQUEST, requestParticipants: [CUSTOMER_ID] });
    expect(res.status).toBe(201);
    const d = await dataset();
    const stored = of(d, 'request', {}).find((r) => r.issueId === res.body.issueId)!;
    expect(stored).toMatchObject({ issueKey: res.body.issueKey, summary: 'Access to finance share', reporter: { accountId: AGENT_ID } });
    expect(stored.requestFieldValues).toEqual(expect.arrayContaining([expect.objectContaining({ fieldId: 'customfield_10011', value: 'Finance share' })]));
    expect(of(d, 'request.participant', { requestId: res.body.issueId }).map((u) => u.accountId)).toEqual([CUSTOMER_ID]);
  });

  it('keeps raising on behalf of others and adding participants for agents', async () => {
    await refused(() => customer().post(`${API}/request`, { ...NEW_REQUEST, raiseOnBehalfOf: AGENT_ID }), 403);
    await refused(() => customer().post(`${API}/request`, { ...NEW_REQUEST, requestParticipants: [AGENT_ID] }), 403);
    expect((await customer().post(`${API}/request`, NEW_REQUEST)).status).toBe(201);
  });

  it('refuses missing required fields and unknown desks or types', async () => {
    await refused(() => agent().post(`${API}/request`, { ...NEW_REQUEST, requestFieldValues: { customfield_10011: 'x' } }), 400, 'sd.api.field.required');
    await refused(() => agent().post(`${API}/request`, { requestTypeId: '12', requestFieldValues: {} }), 400, 'sd.api.field.required');
    await refused(() => agent().post(`${API}/request`, { ...NEW_REQUEST, serviceDeskId: '99' }), 400);
    await refused(() => agent().post(`${API}/request`, { ...NEW_REQUEST, requestTypeId: '1' }), 400);
  });
});

describe('organizations and desks (agent-only)', () => {
  it('creates an organization, adds members, links it to a desk; the dataset shows each', async () => {
    const created = await agent().post(`${API}/organization`, { name: 'Written Org' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await agent().post(`${API}/organization/${id}/user`, { accountIds: [CUSTOMER_ID] })).status).toBe(204);
    expect((await agent().post(`${API}/servicedesk/1/organization`, { organizationId: Number(id) })).status).toBe(204);
    const d = await dataset();
    expect(of(d, 'organization', {})).toContainEqual(created.body);
    expect(of(d, 'organization.user', { organizationId: id }).map((u) => u.accountId)).toEqual([CUSTOMER_ID]);
    expect(of(d, 'servicedesk.organization', { serviceDeskId: '1' }).map((o) => o.id)).toContain(id);
    // An existing name answers with the existing organization, as the reference documents: nothing doubled.
    const again = await agent().post(`${API}/organization`, { name: 'written org' });
    expect(again).toMatchObject({ status: 201, body: created.body });
    expect(of(await dataset(), 'organization', {})).toHaveLength(of(d, 'organization', {}).length);
  });

  it('refuses every organization write from a customer', async () => {
    await refused(() => customer().post(`${API}/organization`, { name: 'Mine' }), 403);
    await refused(() => customer().delete(`${API}/organization/1`), 403);
    await refused(() => customer().post(`${API}/organization/1/user`, { accountIds: [CUSTOMER_ID] }), 403);
    await refused(() => customer().delete(`${API}/organization/1/user`, { accountIds: [CUSTOMER_ID] }), 403);
    await refused(() => customer().post(`${API}/servicedesk/1/organization`, { organizationId: 1 }), 403);
    await refused(() => customer().delete(`${API}/servicedesk/1/organization`, { organizationId: 1 }), 403);
  });

  it('refuses missing values and unknown ids', async () => {
    await refused(() => agent().post(`${API}/organization`, {}), 400, 'sd.api.field.required');
    await refused(() => agent().post(`${API}/organization`, { name: 'x'.repeat(201) }), 400);
    await refused(() => agent().post(`${API}/organization/1/user`, {}), 400);
    await refused(() => agent().post(`${API}/organization/99/user`, { accountIds: [CUSTOMER_ID] }), 404);
    await refused(() => agent().delete(`${API}/organization/99`), 404);
    await refused(() => agent().post(`${API}/servicedesk/1/organization`, {}), 400);
    await refused(() => agent().post(`${API}/servicedesk/1/organization`, { organizationId: 99 }), 404);
    await refused(() => agent().post(`${API}/servicedesk/99/organization`, { organizationId: 1 }), 404);
  });

  it('deletes an organization with its links', async () => {
    expect((await agent().delete(`${API}/organization/1`)).status).toBe(204);
    const d = await dataset();
    expect(of(d, 'organization', {}).map((o) => o.id)).not.toContain('1');
    expect(d.entities['servicedesk.organization'].some((e) => e.item.id === '1')).toBe(false);
    expect(d.entities['organization.user'].some((e) => e.parent.organizationId === '1')).toBe(false);
  });
});

describe('customers (agent-only)', () => {
  it('creates customers and adds them to a desk; the dataset shows the user and the desk customer', async () => {
    const created = await agent().post(`${API}/customer`, { email: 'new.person@example.com', displayName: 'New Person' });
    expect(created.status).toBe(201);
    const accountId = created.body.accountId as string;
    expect((await agent().post(`${API}/servicedesk/3/customer`, { accountIds: [accountId] }, { experimental: true })).status).toBe(204);
    const d = await dataset();
    expect(of(d, 'user', {}).find((u) => u.accountId === accountId)).toMatchObject({ emailAddress: 'new.person@example.com', displayName: 'New Person', accountType: 'customer' });
    expect(of(d, 'servicedesk.customer', { serviceDeskId: '3' }).map((u) => u.accountId)).toContain(accountId);
  });

  it('refuses customers creating customers or changing desk customers', async () => {
    await refused(() => customer().post(`${API}/customer`, { email: 'x@example.com', displayName: 'X' }), 403);
    await refused(() => customer().post(`${API}/servicedesk/1/customer`, { accountIds: [CUSTOMER_ID] }, { experimental: true }), 403);
    await refused(() => customer().delete(`${API}/servicedesk/1/customer`, { accountIds: [CUSTOMER_ID] }, { experimental: true }), 403);
  });
});
