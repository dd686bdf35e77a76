import type { TableDecl } from '../../src/catalog/types.ts';

export const Requests: TableDecl = {
  name: 'Requests',
  kind: 'view',
  description: 'This resource represents a request.',
  columns: [
    { name: 'RequestId', type: 'text', key: true, remote: 'issueId', description: 'The ID of the request.' },
    { name: 'RequestKey', type: 'text', key: true, remote: 'issueKey', description: 'The Key of the request.' },
    { name: 'RequestTypeId', type: 'text', remote: 'requestTypeId', description: 'The ID of the request type.' },
    {
      name: 'ServiceDeskId', type: 'text', remote: 'serviceDeskId', description: 'The ID of the service desk.',
      references: { table: 'ServiceDesks', column: 'Id' },
    },
    { name: 'Summary', type: 'text', remote: 'summary', description: 'The summary of the request.' },
    { name: 'CreatedDate', type: 'timestamptz', remote: 'createdDate.iso8601', description: 'The date when the request is created.' },
    { name: 'ReporterKey', type: 'text', remote: 'reporter.key|reporter.accountId', description: 'The key of the reporter.' },
    { name: 'ReporterAccountId', type: 'text', remote: 'reporter.accountId', description: 'The account ID of the reporter.' },
    { name: 'ReporterDisplayName', type: 'text', remote: 'reporter.displayName', description: 'The display name of the reporter.' },
    { name: 'ReporterEmail', type: 'text', remote: 'reporter.emailAddress', description: 'The email of the reporter.' },
    { name: 'ReporterName', type: 'text', remote: 'reporter.name|reporter.displayName', description: 'The name of the reporter.' },
    { name: 'ReporterTimeZone', type: 'text', remote: 'reporter.timeZone', description: 'The time zone of the reporter.' },
    { name: 'CurrentStatus', type: 'text', remote: 'currentStatus.status', description: 'The current status of the request.' },
    { name: 'CurrentStatusCategory', type: 'text', remote: 'currentStatus.statusCategory', description: 'The category of the current status (NEW, INDETERMINATE, DONE).' },
    { name: 'CurrentStatusDate', type: 'timestamptz', remote: 'currentStatus.statusDate.iso8601', description: 'The date the request entered its current status.' },
    {
      name: 'RequestParticipants', type: 'text', remote: 'participants.values[].displayName', expand: 'participant',
      description: 'The participants of the request.',
    },
    {
      name: 'RequestOwnership', type: 'text', pseudo: true, default: 'ALL_REQUESTS',
      values: ['OWNED_REQUESTS', 'PARTICIPATED_REQUESTS', 'ORGANIZATION', 'ALL_ORGANIZATIONS', 'APPROVER', 'ALL_REQUESTS'],
      description: 'The owner of the request. The allowed values are OWNED_REQUESTS, PARTICIPATED_REQUESTS, ALL_REQUESTS.',
    },
    {
      name: 'RequestStatus', type: 'text', pseudo: true, default: 'ALL_REQUESTS',
      values: ['CLOSED_REQUESTS', 'OPEN_REQUESTS', 'ALL_REQUESTS'],
      description: 'The status of the request. The allowed values are CLOSED_REQUESTS, OPEN_REQUESTS, ALL_REQUESTS.',
    },
  ],
  list: { path: '/rest/servicedeskapi/request', paging: 'servicedesk' },
  get: { path: '/rest/servicedeskapi/request/{issueIdOrKey}', paging: 'none' },
  filters: [
    { column: 'RequestId', operators: ['='], param: 'issueIdOrKey', endpoint: 'get' },
    { column: 'RequestKey', operators: ['='], param: 'issueIdOrKey', endpoint: 'get' },
    { column: 'ServiceDeskId', operators: ['='], param: 'serviceDeskId' },
    { column: 'RequestTypeId', operators: ['='], param: 'requestTypeId', requires: ['serviceDeskId'] },
    { column: 'RequestOwnership', operators: ['='], param: 'requestOwnership' },
    { column: 'RequestStatus', operators: ['='], param: 'requestStatus' },
  ],
  // Raising a request: its desk, type and summary, on behalf of another customer when given.
  writes: {
    insert: {
      forms: [{
        method: 'POST', path: '/rest/servicedeskapi/request',
        body: { serviceDeskId: '{ServiceDeskId}', requestTypeId: '{RequestTypeId}', requestFieldValues: { summary: '{Summary}' }, raiseOnBehalfOf: '{ReporterAccountId}' },
        needs: ['ServiceDeskId', 'RequestTypeId', 'Summary'], columns: ['ServiceDeskId', 'RequestTypeId', 'Summary', 'ReporterAccountId'], returns: 'item',
        // custom field columns (src/catalog/custom-fields.ts) by their column names
        fieldColumns: { into: 'requestFieldValues', remotePrefix: 'requestFieldValues[fieldId=' },
      }],
      touches: ['QueueRequests'],
    },
  },
};
