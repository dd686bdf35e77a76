/** JSON of the things that hang off a request: comments, attachments, approvals, SLAs, statuses, transitions. */
import { visibleAttachments } from './access.ts';
import { dateJson, durationJson } from './dates.ts';
import { translate } from './i18n.ts';
import type { SimApproval, SimAttachment, SimComment, SimRequest, SimSla, SimSlaCycle, SimStatusChange } from './model.ts';
import { firstPage, MAX_LIMIT, pageJson } from './paging.ts';
import { API_PATH, apiUrl, escapeHtml, userJson, userOf, type View } from './render-user.ts';
import { categoryOf, elapsedMs, type CustomerTransition } from './workflow.ts';

export const COMMENT_EXPANDS = ['attachment', 'renderedBody'];

export function attachmentJson(v: View, att: SimAttachment) {
  const links: Record<string, string> = {
    jiraRest: `${v.origin}/rest/api/2/attachment/${att.id}`,
    content: `${v.origin}/servicedesk/customershim/secure/attachment/${att.id}/${encodeURIComponent(att.filename)}`,
  };
  if (att.mimeType.startsWith('image/')) links.thumbnail = `${v.origin}/servicedesk/customershim/secure/thumbnail/${att.id}/_thumb_${att.id}.png`;
  return {
    filename: att.filename,
    author: userJson(v, userOf(v, att.authorId)),
    created: dateJson(att.created),
    size: att.size,
    mimeType: att.mimeType,
    _links: links,
  };
}

export function attachmentsPage(v: View, path: string, items: SimAttachment[]) {
  return pageJson(v.origin, path, undefined, items, firstPage(MAX_LIMIT.general), (a) => attachmentJson(v, a));
}

export function commentJson(v: View, req: SimRequest, c: SimComment, expands: ReadonlySet<string>) {
  const path = `/request/${req.issueId}/comment/${c.id}`;
  const json: Record<string, unknown> = {
    _expands: COMMENT_EXPANDS,
    id: c.id,
    body: c.body,
    public: c.public,
    author: userJson(v, userOf(v, c.authorId)),
    created: dateJson(c.created),
  };
  if (expands.has('attachment')) {
    const own = visibleAttachments(v.viewer, req).filter((a) => a.commentId === c.id);
    json.attachments = attachmentsPage(v, `${API_PATH}${path}/attachment`, own);
  }
  if (expands.has('renderedBody')) json.renderedBody = { html: `<p>${escapeHtml(c.body).replace(/\n/g, '<br/>')}</p>` };
  json._links = { self: apiUrl(v, path) };
  return json;
}

export function approvalJson(v: View, req: SimRequest, a: SimApproval) {
  const mine = a.approvers.find((p) => p.accountId === v.viewer.accountId);
  const json: Record<string, unknown> = {
    id: a.id,
    name: a.name,
    finalDecision: a.finalDecision,
    canAnswerApproval: a.finalDecision === 'pending' && mine?.decision === 'pending',
    approvers: a.approvers.map((p) => ({ approver: userJson(v, userOf(v, p.accountId)), approverDecision: p.decision })),
    createdDate: dateJson(a.created),
  };
  if (a.completed !== undefined) json.completedDate = dateJson(a.completed);
  json._links = { self: apiUrl(v, `/request/${req.issueId}/approval/${a.id}`) };
  return json;
}

function cycleJson(sla: SimSla, cycle: SimSlaCycle, now: number) {
  const elapsed = elapsedMs(cycle, now);
  const runningPause = cycle.stop === undefined && cycle.pausedSince !== undefined ? now - cycle.pausedSince : 0;
  return {
    startTime: dateJson(cycle.start),
    breachTime: dateJson(cycle.start + sla.goalMs + cycle.pausedMs + runningPause),
    breached: elapsed > sla.goalMs,
    goalDuration: durationJson(sla.goalMs),
    elapsedTime: durationJson(elapsed),
    remainingTime: durationJson(sla.goalMs - elapsed),
  };
}

export function slaJson(v: View, req: SimRequest, sla: SimSla) {
  const now = v.store.state.clock;
  const json: Record<string, unknown> = {
    id: sla.metricId,
    name: translate(v.lang, sla.name),
    _links: { self: apiUrl(v, `/request/${req.issueId}/sla/${sla.metricId}`) },
    completedCycles: sla.completed.map((c) => ({ ...cycleJson(sla, c, now), stopTime: dateJson(c.stop as number) })),
    slaDisplayFormat: 'NEW_SLA_FORMAT',
  };
  if (sla.ongoing) {
    json.ongoingCycle = { ...cycleJson(sla, sla.ongoing, now), paused: sla.ongoing.pausedSince !== undefined, withinCalendarHours: false };
  }
  return json;
}

export const statusJson = (v: View, s: SimStatusChange) => ({
  status: translate(v.lang, s.status),
  statusCategory: categoryOf(s.status),
  statusDate: dateJson(s.at),
});

/** Newest first, as the API's own example lists the changelog. */
export const statusHistory = (req: SimRequest): SimStatusChange[] => [...req.statusLog].reverse();

export const transitionJson = (v: View, t: CustomerTransition) => ({ id: t.id, name: translate(v.lang, t.name) });
