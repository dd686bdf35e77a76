/**
 * The one workflow every simulated desk uses: statuses, the transitions a
 * customer may take, and how status changes drive SLA cycles. The generator
 * builds history through applyStatus too, so seeded and written data follow
 * the same rules.
 */
import { HOUR } from './dates.ts';
import type { SimComment, SimCounters, SimQueue, SimRequest, SimSla, SimSlaCycle, SimStatusChange, SimUser, StatusCategory } from './model.ts';

export const INITIAL_STATUS = 'Waiting for support';

export const STATUSES: Readonly<Record<string, { id: string; category: StatusCategory }>> = {
  'Waiting for support': { id: '10001', category: 'NEW' },
  'Waiting for customer': { id: '10002', category: 'INDETERMINATE' },
  'In progress': { id: '3', category: 'INDETERMINATE' },
  Pending: { id: '10003', category: 'INDETERMINATE' },
  Escalated: { id: '10004', category: 'INDETERMINATE' },
  Resolved: { id: '10005', category: 'DONE' },
  Closed: { id: '6', category: 'DONE' },
  Canceled: { id: '10006', category: 'DONE' },
};

/** Agent-side moves used to generate plausible histories. */
export const AGENT_MOVES: Readonly<Record<string, readonly string[]>> = {
  'Waiting for support': ['In progress', 'Waiting for customer', 'In progress', 'Resolved'],
  'In progress': ['Waiting for customer', 'Resolved', 'Pending', 'Escalated', 'Resolved'],
  'Waiting for customer': ['Waiting for support', 'Resolved', 'Closed'],
  Pending: ['In progress', 'Resolved'],
  Escalated: ['In progress', 'Resolved'],
  Resolved: ['Closed', 'Closed', 'Waiting for support'],
  Closed: [],
  Canceled: [],
};

export interface CustomerTransition {
  id: string;
  name: string;
  from: readonly string[];
  to: string;
}

const OPEN = ['Waiting for support', 'Waiting for customer', 'In progress', 'Pending', 'Escalated'];

export const CUSTOMER_TRANSITIONS: readonly CustomerTransition[] = [
  { id: '11', name: 'Resolve this issue', from: OPEN, to: 'Resolved' },
  { id: '21', name: 'Cancel request', from: OPEN, to: 'Canceled' },
  { id: '31', name: 'Respond to support', from: ['Waiting for customer'], to: 'Waiting for support' },
  { id: '41', name: 'Reopen request', from: ['Resolved'], to: 'Waiting for support' },
];

export const SLA_METRICS = [
  { metricId: '1', name: 'Time to first response', goalMs: 4 * HOUR },
  { metricId: '2', name: 'Time to resolution', goalMs: 24 * HOUR },
] as const;

/** Statuses in which "Time to resolution" does not run. */
const PAUSING = new Set(['Waiting for customer', 'Pending']);

export const categoryOf = (status: string): StatusCategory => STATUSES[status]?.category ?? 'INDETERMINATE';

export const currentStatus = (req: SimRequest): SimStatusChange => req.statusLog[req.statusLog.length - 1];

export const isDone = (req: SimRequest): boolean => categoryOf(currentStatus(req).status) === 'DONE';

export function transitionsFor(req: SimRequest): CustomerTransition[] {
  const status = currentStatus(req).status;
  return CUSTOMER_TRANSITIONS.filter((t) => t.from.includes(status));
}

/** Starts a request's history: first status and running SLA clocks. */
export function openRequest(req: SimRequest, at: number): void {
  req.statusLog = [{ status: INITIAL_STATUS, at }];
  req.slas = SLA_METRICS.map((m) => ({ ...m, completed: [], ongoing: { start: at, pausedMs: 0 } }));
  req.updated = Math.max(req.updated, at);
}

export function applyStatus(req: SimRequest, next: string, at: number): void {
  const prev = currentStatus(req).status;
  req.statusLog.push({ status: next, at });
  req.updated = Math.max(req.updated, at);
  for (const sla of req.slas) {
    if (sla.metricId === '1') advanceFirstResponse(sla, prev, next, at);
    else advanceResolution(sla, prev, next, at);
  }
}

function advanceFirstResponse(sla: SimSla, prev: string, next: string, at: number): void {
  if (sla.ongoing && prev === INITIAL_STATUS && next !== INITIAL_STATUS) stopCycle(sla, at);
  else if (!sla.ongoing && categoryOf(prev) === 'DONE' && next === INITIAL_STATUS) sla.ongoing = { start: at, pausedMs: 0 };
}

function advanceResolution(sla: SimSla, prev: string, next: string, at: number): void {
  const cycle = sla.ongoing;
  if (!cycle) {
    if (categoryOf(prev) === 'DONE' && categoryOf(next) !== 'DONE') {
      sla.ongoing = { start: at, pausedMs: 0, pausedSince: PAUSING.has(next) ? at : undefined };
    }
    return;
  }
  if (categoryOf(next) === 'DONE') return stopCycle(sla, at);
  if (cycle.pausedSince !== undefined && !PAUSING.has(next)) {
    cycle.pausedMs += at - cycle.pausedSince;
    cycle.pausedSince = undefined;
  } else if (cycle.pausedSince === undefined && PAUSING.has(next)) {
    cycle.pausedSince = at;
  }
}

function stopCycle(sla: SimSla, at: number): void {
  const cycle = sla.ongoing as SimSlaCycle;
  if (cycle.pausedSince !== undefined) cycle.pausedMs += at - cycle.pausedSince;
  sla.completed.push({ start: cycle.start, stop: at, pausedMs: cycle.pausedMs });
  sla.ongoing = undefined;
}

/** Appends a comment with the next comment id; a comment is activity on the request. */
export function addComment(counters: SimCounters, req: SimRequest, fields: Omit<SimComment, 'id'>): SimComment {
  const comment = { id: String(counters.comment++), ...fields };
  req.comments.push(comment);
  req.updated = Math.max(req.updated, fields.created);
  return comment;
}

/** Time counted against the goal, as of `now` for a running cycle. */
export function elapsedMs(cycle: SimSlaCycle, now: number): number {
  const end = cycle.stop ?? now;
  const pausing = cycle.stop === undefined && cycle.pausedSince !== undefined ? end - cycle.pausedSince : 0;
  return Math.max(0, end - cycle.start - cycle.pausedMs - pausing);
}

function inQueue(queue: SimQueue, req: SimRequest, viewer: SimUser): boolean {
  switch (queue.rule) {
    case 'open': return !isDone(req);
    case 'unassigned': return !isDone(req) && req.assigneeId === undefined;
    case 'mine': return !isDone(req) && req.assigneeId === viewer.accountId;
    case 'waiting': return currentStatus(req).status === 'Waiting for customer';
    case 'resolved': return isDone(req);
  }
}

/** The requests a queue shows (the simulator's reading of its JQL), newest first as the JQL orders them. */
export function queueRequests(requests: readonly SimRequest[], queue: SimQueue, viewer: SimUser): SimRequest[] {
  return requests
    .filter((r) => r.deskId === queue.deskId && inQueue(queue, r, viewer))
    .sort((a, b) => b.created - a.created || Number(b.issueId) - Number(a.issueId));
}
