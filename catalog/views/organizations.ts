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
  // A row with a desk is the organization's place in that desk: INSERT (Id, ServiceDeskId) adds an
  // existing organization to a desk and DELETE of such a row removes it from the desk; a row without
  // one is the organization itself: INSERT (Name) creates it, DELETE deletes it.
  writes: {
    insert: {
      forms: [
        {
          method: 'POST', path: `${SD_API}/servicedesk/{serviceDeskId}/organization`, body: { organizationId: '{Id}' },
          needs: ['ServiceDeskId', 'Id'], columns: ['Id'], returns: 'none', settle: 'present',
        },
        { method: 'POST', path: `${SD_API}/organization`, body: { name: '{Name}' }, needs: ['Name'], columns: ['Name'], returns: 'item' },
      ],
      touches: ['Users'],
    },
    delete: {
      forms: [
        {
          method: 'DELETE', path: `${SD_API}/servicedesk/{serviceDeskId}/organization`, body: { organizationId: '{Id}' },
          needs: ['ServiceDeskId', 'Id'], columns: [], returns: 'none', settle: 'absent',
        },
        { method: 'DELETE', path: `${SD_API}/organization/{organizationId}`, bindings: { organizationId: ['Id'] }, needs: ['Id'], columns: [], returns: 'none' },
      ],
      touches: ['Users'],
    },
  },
};
