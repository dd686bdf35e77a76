import type { ProcedureDecl, ProcedureParamDecl } from '../../src/catalog/types.ts';

/** Every parameter and result column of the seed's procedures is a String input or output. */
export const input = (name: string, required: boolean, description: string): ProcedureParamDecl => ({
  name, type: 'text', required, direction: 'in', description,
});

/** A parameter of the gateway's beyond the seed's: optional, listed after the seed's own. */
export const extension = (name: string, description: string, type: ProcedureParamDecl['type'] = 'text'): ProcedureParamDecl => ({
  name, type, required: false, direction: 'in', description, extension: true,
});

export const output = (name: string, description: string): ProcedureDecl['result'][number] => ({ name, type: 'text', description });
