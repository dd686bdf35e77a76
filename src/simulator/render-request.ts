/** CustomerRequestDTO with its expansions, as GET /request and GET /request/{id} return it. */
import { isAgent, visibleAttachments, visibleComments } from './access.ts';
import { dateJson } from './dates.ts';
import { fieldById } from './gen-catalog.ts';
import { translate } from './i18n.ts';
import type { SimRequest } from './model.ts';
import { firstPage, MAX_LIMIT, pageJson } from './paging.ts';
import { deskJson, requestTypeJson } from './render-catalog.ts';
import { attachmentsPage, commentJson, slaJson, statusHistory, statusJson } from './render-request-parts.ts';
import { API_PATH, apiUrl, escapeHtml, userJson, userOf, type View } from './render-user.ts';
import { currentStatus } from './workflow.ts';

export const REQUEST_EXPANDS = ['participant', 'status', 'sla', 'requestType', 'serviceDesk', 'attachment', 'action', 'comment'];

/** Every expansion GET /request offers; the dataset export applies all of them. */
export const ALL_REQUEST_EXPANDS = [...REQUEST_EXPANDS, 'comment.attachment', 'comment.renderedBody'];

/** Accepts both `expand=a&expand=b` and `expand=a,b`, as the API documents. */
export function parseExpand(query: URLSearchParams): Set<string> {
  return new Set(query.getAll('expand').flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean));
}

function fieldValuesJson(v: View, req: SimRequest) {
  const type = v.store.requestType(req.requestTypeId);
  const out: Array<Record<string, unknown>> = [];
  for (const f of type?.fields ?? []) {
    const value = req.fieldValues[f.fieldId];
    const field = fieldById(f.fieldId);
    // The API leaves hidden fields out of requestFieldValues, whoever asks.
    if (value === undefined || !field || !f.visible) continue;
    const entry: Record<string, unknown> = { fieldId: f.fieldId, label: translate(v.lang, f.label ?? field.name) };
    if (field.kind === 'select') {
      const option = field.options.find((o) => o.id === String(value));
      const label = translate(v.lang, option?.label ?? String(value));
      entry.value = { self: `${v.origin}/rest/api/2/customFieldOption/${value}`, value: label, id: String(value) };
    } else {
      entry.value = value;
    }
    if (field.kind === 'textarea') entry.renderedValue = { html: `<p>${escapeHtml(String(value))}</p>` };
    out.push(entry);
  }
  return out;
}

function actionsJson(v: View, req: SimRequest) {
  const manages = isAgent(v.viewer) || req.reporterId === v.viewer.accountId;
  return {
    addAttachment: { allowed: true },
    addComment: { allowed: true },
    addParticipant: { allowed: manages },
    removeParticipant: { allowed: manages },
  };
}

export function requestJson(v: View, req: SimRequest, expands: ReadonlySet<string>) {
  const path = `${API_PATH}/request/${req.issueId}`;
  const has = (name: string) => expands.has(name) || [...expands].some((e) => e.startsWith(`${name}.`));
  const json: Record<string, unknown> = {
    _expands: REQUEST_EXPANDS,
    issueId: req.issueId,
    issueKey: req.issueKey,
    summary: req.summary,
    requestTypeId: req.requestTypeId,
    serviceDeskId: req.deskId,
    createdDate: dateJson(req.created),
    reporter: userJson(v, userOf(v, req.reporterId)),
    requestFieldValues: fieldValuesJson(v, req),
    currentStatus: statusJson(v, currentStatus(req)),
  };
  if (has('serviceDesk')) json.serviceDesk = deskJson(v, v.store.desk(req.deskId)!);
  if (has('requestType')) json.requestType = requestTypeJson(v, v.store.requestType(req.requestTypeId)!);
  // Expanded collections are the first page of the matching sub-resource.
  const embedded = <T>(at: string, items: T[], max: number, render: (item: T) => unknown) =>
    pageJson(v.origin, at, undefined, items, firstPage(Math.min(max, v.inlinePageSize ?? max)), render);
  if (has('participant')) json.participants = embedded(`${path}/participant`, req.participantIds, MAX_LIMIT.participants, (id) => userJson(v, userOf(v, id)));
  // SLAs are agent-only information; customers simply do not get the expansion.
  if (has('sla') && isAgent(v.viewer)) json.sla = embedded(`${path}/sla`, req.slas, MAX_LIMIT.general, (s) => slaJson(v, req, s));
  if (has('status')) json.status = embedded(`${path}/status`, statusHistory(req), MAX_LIMIT.requestStatus, (s) => statusJson(v, s));
  if (has('attachment')) json.attachments = attachmentsPage(v, `${path}/attachment`, visibleAttachments(v.viewer, req));
  if (has('action')) json.actions = actionsJson(v, req);
  if (has('comment')) {
    const sub = new Set([...expands].filter((e) => e.startsWith('comment.')).map((e) => e.slice('comment.'.length)));
    json.comments = embedded(`${path}/comment`, visibleComments(v.viewer, req), MAX_LIMIT.comments, (c) => commentJson(v, req, c, sub));
  }
  json._links = {
    jiraRest: `${v.origin}/rest/api/2/issue/${req.issueId}`,
    web: `${v.origin}/servicedesk/customer/portal/${req.deskId}/${req.issueKey}`,
    agent: `${v.origin}/browse/${req.issueKey}`,
    self: apiUrl(v, `/request/${req.issueId}`),
  };
  return json;
}
