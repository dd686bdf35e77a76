/**
 * CreateSchema: writes the declaration of a relation of the data model, as JSON, into the folder
 * of the Location connection property, for a user to adjust; the gateway loads the folder's files
 * at its next start (src/catalog/schema-files.ts). The format is jsm-pg's own, not the seed
 * connector's .rsd: `{ format, version, relation }` where relation is the catalog's TableDecl
 * (columns, endpoints, filters, parent, writes).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { PgError, SqlState } from '../errors/index.ts';
import type { GatewayStatementContext } from '../executor/gateway-statement.ts';
import type { CallArgs } from './arguments.ts';
import { connectionProperty } from './connection.ts';
import type { ResultRow } from './result.ts';

// the catalog reads these files at start (src/catalog/schema-files.ts), so the format is the catalog's
import { SCHEMA_FILE_FORMAT, SCHEMA_FILE_VERSION } from '../catalog/schema-file-shape.ts';
export { SCHEMA_FILE_FORMAT, SCHEMA_FILE_VERSION };

/** A name in the Location folder: no folder of its own, nothing hidden, nothing that climbs out. */
const FILE_NAME = /^[^/\\\0]+$/;

export function schemaFileName(given: string, folder: string): string {
  // a full path is taken when it names the Location folder itself
  const name = isAbsolute(given) && dirname(resolve(given)) === folder ? basename(given) : given;
  if (!FILE_NAME.test(name) || name.startsWith('.')) {
    throw new PgError(SqlState.InvalidParameterValue, `FileName "${given}" must be a file name without a folder`, {
      hint: `CreateSchema writes into the folder of the Location connection property (${folder}), e.g. FileName => 'Requests.json'.`,
    });
  }
  return extname(name) ? name : `${name}.json`;
}

export async function createSchema(ctx: GatewayStatementContext, args: CallArgs): Promise<ResultRow> {
  const tableName = args.text('TableName')!;
  const table = ctx.catalog.table(tableName);
  if (!table) {
    throw new PgError(SqlState.UndefinedTable, `relation "${tableName}" is not in the JSM data model`, { hint: 'SELECT TableName FROM sys_tables lists them.' });
  }
  const location = await connectionProperty(ctx, 'Location');
  // the default is the seed connector's Windows folder, meaningless here: files go only where the operator says
  if (!location.explicit || !location.value) {
    throw new PgError(SqlState.InsufficientPrivilege, 'CreateSchema writes into the Location folder, and Location is not set', {
      hint: 'Set the Location connection property (--location, JSM_LOCATION), e.g. Location=/srv/jsm-pg/schema.',
    });
  }
  const folder = resolve(location.value);
  const fileName = schemaFileName(args.text('FileName')!, folder);
  const target = join(folder, fileName);
  const text = JSON.stringify({ format: SCHEMA_FILE_FORMAT, version: SCHEMA_FILE_VERSION, relation: table }, null, 2) + '\n';
  // written beside and renamed over: a reader never sees half a file
  const tmp = join(folder, `.${fileName}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(tmp, text, { flag: 'wx' });
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new PgError(SqlState.InvalidParameterValue, `could not write schema file "${target}": ${code}`);
  }
  return { Result: 'Success' };
}
