import type { TableDecl } from '../../src/catalog/types.ts';
import { date, REQUEST_CHILD_FILTERS, REQUEST_PARENT, requestIdColumn, requestKeyColumn, requestPath } from '../shared.ts';

// The seed keys RequestId and RequestKey, but a request has many status changes: StatusDate and
// Status complete the key, or the rows of one request would be taken for duplicates.
export const RequestStatusChangelog: TableDecl = {
  name: 'RequestStatusChangelog',
  kind: 'view',
  description: 'This resource represents the status transitions for a customer request.',
  columns: [
    requestIdColumn('The ID of the request.'),
    requestKeyColumn('The Key of the request.'),
    { name: 'Status', type: 'text', key: true, remote: 'status', description: 'The status of the request.' },
    { name: 'StatusDate', type: 'timestamptz', key: true, remote: date('statusDate'), description: 'The date of the request status.' },
  ],
  list: { path: requestPath('status'), paging: 'servicedesk' },
  filters: REQUEST_CHILD_FILTERS,
  parent: { ...REQUEST_PARENT, expand: { name: 'status', items: 'status' } },
};
