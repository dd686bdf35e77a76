import type { TableDecl, WriteForm } from '../../src/catalog/types.ts';
import { DESK_FILTER, DESK_PARENT, deskIdColumn, SD_API, userColumn } from '../shared.ts';

// A customer can belong to several desks and rows are listed per desk, so ServiceDeskId is part
// of the key (the seed keys AccountId alone, which would merge one customer's desks into a row).
export const Customers: TableDecl = {
  name: 'Customers',
  kind: 'view',
  description: 'This resource represents a customer.',
  experimental: true,
  columns: [
    userColumn('AccountId', 'The ID of the account.', true),
    userColumn('Active', 'Shows if the customer is active.'),
    userColumn('DisplayName', 'The Display Name of the customer.'),
    userColumn('EmailAddress', 'The email address of the customer.'),
    userColumn('TimeZone', 'The time zone of the customer.'),
    deskIdColumn('The ID of the service desk.', true),
  ],
  list: { path: `${SD_API}/servicedesk/{serviceDeskId}/customer`, paging: 'servicedesk' },
  filters: [DESK_FILTER],
  parent: DESK_PARENT,
  // Adding a customer to a desk (by account ID, or by user name in EmailAddress on Data Center) and
  // removing one; both idempotent, so a lost answer is settled by reading the desk's customers back.
  writes: {
    insert: { forms: deskCustomerForms('POST', 'present') },
    delete: { forms: deskCustomerForms('DELETE', 'absent') },
  },
};

function deskCustomerForms(method: 'POST' | 'DELETE', settle: 'present' | 'absent'): WriteForm[] {
  const base = { method, path: `${SD_API}/servicedesk/{serviceDeskId}/customer`, returns: 'none', settle, experimental: true } as const;
  return [
    { ...base, body: { accountIds: ['{AccountId}'] }, needs: ['ServiceDeskId', 'AccountId'], columns: ['AccountId'] },
    { ...base, body: { usernames: ['{EmailAddress}'] }, needs: ['ServiceDeskId', 'EmailAddress'], columns: ['EmailAddress'] },
  ];
}
