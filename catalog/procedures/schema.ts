import type { ProcedureDecl } from '../../src/catalog/types.ts';
import { input, output } from './params.ts';

export const CreateSchema: ProcedureDecl = {
  name: 'CreateSchema',
  description: 'Creates a schema file for the specified table or view.',
  params: [
    input('TableName', true, 'The name of the table or view.'),
    input('FileName', true, "The full file path and name of the schema to generate. Ex : 'C:\\Users\\User\\Desktop\\JiraSD\\DataSetTest.rsd'"),
  ],
  result: [output('Result', 'Returns Success or Failure.')],
};
