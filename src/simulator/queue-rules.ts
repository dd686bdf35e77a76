/** Which requests a queue shows: the simulator's reading of each queue's JQL. */
import type { SimQueue, SimRequest, SimUser } from './model.ts';
import type { Store } from './store.ts';
import { currentStatus, isDone } from './workflow.ts';

function matches(queue: SimQueue, req: SimRequest, viewer: SimUser): boolean {
  switch (queue.rule) {
    case 'open': return !isDone(req);
    case 'unassigned': return !isDone(req) && req.assigneeId === undefined;
    case 'mine': return !isDone(req) && req.assigneeId === viewer.accountId;
    case 'waiting': return currentStatus(req).status === 'Waiting for customer';
    case 'resolved': return isDone(req);
  }
}

/** Requests in the queue, newest first as every queue's JQL orders them. */
export function queueRequests(store: Store, queue: SimQueue, viewer: SimUser): SimRequest[] {
  return store.state.requests
    .filter((r) => r.deskId === queue.deskId && matches(queue, r, viewer))
    .sort((a, b) => b.created - a.created || Number(b.issueId) - Number(a.issueId));
}
