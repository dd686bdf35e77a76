import type { TableDecl } from '../../src/catalog/types.ts';
import { SD_API } from '../shared.ts';

/**
 * The fields of one request type, fetched per (desk, request type). The response is one object
 * whose `requestTypeFields` array holds the rows. The seed marks no key; desk, request type and
 * field identify a row.
 */
export const RequestTypeFields: TableDecl = {
  name: 'RequestTypeFields',
  kind: 'view',
  description: "The fields for a service desk's customer request type.",
  columns: [
    {
      name: 'ServiceDeskId', type: 'text', key: true, bind: 'serviceDeskId', references: { table: 'ServiceDesks', column: 'Id' },
      description: 'The ID of the service desk containing the request types whose fields are to be returned.',
    },
    { name: 'RequestTypeId', type: 'text', key: true, bind: 'requestTypeId', description: 'The ID of the request types whose fields are to be returned.' },
    { name: 'FieldId', type: 'text', key: true, remote: 'fieldId', description: 'ID of the field.' },
    { name: 'Name', type: 'text', remote: 'name', description: 'Name of the field.' },
    { name: 'Description', type: 'text', remote: 'description', description: 'Description of the field.' },
    { name: 'Required', type: 'boolean', remote: 'required', description: 'Indicates if the field is required (true) or not (false).' },
    { name: 'JiraSchema', type: 'text', remote: 'jiraSchema', description: 'Jira specific implementation details for the field in the UI.' },
    { name: 'ValidValues', type: 'text', remote: 'validValues[].label', description: 'List of valid values for the field.' },
    { name: 'DefaultValues', type: 'text', remote: 'defaultValues[].label', description: 'List of default values for the field.' },
    { name: 'Visible', type: 'boolean', remote: 'visible', description: 'Boolean incidating if the field is visible.' },
    {
      name: 'Expand', type: 'text', pseudo: true, values: ['hiddenFields'],
      description: 'Use expand to include additional information in the response. This parameter accepts hiddenFields that returns hidden fields associated with the request type.',
    },
  ],
  list: { path: `${SD_API}/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/field`, paging: 'none', items: 'requestTypeFields' },
  filters: [
    { column: 'ServiceDeskId', operators: ['='], param: 'serviceDeskId' },
    { column: 'RequestTypeId', operators: ['='], param: 'requestTypeId' },
    { column: 'Expand', operators: ['='], param: 'expand' },
  ],
  parent: { table: 'RequestTypes', keys: { serviceDeskId: 'ServiceDeskId', requestTypeId: 'Id' } },
};
