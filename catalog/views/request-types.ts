import type { TableDecl } from '../../src/catalog/types.ts';
import { DESK_FILTER, DESK_PARENT, SD_API } from '../shared.ts';

/**
 * Listed per desk, where the API takes `groupId`. Neither `listAll` (`/requesttype`) nor the get
 * by ID (`…/requesttype/{id}`) takes `groupId`, and without the echoed group the engine's re-check
 * of `GroupIds = …` drops request types that are in several groups; the desk's list is one call.
 */
export const RequestTypes: TableDecl = {
  name: 'RequestTypes',
  kind: 'view',
  description: 'This resource represents a request type.',
  columns: [
    { name: 'Id', type: 'text', key: true, remote: 'id', description: 'The ID of the request type.' },
    {
      name: 'ServiceDeskId', type: 'text', key: true, remote: 'serviceDeskId', description: 'The ID of the service desk.',
      references: { table: 'ServiceDesks', column: 'Id' },
    },
    // A request type can be in several groups: under `WHERE GroupIds = '12'` the row shows the
    // group asked for (so the engine's re-check keeps it), otherwise all of them.
    { name: 'GroupIds', type: 'text', bind: 'groupId', remote: 'groupIds', description: 'The IDs of the groups that this request type is part of.' },
    { name: 'Name', type: 'text', remote: 'name', description: 'The Name of the request type.' },
    { name: 'Description', type: 'text', remote: 'description', description: 'The description of the request type.' },
    { name: 'PortalId', type: 'text', remote: 'portalId', description: 'The ID of the customer portal associated with the service desk project.' },
    { name: 'IssueTypeId', type: 'text', remote: 'issueTypeId', description: 'The ID of the issue type the request type is based upon.' },
    { name: 'SearchQuery', type: 'text', pseudo: true, description: 'String to be used to filter the results.' },
  ],
  list: { path: `${SD_API}/servicedesk/{serviceDeskId}/requesttype`, paging: 'servicedesk' },
  filters: [
    DESK_FILTER,
    { column: 'GroupIds', operators: ['='], param: 'groupId' },
    { column: 'SearchQuery', operators: ['='], param: 'searchQuery' },
  ],
  parent: DESK_PARENT,
};
