import type { ProcedureDecl, TableDecl } from '../src/catalog/types.ts';
import { Requests } from './views/requests.ts';
import { ServiceDesks } from './views/service-desks.ts';

/** Every JSM relation of the data model, in the order the seed lists them (tables, then views). */
export const TABLES: readonly TableDecl[] = [Requests, ServiceDesks];

export const PROCEDURES: readonly ProcedureDecl[] = [];
