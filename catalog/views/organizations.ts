import type { TableDecl } from '../../src/catalog/types.ts';
import { DESK_FILTER, DESK_PARENT, deskIdColumn, SD_API } from '../shared.ts';

/**
 * `WHERE ServiceDeskId = …` lists that desk's organizations; a query that names no desk lists
 * every organization once through `/organization` (`listAll`), with ServiceDeskId null.
 */
export const Organizations: TableDecl = {
  name: 'Organizations',
  kind: 'view',
  description: 'This resource represents an organization.',
  experimental: true,
  columns: [
    { name: 'Id', type: 'text', key: true, remote: 'id', description: 'The ID of the organization.' },
    { name: 'Name', type: 'text', remote: 'name', description: 'The Name of the organization.' },
    deskIdColumn('The ID of the service desk.'),
  ],
  list: { path: `${SD_API}/servicedesk/{serviceDeskId}/organization`, paging: 'servicedesk' },
  // No get by Id: `/organization/{id}` does not say the desk, so `Id = … AND ServiceDeskId = …` would lose its row.
  filters: [DESK_FILTER],
  parent: { ...DESK_PARENT, listAll: { path: `${SD_API}/organization`, paging: 'servicedesk', params: [] } },
};
