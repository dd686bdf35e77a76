import type { TableDecl } from '../../src/catalog/types.ts';
import { DESK_FILTER, DESK_PARENT, deskIdColumn, SD_API } from '../shared.ts';

export const RequestTypeGroups: TableDecl = {
  name: 'RequestTypeGroups',
  kind: 'view',
  description: 'This resource represents a request type group.',
  experimental: true,
  columns: [
    { name: 'Id', type: 'text', key: true, remote: 'id', description: 'The ID of the request type group.' },
    deskIdColumn('The ID of the service desk.', true),
    { name: 'Name', type: 'text', remote: 'name', description: 'The Name of the request type group.' },
  ],
  list: { path: `${SD_API}/servicedesk/{serviceDeskId}/requesttypegroup`, paging: 'servicedesk' },
  filters: [DESK_FILTER],
  parent: DESK_PARENT,
};
