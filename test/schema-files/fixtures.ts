/**
 * Schema files the tests write into a Location folder: a relation over an endpoint the built-in
 * catalog lacks (a request's attachments) and an adjusted built-in (Requests with an extra column).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TABLES } from '../../catalog/index.ts';
import { SCHEMA_FILE_FORMAT, SCHEMA_FILE_VERSION } from '../../src/catalog/schema-file-shape.ts';
import type { TableDecl } from '../../src/catalog/types.ts';

/** GET /rest/servicedeskapi/request/{issueIdOrKey}/attachment: in the JSM spec and the simulator, in no built-in relation. */
export const RequestAttachments: TableDecl = {
  name: 'RequestAttachments',
  kind: 'view',
  description: 'The attachments of a request.',
  columns: [
    { name: 'RequestId', type: 'text', key: true, bind: 'issueIdOrKey', description: 'The ID of the request.', references: { table: 'Requests', column: 'RequestId' } },
    { name: 'RequestKey', type: 'text', bind: 'issueIdOrKey', bindPattern: '^[A-Za-z][A-Za-z0-9_]*-[0-9]+$', description: 'The key of the request.' },
    // an attachment item has no id field: its REST link names it
    { name: 'Url', type: 'text', key: true, remote: '_links.jiraRest', description: 'The REST link of the attachment.' },
    { name: 'Filename', type: 'text', remote: 'filename', description: 'The file name.' },
    { name: 'MimeType', type: 'text', remote: 'mimeType', description: 'The MIME type.' },
    { name: 'Size', type: 'bigint', remote: 'size', description: 'The size in bytes.' },
    { name: 'AuthorAccountId', type: 'text', remote: 'author.accountId', description: 'Who attached it.' },
    { name: 'CreatedAt', type: 'timestamptz', remote: 'created.iso8601', description: 'When it was attached.' },
  ],
  list: { path: '/rest/servicedeskapi/request/{issueIdOrKey}/attachment', paging: 'servicedesk' },
  filters: [
    { column: 'RequestId', operators: ['='], param: 'issueIdOrKey' },
    { column: 'RequestKey', operators: ['='], param: 'issueIdOrKey' },
  ],
  parent: { table: 'Requests', keys: { issueIdOrKey: 'RequestId' }, columns: { RequestId: 'RequestId', RequestKey: 'RequestKey' } },
};

const builtInRequests = TABLES.find((t) => t.name === 'Requests')!;

/** Requests with one more column read from the API item (the request's portal link). */
export const AdjustedRequests: TableDecl = {
  ...builtInRequests,
  columns: [...builtInRequests.columns, { name: 'PortalLink', type: 'text', remote: '_links.web', description: 'The request in the customer portal.' }],
};

export const schemaFileText = (relation: TableDecl) => JSON.stringify({ format: SCHEMA_FILE_FORMAT, version: SCHEMA_FILE_VERSION, relation }, null, 2) + '\n';

export async function writeSchemaFile(folder: string, fileName: string, relation: TableDecl): Promise<string> {
  const path = join(folder, fileName);
  await writeFile(path, schemaFileText(relation));
  return path;
}
