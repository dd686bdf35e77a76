/**
 * AttachTemporaryFile uploads a file to a service desk as a temporary attachment (multipart POST
 * …/servicedesk/{id}/attachTemporaryFile, experimental, with X-Atlassian-Token: no-check, which
 * the JSM client sends for multipart posts); AddAttachment attaches temporary attachments to a
 * request (POST …/request/{idOrKey}/attachment), which adds a comment carrying them.
 */
import { extname } from 'node:path';
import { PgError, SqlState } from '../errors/index.ts';
import type { GatewayStatementContext } from '../executor/gateway-statement.ts';
import { encodePathSegment } from '../jsm/index.ts';
import type { CallArgs } from './arguments.ts';
import { connectionProperty } from './connection.ts';
import { readAllowedFile } from './files.ts';
import { asText, type ResultRow } from './result.ts';
import { SD_API, touched } from './shared.ts';

const TRUE = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', 'off', '0']);

/** Public is a String in the seed; its values are PostgreSQL's boolean spellings. */
function publicFlag(args: CallArgs): boolean | undefined {
  const v = args.text('Public');
  if (v === undefined) return undefined;
  const s = v.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw new PgError(SqlState.InvalidParameterValue, `Public of AddAttachment must be true or false, not "${v}"`);
}

export async function addAttachment(ctx: GatewayStatementContext, args: CallArgs): Promise<ResultRow> {
  const request = args.text('RequestId') ?? args.text('RequestKey');
  if (request === undefined) throw new PgError(SqlState.NotNullViolation, 'procedure AddAttachment needs RequestId or RequestKey: the request to attach to');
  // several temporary attachments may go in one call, comma-separated
  const ids = (args.text('AttachmentId') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new PgError(SqlState.NotNullViolation, 'procedure AddAttachment needs a value for parameter AttachmentId');
  const isPublic = publicFlag(args);
  const comment = args.text('AdditionalComment');
  const body = {
    temporaryAttachmentIds: ids,
    ...(isPublic === undefined ? {} : { public: isPublic }),
    ...(comment === undefined ? {} : { additionalComment: { body: comment } }),
  };
  await ctx.jsm.post(`${SD_API}/request/${encodePathSegment(request)}/attachment`, body, { signal: ctx.signal });
  // the attachments come with a comment on the request, which also changes its update date
  touched(ctx, 'RequestComments', 'Requests');
  return { Success: 'true' };
}

/** The MIME types JSM renders inline or previews; anything else is sent as bytes. */
const MIME: Readonly<Record<string, string>> = {
  '.txt': 'text/plain', '.log': 'text/plain', '.csv': 'text/csv', '.json': 'application/json', '.xml': 'application/xml', '.html': 'text/html',
  '.pdf': 'application/pdf', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml',
  '.zip': 'application/zip',
};

const NAME = /^[^/\\\0]+$/;

export async function attachTemporaryFile(ctx: GatewayStatementContext, args: CallArgs): Promise<ResultRow> {
  const desk = args.text('ServiceDeskId') ?? ((await connectionProperty(ctx, 'ServiceDeskID')).value || undefined);
  if (desk === undefined) {
    throw new PgError(SqlState.NotNullViolation, 'procedure AttachTemporaryFile needs the service desk to upload to', {
      hint: "Pass ServiceDeskId => '…', or set the ServiceDeskID connection property.",
    });
  }
  const source = args.text('Source');
  const content = args.bytes('Content');
  if (source !== undefined && content !== undefined) throw new PgError(SqlState.InvalidParameterValue, 'AttachTemporaryFile takes Source or Content, not both');
  let file: { name: string | undefined; bytes: Buffer };
  if (source !== undefined) file = await readAllowedFile(source, (await connectionProperty(ctx, 'AttachmentFolders')).value);
  else if (content !== undefined) file = { name: undefined, bytes: content };
  else {
    throw new PgError(SqlState.NotNullViolation, 'procedure AttachTemporaryFile needs Source (the path of a file) or Content (its bytes)', {
      hint: "e.g. CALL AttachTemporaryFile(Content => convert_to('hello', 'UTF8'), FileName => 'hello.txt')",
    });
  }
  const name = args.text('FileName') ?? file.name;
  if (name === undefined) throw new PgError(SqlState.NotNullViolation, 'procedure AttachTemporaryFile needs FileName with Content: the name of the uploaded file');
  if (!NAME.test(name)) throw new PgError(SqlState.InvalidParameterValue, `FileName "${name}" must be a file name without a folder`);
  const form = new FormData();
  form.append('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: MIME[extname(name).toLowerCase()] ?? 'application/octet-stream' }), name);
  const res = await ctx.jsm.postMultipart<{ temporaryAttachments?: { temporaryAttachmentId?: string; fileName?: string }[] }>(
    `${SD_API}/servicedesk/${encodePathSegment(desk)}/attachTemporaryFile`, form, { signal: ctx.signal },
  );
  const t = res?.temporaryAttachments?.[0];
  if (!t?.temporaryAttachmentId) throw new PgError(SqlState.FdwError, 'JSM answered the upload without a temporary attachment ID');
  // temporary attachments belong to no relation: no cache to drop
  return { TemporaryAttachmentId: asText(t.temporaryAttachmentId), FileName: asText(t.fileName ?? name) };
}
