import type { ProcedureDecl, ProcedureParamDecl } from '../../src/catalog/types.ts';

/** Every parameter and result column of the seed's procedures is a String input or output. */
export const input = (name: string, required: boolean, description: string): ProcedureParamDecl => ({
  name, type: 'text', required, direction: 'in', description,
});

export const output = (name: string, description: string): ProcedureDecl['result'][number] => ({ name, type: 'text', description });
