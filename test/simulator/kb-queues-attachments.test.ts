import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { allPages, API, as } from './helpers/client.ts';

let sim: RunningSimulator;
const agent = () => as(sim, 'agent');
const customer = () => as(sim, 'customer');
type Article = { title: string; excerpt: string; source: { type: string; pageId: string }; content: { iframeSrc: string } };

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, scale: 'small' });
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

describe('knowledge base', () => {
  it('needs a query (400 without one)', async () => {
    const res = await agent().get(`${API}/knowledgebase/article`);
    expect(res.status).toBe(400);
    expect(res.body.errorMessage).toMatch(/query/);
  });

  it('searches across desks and highlights matches on request', async () => {
    const res = await agent().get(`${API}/knowledgebase/article?query=password&highlight=false`);
    expect(res.status).toBe(200);
    expect(res.body.size).toBeGreaterThan(0);
    const first: Article = res.body.values[0];
    expect(first.title.toLowerCase()).toContain('password');
    expect(first.source.type).toBe('confluence');
    expect(first.content.iframeSrc).toBe(`${sim.url}${API}/knowledgebase/article/view/${first.source.pageId}`);
    const lit = await agent().get(`${API}/knowledgebase/article?query=password&highlight=true`);
    expect(lit.body.values[0].title).toContain('@@@hl@@@password@@@endhl@@@');
    const view = await agent().get(`${API}/knowledgebase/article/view/${first.source.pageId}`);
    expect(view.status).toBe(200);
    expect(view.body).toContain(first.title);
    expect((await agent().get(`${API}/knowledgebase/article/view/1`)).status).toBe(404);
  });

  it('searches per desk; customers only in their desks', async () => {
    const hr = await agent().get(`${API}/servicedesk/3/knowledgebase/article?query=payslip`);
    expect(hr.body.values.map((a: Article) => a.title)).toEqual(['Understanding your payslip']);
    expect((await customer().get(`${API}/servicedesk/3/knowledgebase/article?query=payslip`)).status).toBe(403);
    expect((await customer().get(`${API}/knowledgebase/article?query=payslip`)).body.size).toBe(0);
    expect((await customer().get(`${API}/servicedesk/1/knowledgebase/article?query=vpn`)).body.size).toBe(1);
    expect((await agent().get(`${API}/servicedesk/3/knowledgebase/article`)).status).toBe(400);
  });
});

describe('queues', () => {
  it('lists queues with optional counts, gets one, and pages through its issues', async () => {
    const queues = await agent().get(`${API}/servicedesk/1/queue?includeCount=true`);
    expect(queues.status).toBe(200);
    expect(queues.body.values.map((q: { name: string }) => q.name)).toEqual([
      'All open requests',
      'Unassigned requests',
      'Assigned to me',
      'Waiting for customer',
      'Resolved requests',
    ]);
    const open = queues.body.values[0];
    expect(open.issueCount).toBeGreaterThan(0);
    expect(open.jql).toMatch(/^project = TEST AND /);
    expect((await agent().get(`${API}/servicedesk/1/queue`)).body.values[0]).not.toHaveProperty('issueCount');
    const one = await agent().get(`${API}/servicedesk/1/queue/${open.id}?includeCount=true`);
    expect(one.body).toEqual(open);

    const issues = await allPages(sim, 'agent', `${API}/servicedesk/1/queue/${open.id}/issue?limit=3`);
    expect(issues.values).toHaveLength(open.issueCount);
    const issue = issues.values[0] as { id: string; key: string; fields: Record<string, unknown> };
    expect(issue.key).toMatch(/^TEST-\d+$/);
    expect(Object.keys(issue.fields).sort()).toEqual(['created', 'issuetype', 'reporter', 'status', 'summary']);
    const mine = queues.body.values.find((q: { name: string }) => q.name === 'Assigned to me');
    const assigned = await agent().get(`${API}/servicedesk/1/queue/${mine.id}/issue`);
    expect(assigned.body.values.map((i: { key: string }) => i.key)).toContain('TEST-1');
  });

  it('translates queue names and refuses customers and unknown queues', async () => {
    const de = await agent().get(`${API}/servicedesk/1/queue`, { lang: 'de' });
    expect(de.body.values[0].name).toBe('Alle offenen Anfragen');
    expect((await customer().get(`${API}/servicedesk/1/queue`)).status).toBe(403);
    expect((await customer().get(`${API}/servicedesk/1/queue/1/issue`)).status).toBe(403);
    expect((await agent().get(`${API}/servicedesk/1/queue/6`)).status).toBe(404);
    expect((await agent().get(`${API}/servicedesk/2/queue/6/issue`)).status).toBe(200);
  });
});

