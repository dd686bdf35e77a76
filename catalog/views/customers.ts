import type { TableDecl } from '../../src/catalog/types.ts';
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
};
