import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIM_IDENTITIES, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { API, as } from './helpers/client.ts';

let sim: RunningSimulator;
const agent = () => as(sim, 'agent');
const customer = () => as(sim, 'customer');
const R = `${API}/request/10001`;
type Comment = { id: string; public: boolean; body: string };

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, scale: 'small' });
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

describe('comments', () => {
  it('lists public and internal comments with the public/internal switches', async () => {
    const all = await agent().get(`${R}/comment`);
    expect(all.status).toBe(200);
    const comments: Comment[] = all.body.values;
    expect(comments.map((c) => c.id)).toContain('10002');
    expect(comments.some((c) => c.public) && comments.some((c) => !c.public)).toBe(true);
    const pub = await agent().get(`${R}/comment?internal=false`);
    expect(pub.body.values.every((c: Comment) => c.public)).toBe(true);
    const internal = await agent().get(`${R}/comment?public=false`);
    expect(internal.body.values.every((c: Comment) => !c.public)).toBe(true);
    expect(pub.body.size + internal.body.size).toBe(all.body.size);
    expect((await agent().get(`${R}/comment?public=false&internal=false`)).body.size).toBe(0);
    expect((await agent().get(`${R}/comment?public=maybe`)).status).toBe(400);
    expect((await agent().get(`${API}/request/TEST-999/comment`)).status).toBe(404);
  });

  it('pages comments and expands attachments and rendered bodies', async () => {
    const page = await agent().get(`${R}/comment?limit=2&expand=attachment,renderedBody`);
    expect(page.body).toMatchObject({ size: 2, limit: 2, isLastPage: false });
    expect(page.body.values[0]).toHaveProperty('attachments');
    expect(page.body.values[0].renderedBody.html).toMatch(/^<p>/);
    expect(page.body.values[0]._expands).toEqual(['attachment', 'renderedBody']);
    const plain = await agent().get(`${R}/comment?limit=2`);
    expect(plain.body.values[0]).not.toHaveProperty('attachments');
    expect((await agent().get(`${R}/comment?limit=500`)).body.limit).toBe(50);
  });

  it('never shows internal comments to a customer', async () => {
    const list = await customer().get(`${R}/comment?internal=true`);
    expect(list.body.values.every((c: Comment) => c.public)).toBe(true);
    const internal = (await agent().get(`${R}/comment?public=false`)).body.values[0] as Comment;
    expect((await customer().get(`${R}/comment/${internal.id}`)).status).toBe(404);
    expect((await agent().get(`${R}/comment/${internal.id}`)).body).toMatchObject({ id: internal.id, public: false });
    const foreign = `${API}/request/10003/comment`;
    expect((await customer().get(foreign)).body.size).toBe(0);
    expect((await customer().get(`${API}/request/10003/comment/10001`)).status).toBe(403);
  });

  it('adds comments; customers may not add internal ones', async () => {
    const added = await agent().post(`${R}/comment`, { body: 'Internal: checking logs', public: false });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ body: 'Internal: checking logs', public: false, author: { accountId: SIM_IDENTITIES.agent.accountId } });
    const read = await agent().get(`${R}/comment/${added.body.id}`);
    expect(read.body.body).toBe('Internal: checking logs');
    const fromCustomer = await customer().post(`${R}/comment`, { body: 'Any news?' });
    expect(fromCustomer.status).toBe(201);
    expect(fromCustomer.body.public).toBe(true);
    expect((await customer().post(`${R}/comment`, { body: 'secret', public: false })).status).toBe(403);
    expect((await agent().post(`${R}/comment`, { body: '' })).status).toBe(400);
    expect((await agent().post(`${R}/comment`, { body: 'x', public: 'yes' })).status).toBe(400);
    expect((await agent().get(`${R}/comment/99999`)).status).toBe(404);
  });
});

describe('participants', () => {
  it('lists, adds and removes participants', async () => {
    const before = await agent().get(`${R}/participant`);
    expect(before.status).toBe(200);
    expect(before.body.size).toBeGreaterThan(0);
    const customers = await agent().get(`${API}/servicedesk/1/customer`, { experimental: true });
    const newcomer = customers.body.values.find(
      (u: { accountId: string }) => u.accountId !== SIM_IDENTITIES.customer.accountId && !before.body.values.some((p: { accountId: string }) => p.accountId === u.accountId),
    );
    const added = await agent().post(`${R}/participant`, { accountIds: [newcomer.accountId] });
    expect(added.status).toBe(200);
    expect(added.body.values.map((u: { accountId: string }) => u.accountId)).toContain(newcomer.accountId);
    const byName = await customer().post(`${R}/participant`, { usernames: ['agent'] });
    expect(byName.body.values.map((u: { accountId: string }) => u.accountId)).toContain(SIM_IDENTITIES.agent.accountId);
    const removed = await agent().delete(`${R}/participant`, { accountIds: [newcomer.accountId] });
    expect(removed.status).toBe(200);
    expect(removed.body.values.map((u: { accountId: string }) => u.accountId)).not.toContain(newcomer.accountId);
    expect((await agent().get(`${R}/participant`)).body.size).toBe(before.body.size + 1);
  });

  it('rejects unknown users, non-participants and strangers', async () => {
    expect((await agent().post(`${R}/participant`, { accountIds: ['nobody'] })).status).toBe(400);
    expect((await agent().post(`${R}/participant`, {})).status).toBe(400);
    expect((await agent().delete(`${R}/participant`, { accountIds: [SIM_IDENTITIES.customer.accountId] })).status).toBe(400);
    expect((await customer().post(`${API}/request/10003/participant`, { usernames: ['agent'] })).status).toBe(403);
  });
});

describe('approvals', () => {
  it('lists and gets approvals', async () => {
    const list = await agent().get(`${R}/approval`);
    expect(list.status).toBe(200);
    expect(list.body.values.map((a: { id: string }) => a.id)).toEqual(['10001', '10002']);
    const one = await agent().get(`${R}/approval/10002`);
    expect(one.body).toMatchObject({ id: '10002', finalDecision: 'pending', canAnswerApproval: true });
    expect(one.body).not.toHaveProperty('completedDate');
    expect((await customer().get(`${R}/approval/10002`)).body.canAnswerApproval).toBe(false);
    expect((await agent().get(`${R}/approval/424242`)).status).toBe(404);
  });

  it('answers an approval once; a second answer is a 409', async () => {
    expect((await agent().post(`${R}/approval/10002`, { decision: 'maybe' })).status).toBe(400);
    expect((await customer().post(`${R}/approval/10002`, { decision: 'approve' })).status).toBe(403);
    const approved = await agent().post(`${R}/approval/10002`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ finalDecision: 'approved', canAnswerApproval: false, completedDate: expect.any(Object) });
    const again = await agent().post(`${R}/approval/10002`, { decision: 'decline' });
    expect(again.status).toBe(409);
    expect(again.body.errorMessage).toMatch(/already/);
    expect((await agent().get(`${R}/approval/10002`)).body.finalDecision).toBe('approved');
    const history = await agent().get(`${API}/request?requestOwnership=APPROVER&approvalStatus=MY_HISTORY_APPROVAL`);
    expect(history.body.values.map((r: { issueId: string }) => r.issueId)).toContain('10001');
  });
});
