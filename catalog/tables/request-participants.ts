import type { TableDecl, WriteForm } from '../../src/catalog/types.ts';
import { REQUEST_CHILD_FILTERS, REQUEST_PARENT, requestIdColumn, requestKeyColumn, requestPath, userColumn } from '../shared.ts';

export const RequestParticipants: TableDecl = {
  name: 'RequestParticipants',
  kind: 'table',
  description: 'This resource represents request participants.',
  columns: [
    userColumn('AccountId', 'The Account ID of the participant.', true),
    requestIdColumn('The ID of the Request.'),
    requestKeyColumn('The Key of the request.'),
    userColumn('EmailAddress', 'The Email address of the participant.'),
    userColumn('DisplayName', 'The display name of the participant.'),
    userColumn('Active', 'Shows if a participant is active.'),
    userColumn('TimeZone', 'The time zone of the participant.'),
  ],
  list: { path: requestPath('participant'), paging: 'servicedesk' },
  filters: REQUEST_CHILD_FILTERS,
  parent: { ...REQUEST_PARENT, expand: { name: 'participant', items: 'participants' } },
  // By account ID (Cloud) or by user name in EmailAddress (Data Center's usernames); both answer
  // the request's participants page. Adding and removing are idempotent: a lost answer is settled
  // by reading the participants back.
  writes: {
    insert: { forms: participantForms('POST', 'present') },
    delete: { forms: participantForms('DELETE', 'absent') },
  },
};

function participantForms(method: 'POST' | 'DELETE', settle: 'present' | 'absent'): WriteForm[] {
  const base = { method, path: requestPath('participant'), returns: 'page', settle } as const;
  return [
    { ...base, body: { accountIds: ['{AccountId}'] }, needs: ['RequestId|RequestKey', 'AccountId'], columns: ['AccountId'] },
    { ...base, body: { usernames: ['{EmailAddress}'] }, needs: ['RequestId|RequestKey', 'EmailAddress'], columns: ['EmailAddress'] },
  ];
}