describe('attachments', () => {
  const form = (...names: string[]) => {
    const data = new FormData();
    for (const name of names) data.append('file', new Blob([`content of ${name}`], { type: name.endsWith('.png') ? 'image/png' : 'text/plain' }), name);
    return data;
  };
  const upload = `${API}/servicedesk/1/attachTemporaryFile`;

  it('uploads temporary files only with both special headers', async () => {
    const noXsrf = await customer().post(upload, form('a.txt'), { experimental: true });
    expect(noXsrf.status).toBe(403);
    expect(noXsrf.body.errorMessage).toBe('XSRF check failed');
    const noOptIn = await customer().post(upload, form('a.txt'), { headers: { 'X-Atlassian-Token': 'no-check' } });
    expect(noOptIn.status).toBe(412);
    const ok = await customer().post(upload, form('a.txt', 'shot.png'), { experimental: true, headers: { 'X-Atlassian-Token': 'no-check' } });
    expect(ok.status).toBe(201);
    expect(ok.body.temporaryAttachments).toEqual([
      { temporaryAttachmentId: expect.stringMatching(/^temp\d+$/), fileName: 'a.txt' },
      { temporaryAttachmentId: expect.stringMatching(/^temp\d+$/), fileName: 'shot.png' },
    ]);
    const empty = await customer().post(upload, new FormData(), { experimental: true, headers: { 'X-Atlassian-Token': 'no-check' } });
    expect(empty.status).toBe(400);
    expect((await customer().post(`${API}/servicedesk/3/attachTemporaryFile`, form('a.txt'), { experimental: true, headers: { 'X-Atlassian-Token': 'no-check' } })).status).toBe(403);
  });

  it('attaches temporary files to a request; they show up on the request and its new comment', async () => {
    const headers = { 'X-Atlassian-Token': 'no-check' };
    const temp = await customer().post(upload, form('log.txt', 'shot.png'), { experimental: true, headers });
    const ids = temp.body.temporaryAttachments.map((t: { temporaryAttachmentId: string }) => t.temporaryAttachmentId);
    const added = await customer().post(`${API}/request/TEST-1/attachment`, { temporaryAttachmentIds: ids, public: true, additionalComment: { body: 'Logs attached.' } });
    expect(added.status).toBe(201);
    expect(added.body.attachments.values.map((a: { filename: string }) => a.filename)).toEqual(['log.txt', 'shot.png']);
    expect(added.body.attachments.values[1]._links.thumbnail).toBeDefined();
    expect(added.body.comment.body).toBe('Logs attached.\n\n[^log.txt] !shot.png|thumbnail!');
    const listed = await agent().get(`${API}/request/TEST-1/attachment`);
    expect(listed.body.values.map((a: { filename: string }) => a.filename)).toEqual(expect.arrayContaining(['log.txt', 'shot.png']));
    const onComment = await agent().get(`${API}/request/TEST-1/comment/${added.body.comment.id}/attachment`, { experimental: true });
    expect(onComment.body.size).toBe(2);
    expect((await agent().get(`${API}/request/TEST-1/comment/${added.body.comment.id}/attachment`)).status).toBe(412);
    expect((await customer().post(`${API}/request/TEST-1/attachment`, { temporaryAttachmentIds: ids })).status).toBe(400);
    expect((await customer().post(`${API}/request/TEST-1/attachment`, { temporaryAttachmentIds: [] })).status).toBe(400);
  });
});
