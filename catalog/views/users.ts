import type { TableDecl, WriteForm } from '../../src/catalog/types.ts';
import { SD_API, userColumn } from '../shared.ts';

/**
 * `WHERE OrganizationId = …` lists that organization's members; a query that names no
 * organization lists every user of the site through Jira's platform API (Cloud
 * `/rest/api/3/users/search`, `listAll`), with OrganizationId null. The seed keys OrganizationId
 * too, but a key cannot be null, so AccountId alone is the key.
 */
export const Users: TableDecl = {
  name: 'Users',
  kind: 'view',
  description: 'This resource represents a user.',
  experimental: true,
  columns: [
    userColumn('AccountId', 'The Account ID of the user.', true),
    {
      name: 'OrganizationId', type: 'text', bind: 'organizationId', description: 'The ID of the organization.',
      references: { table: 'Organizations', column: 'Id' },
    },
    userColumn('EmailAddress', 'The Email address of the user.'),
    userColumn('DisplayName', 'The display name of the user.'),
    userColumn('Active', 'Shows if a user is active.'),
    userColumn('TimeZone', 'The time zone of the user.'),
  ],
  list: { path: `${SD_API}/organization/{organizationId}/user`, paging: 'servicedesk' },
  filters: [{ column: 'OrganizationId', operators: ['='], param: 'organizationId' }],
  parent: {
    table: 'Organizations',
    keys: { organizationId: 'Id' },
    listAll: { path: '/rest/api/3/users/search', paging: 'platform', params: [] },
  },
  // An organization's members: INSERT (OrganizationId, AccountId) adds one, DELETE removes one.
  writes: {
    insert: { forms: memberForms('POST', 'present') },
    delete: { forms: memberForms('DELETE', 'absent') },
  },
};

function memberForms(method: 'POST' | 'DELETE', settle: 'present' | 'absent'): WriteForm[] {
  const base = { method, path: `${SD_API}/organization/{organizationId}/user`, returns: 'none', settle } as const;
  return [
    { ...base, body: { accountIds: ['{AccountId}'] }, needs: ['OrganizationId', 'AccountId'], columns: ['AccountId'] },
    { ...base, body: { usernames: ['{EmailAddress}'] }, needs: ['OrganizationId', 'EmailAddress'], columns: ['EmailAddress'] },
  ];
}
