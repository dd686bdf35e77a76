/** Temporary uploads (multipart) and attaching them to requests; listing request and comment attachments. */
import { deskFor, isAgent, requestFor, visibleAttachments, visibleComments } from './access.ts';
import { ApiError, badRequest, forbidden, notFound } from './errors.ts';
import type { SimAttachment, SimRequest, SimTempAttachment } from './model.ts';
import { MAX_LIMIT } from './paging.ts';
import { attachmentJson, attachmentsPage, commentJson } from './render-request-parts.ts';
import { API_PATH, type View } from './render-user.ts';
import { booleanField, listReply, stringField } from './route-helpers.ts';
import type { RouteContext, Router } from './router.ts';
import { addComment } from './workflow.ts';

const REQ = `${API_PATH}/request/{issueIdOrKey}`;
/** Documented limit of files per upload call. */
const MAX_FILES = 60;

function temporaryIds(body: Record<string, unknown>): string[] {
  const ids = body.temporaryAttachmentIds;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string')) {
    throw badRequest('temporaryAttachmentIds must be a non-empty list of strings.', 'sd.api.attachment.ids.invalid');
  }
  return ids as string[];
}

/** Wiki markup Jira puts in the comment that carries new attachments. */
const markup = (t: SimTempAttachment) => (t.mimeType.startsWith('image/') ? `!${t.filename}|thumbnail!` : `[^${t.filename}]`);

function attach(v: View, req: SimRequest, body: Record<string, unknown>) {
  const ids = temporaryIds(body);
  const isPublic = booleanField(body, 'public', true);
  if (!isPublic && !isAgent(v.viewer)) throw forbidden('Customers can only add public attachments.', 'sd.api.attachment.internal.denied');
  const pool = v.store.state.temporaryAttachments;
  const temps = ids.map((id) => pool.find((t) => t.id === id && t.deskId === req.deskId));
  const missing = ids.filter((_, i) => !temps[i]);
  if (missing.length > 0) throw badRequest(`Unknown temporary attachments: ${missing.join(', ')}`, 'sd.api.attachment.temporary.not.found', missing);
  const extra = body.additionalComment;
  const note = extra && typeof extra === 'object' ? stringField(extra as Record<string, unknown>, 'body') : undefined;
  const created = v.store.tick();
  const counters = v.store.state.counters;
  const files = temps as SimTempAttachment[];
  const comment = addComment(counters, req, {
    authorId: v.viewer.accountId,
    body: [note, files.map(markup).join(' ')].filter(Boolean).join('\n\n'),
    public: isPublic,
    created,
  });
  const added: SimAttachment[] = files.map((t) => ({
    id: String(counters.attachment++),
    filename: t.filename,
    mimeType: t.mimeType,
    size: t.size,
    authorId: v.viewer.accountId,
    created,
    public: isPublic,
    commentId: comment.id,
  }));
  v.store.state.temporaryAttachments = pool.filter((t) => !files.includes(t));
  req.attachments.push(...added);
  return { comment: commentJson(v, req, comment, new Set()), attachments: attachmentsPage(v, `${API_PATH}/request/${req.issueId}/attachment`, added) };
}

async function upload(ctx: RouteContext) {
  const v = ctx.view;
  const desk = deskFor(v.store, v.viewer, ctx.params.serviceDeskId);
  const files = (await ctx.form()).getAll('file').filter((f): f is File => typeof f !== 'string');
  if (files.length === 0) throw badRequest("No files found in the multipart parameter 'file'.", 'sd.api.attachment.file.missing');
  if (files.length > MAX_FILES) throw new ApiError(413, `At most ${MAX_FILES} files can be uploaded at once.`, 'sd.api.attachment.too.many');
  const uploaded = files.map((file) => {
    const temp: SimTempAttachment = {
      id: `temp${v.store.seed}${String(v.store.state.counters.temp++).padStart(12, '0')}`,
      deskId: desk.id,
      filename: file.name || 'upload.bin',
      mimeType: file.type || 'application/octet-stream',
      size: file.size,
      uploaderId: v.viewer.accountId,
    };
    v.store.state.temporaryAttachments.push(temp);
    return { temporaryAttachmentId: temp.id, fileName: temp.filename };
  });
  return { status: 201, body: { temporaryAttachments: uploaded } };
}

export function registerAttachmentRoutes(router: Router): void {
  // The spec's own example sends X-ExperimentalApi for this multipart upload, and real sites demand it.
  router.post(`${API_PATH}/servicedesk/{serviceDeskId}/attachTemporaryFile`, upload, { experimental: true, xsrf: true });

  router.post(`${REQ}/attachment`, (ctx) => {
    const req = requestFor(ctx.view.store, ctx.view.viewer, ctx.params.issueIdOrKey);
    return { status: 201, body: attach(ctx.view, req, ctx.json()) };
  });

  router.get(`${REQ}/attachment`, (ctx) => {
    const v = ctx.view;
    const req = requestFor(v.store, v.viewer, ctx.params.issueIdOrKey);
    return listReply(ctx, visibleAttachments(v.viewer, req), MAX_LIMIT.general, (a) => attachmentJson(v, a));
  });

  router.get(`${REQ}/comment/{commentId}/attachment`, (ctx) => {
    const { view: v, params } = ctx;
    const req = requestFor(v.store, v.viewer, params.issueIdOrKey);
    if (!visibleComments(v.viewer, req).some((c) => c.id === params.commentId)) {
      throw notFound(`The comment '${params.commentId}' does not exist.`, 'sd.api.comment.not.found', [params.commentId]);
    }
    const items = visibleAttachments(v.viewer, req).filter((a) => a.commentId === params.commentId);
    return listReply(ctx, items, MAX_LIMIT.general, (a) => attachmentJson(v, a));
  });
}
