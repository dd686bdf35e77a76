import type { TableDecl } from '../../src/catalog/types.ts';
import { DESK_FILTER, deskIdColumn, SD_API } from '../shared.ts';

/**
 * The issues of one queue, fetched per (desk, queue). ServiceDeskId and QueueId are not in the
 * seed's column list but are what the per-queue views filter on; a request sits in several
 * queues, so both are part of the key.
 */
export const QueueRequests: TableDecl = {
  name: 'QueueRequests',
  kind: 'view',
  description: 'This resource returns the customer requests in a queue.',
  columns: [
    { name: 'RequestId', type: 'text', key: true, remote: 'id', description: 'The ID of the request.', references: { table: 'Requests', column: 'RequestId' } },
    { name: 'RequestKey', type: 'text', key: true, remote: 'key', description: 'The Key of the request.' },
    { name: 'Summary', type: 'text', remote: 'fields.summary', description: 'The summary of the request.' },
    { name: 'Status', type: 'text', remote: 'fields.status.name', description: 'The status of the request.' },
    { name: 'Created', type: 'timestamptz', remote: 'fields.created', description: 'The date the request was created.' },
    deskIdColumn('The ID of the service desk of the queue.', true),
    { name: 'QueueId', type: 'text', key: true, bind: 'queueId', description: 'The ID of the queue.' },
  ],
  list: { path: `${SD_API}/servicedesk/{serviceDeskId}/queue/{queueId}/issue`, paging: 'servicedesk' },
  filters: [DESK_FILTER, { column: 'QueueId', operators: ['='], param: 'queueId' }],
  parent: { table: 'Queues', keys: { serviceDeskId: 'ServiceDeskId', queueId: 'Id' } },
};
