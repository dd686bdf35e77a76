import type { TableDecl } from '../../src/catalog/types.ts';
import { REQUEST_CHILD_FILTERS, REQUEST_PARENT, requestIdColumn, requestKeyColumn, requestPath } from '../shared.ts';

export const CustomerTransitions: TableDecl = {
  name: 'CustomerTransitions',
  kind: 'table',
  description: 'Returns a list of transitions that customers can perform on the request.',
  columns: [
    requestIdColumn('The ID of the request.'),
    requestKeyColumn('The Key of the request.'),
    { name: 'Id', type: 'text', key: true, writable: true, remote: 'id', description: 'The ID of the transition.' },
    { name: 'Name', type: 'text', remote: 'name', description: 'The Name of the customer transition.' },
    // Sent with a transition (POST …/transition additionalComment); the API never returns it.
    { name: 'Comment', type: 'text', writable: true, writeOnly: true, description: 'The body of the comment for the transition.' },
  ],
  list: { path: requestPath('transition'), paging: 'servicedesk' },
  filters: REQUEST_CHILD_FILTERS,
  parent: REQUEST_PARENT,
  // A transition moves the request on; whether a lost answer's transition happened cannot be told
  // from the transitions list, so such a row is reported unknown.
  writes: {
    insert: {
      forms: [{
        method: 'POST', path: requestPath('transition'), body: { id: '{Id}', additionalComment: { body: '{Comment}' } },
        needs: ['RequestId|RequestKey', 'Id'], columns: ['Id', 'Comment'], returns: 'none',
      }],
      touches: ['Requests', 'RequestStatusChangelog', 'RequestSLACycles', 'QueueRequests', 'RequestApprovals'],
    },
  },
};
