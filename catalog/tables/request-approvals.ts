import type { TableDecl } from '../../src/catalog/types.ts';
import { date, REQUEST_CHILD_FILTERS, REQUEST_CHILD_GET_FILTERS, REQUEST_PARENT, requestIdColumn, requestKeyColumn, requestPath } from '../shared.ts';

// The seed's descriptions of RequestKey/RequestId and CreatedDate/CompletedDate are swapped;
// they are kept verbatim because sys_tablecolumns must report the seed's text.
export const RequestApprovals: TableDecl = {
  name: 'RequestApprovals',
  kind: 'table',
  description: 'This resource represents a request approval.',
  experimental: true,
  columns: [
    { name: 'Id', type: 'text', key: true, remote: 'id', description: 'The ID of the approval.' },
    requestKeyColumn('The ID of the request.'),
    requestIdColumn('The Key of the request.'),
    { name: 'Name', type: 'text', key: true, remote: 'name', description: 'The Name of the approval.' },
    // Written as approve/decline; read back as the API reports it (approved, declined, pending).
    { name: 'FinalDecision', type: 'text', writable: true, remote: 'finalDecision', description: 'The final decision. The allowed values are approve, decline.' },
    { name: 'CanAnswerApproval', type: 'boolean', remote: 'canAnswerApproval', description: 'Shows if this approval can be answered.' },
    { name: 'Approvers', type: 'text', remote: 'approvers[].approver.displayName', description: 'The approvers of this request.' },
    { name: 'CreatedDate', type: 'timestamptz', remote: date('createdDate'), description: 'The datetime this request was approved.' },
    { name: 'CompletedDate', type: 'timestamptz', remote: date('completedDate'), description: 'The datetime this request approval was created.' },
  ],
  list: { path: requestPath('approval'), paging: 'servicedesk' },
  get: { path: requestPath('approval/{approvalId}'), paging: 'none' },
  filters: [...REQUEST_CHILD_FILTERS, ...REQUEST_CHILD_GET_FILTERS, { column: 'Id', operators: ['='], param: 'approvalId', endpoint: 'get' }],
  parent: REQUEST_PARENT,
  writes: {
    update: {
      forms: [{
        method: 'POST', path: requestPath('approval/{approvalId}'), bindings: { approvalId: ['Id'] }, body: { decision: '{FinalDecision}' },
        needs: ['RequestId|RequestKey', 'Id', 'FinalDecision'], columns: ['FinalDecision'], returns: 'item', settle: 'values',
      }],
      values: { FinalDecision: ['approve', 'decline'] },
      // what a read shows is accepted too: SET FinalDecision = 'approved'
      aliases: { FinalDecision: { approved: 'approve', declined: 'decline' } },
      readAs: { FinalDecision: { approve: 'approved', decline: 'declined' } },
      touches: ['Requests', 'RequestStatusChangelog', 'CustomerTransitions', 'RequestSLACycles'],
    },
  },
};
