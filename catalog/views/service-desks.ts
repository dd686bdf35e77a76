import type { TableDecl } from '../../src/catalog/types.ts';

export const ServiceDesks: TableDecl = {
  name: 'ServiceDesks',
  kind: 'view',
  description:
    'This resource represents a service desk. A service desk is based on a project in the JIRA platform, and is used to manage customer requests.',
  columns: [
    { name: 'Id', type: 'text', key: true, remote: 'id', description: 'The ID of the service desk.' },
    { name: 'ProjectId', type: 'text', remote: 'projectId', description: 'The ID of the project.' },
    { name: 'ProjectName', type: 'text', remote: 'projectName', description: 'The name of the project.' },
    { name: 'ProjectKey', type: 'text', remote: 'projectKey', description: 'The key of the project.' },
  ],
  list: { path: '/rest/servicedeskapi/servicedesk', paging: 'servicedesk' },
  get: { path: '/rest/servicedeskapi/servicedesk/{serviceDeskId}', paging: 'none' },
  filters: [{ column: 'Id', operators: ['='], param: 'serviceDeskId', endpoint: 'get' }],
};
