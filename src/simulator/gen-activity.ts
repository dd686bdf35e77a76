/** Generates what happens on a request after it is raised: comments, attachments, approvals. */
import { DAY, HOUR, MINUTE } from './dates.ts';
import { SIM_IDENTITIES } from './identities.ts';
import type { Decision, SimApproval, SimCounters, SimRequest, SimUser } from './model.ts';
import type { Rng } from './prng.ts';
import { AGENT_REPLIES, APPROVAL_NAMES, ATTACHMENT_FILES, CUSTOMER_REPLIES, INTERNAL_NOTES } from './vocab-people.ts';
import { addComment, currentStatus } from './workflow.ts';

export interface ActivityContext {
  rng: Rng;
  now: number;
  agents: SimUser[];
  counters: SimCounters;
}

const next = (counters: SimCounters, key: keyof SimCounters) => String(counters[key]++);

function sortedTimes(rng: Rng, from: number, to: number, n: number): number[] {
  const span = Math.max(MINUTE, to - from);
  return Array.from({ length: n }, () => from + Math.floor(rng.next() * span)).sort((a, b) => a - b);
}

/** Comments alternate between support and the reporter; some are internal agent notes. */
export function addComments(g: ActivityContext, req: SimRequest, count: number, from = req.created + 5 * MINUTE): void {
  const end = Math.min(g.now - MINUTE, currentStatus(req).at + 2 * HOUR);
  const agentId = () => req.assigneeId ?? g.rng.pick(g.agents).accountId;
  sortedTimes(g.rng, from, Math.max(from, end), count).forEach((created, i) => {
    const internal = i > 0 && g.rng.chance(0.28);
    const fromAgent = internal || i % 2 === 0;
    addComment(g.counters, req, {
      authorId: fromAgent ? agentId() : req.reporterId,
      body: g.rng.pick(internal ? INTERNAL_NOTES : fromAgent ? AGENT_REPLIES : CUSTOMER_REPLIES),
      public: !internal,
      created,
    });
  });
}

/** Reporter uploads; half of the files hang off one of the reporter's comments. */
export function addAttachments(g: ActivityContext, req: SimRequest, count: number): void {
  const reporterComment = req.comments.find((c) => c.authorId === req.reporterId && c.public);
  for (let i = 0; i < count; i++) {
    const [filename, mimeType] = g.rng.pick(ATTACHMENT_FILES);
    const onComment = reporterComment && g.rng.chance(0.5) ? reporterComment : undefined;
    req.attachments.push({
      id: next(g.counters, 'attachment'),
      filename,
      mimeType,
      size: g.rng.int(2_000, 900_000),
      authorId: req.reporterId,
      created: onComment?.created ?? req.created + g.rng.int(1, 30) * MINUTE,
      public: true,
      commentId: onComment?.id,
    });
  }
}

export function approversFor(g: ActivityContext, includeDefaultAgent: boolean): string[] {
  const picked = g.rng.sample(g.agents.slice(1), g.rng.int(1, 2)).map((a) => a.accountId);
  return includeDefaultAgent ? [SIM_IDENTITIES.agent.accountId, ...picked.slice(0, 1)] : picked;
}

/**
 * One approval step per call. Old or progressed requests have their approval
 * decided by the first approver; young untouched ones are still pending.
 */
export function addApproval(g: ActivityContext, req: SimRequest, decided: boolean, approvers: string[]): SimApproval {
  const created = req.created + (req.approvals.length + 1) * 5 * MINUTE;
  const decision: Decision = decided ? (g.rng.chance(0.85) ? 'approved' : 'declined') : 'pending';
  const approval: SimApproval = {
    id: next(g.counters, 'approval'),
    name: g.rng.pick(APPROVAL_NAMES),
    created,
    completed: decided ? Math.min(g.now - MINUTE, created + g.rng.int(10 * MINUTE, DAY)) : undefined,
    approvers: approvers.map((accountId, i) => ({ accountId, decision: i === 0 ? decision : 'pending' })),
    finalDecision: decision,
  };
  req.approvals.push(approval);
  return approval;
}

export function pickParticipants(g: ActivityContext, req: SimRequest, candidates: SimUser[], count: number): string[] {
  // Draw one extra instead of filtering the (possibly large) pool, then drop the reporter.
  const chosen = g.rng.sample(candidates, count + 1).map((u) => u.accountId).filter((id) => id !== req.reporterId).slice(0, count);
  if (count > 0 && g.rng.chance(0.1)) chosen.push(g.rng.pick(g.agents).accountId);
  return [...new Set(chosen)].filter((id) => id !== req.reporterId);
}

/**
 * A few requests at every scale carry more comments (and, where the desk has the customers, more
 * participants) than one page of the request list's expand holds, so the pages after the inline one
 * are exercised by every suite. Drawn from a stream of their own and added after every request
 * exists, so the rest of the dataset (ids included) is what it would be without them.
 */
export function addLongThreads(g: ActivityContext, requests: SimRequest[], customersByDesk: Map<string, SimUser[]>): void {
  requests.forEach((req, i) => {
    if (i % LONG_THREAD_EVERY !== LONG_THREAD_OFFSET) return;
    const last = req.comments.reduce((t, c) => Math.max(t, c.created), req.created + 5 * MINUTE);
    addComments(g, req, g.rng.int(51, 140), last + MINUTE);
    const others = (customersByDesk.get(req.deskId) ?? []).filter((u) => u.accountId !== req.reporterId && !req.participantIds.includes(u.accountId));
    if (others.length + req.participantIds.length > 50) {
      const wanted = Math.min(others.length, g.rng.int(51, 70) - req.participantIds.length);
      req.participantIds.push(...g.rng.sample(others, wanted).map((u) => u.accountId));
    }
  });
}

/** One request in LONG_THREAD_EVERY has a long thread (small scale: one request of 60). */
const LONG_THREAD_EVERY = 97;
const LONG_THREAD_OFFSET = 41;
