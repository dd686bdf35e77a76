import type { ProcedureDecl } from '../../src/catalog/types.ts';
import { extension, input, output } from './params.ts';

export const CreateCustomer: ProcedureDecl = {
  name: 'CreateCustomer',
  description: 'Creates a new customer.',
  params: [
    input('Email', false, 'The Email of the new customer.'),
    input('FullName', false, 'The full name of the new customer.'),
    // the API's name for the same value (its fullName is deprecated): CALL CreateCustomer(email => …, displayName => …)
    extension('DisplayName', 'The display name of the new customer (the same as FullName, by the API\'s name for it).'),
  ],
  result: [
    output('Key', 'The Key of the customer.'),
    output('AccountId', 'The ID of the account.'),
    output('Name', 'Name of the customer.'),
    output('EmailAddress', 'Email address of the customer.'),
    output('DisplayName', 'Display name of the customer.'),
    output('Active', 'Status of the customer.'),
    output('Timezone', 'Timezone of the customer.'),
  ],
};
