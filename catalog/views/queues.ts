import type { TableDecl } from '../../src/catalog/types.ts';
import { DESK_FILTER, DESK_PARENT, deskIdColumn, SD_API } from '../shared.ts';

/**
 * Not a relation of the seed's model: the queues themselves. The seed exposes "each queue in your
 * service desk as a view"; this lists them, so the queue views can be built from it and
 * QueueRequests can be fetched for every queue.
 */
export const Queues: TableDecl = {
  name: 'Queues',
  kind: 'view',
  description: 'The queues of each service desk; each is also exposed as a view of its requests.',
  columns: [
    { name: 'Id', type: 'text', key: true, remote: 'id', description: 'The ID of the queue.' },
    deskIdColumn('The ID of the service desk.', true),
    { name: 'Name', type: 'text', remote: 'name', description: 'The name of the queue.' },
    { name: 'Jql', type: 'text', remote: 'jql', description: 'The JQL query that selects the requests of the queue.' },
    { name: 'Fields', type: 'text', remote: 'fields', description: 'The fields the queue shows for each request.' },
  ],
  list: { path: `${SD_API}/servicedesk/{serviceDeskId}/queue`, paging: 'servicedesk' },
  get: { path: `${SD_API}/servicedesk/{serviceDeskId}/queue/{queueId}`, paging: 'none' },
  filters: [
    DESK_FILTER,
    { ...DESK_FILTER, endpoint: 'get' },
    { column: 'Id', operators: ['='], param: 'queueId', endpoint: 'get' },
  ],
  parent: DESK_PARENT,
};
