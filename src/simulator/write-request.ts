/** POST /request: validates a RequestCreateDTO against the request type's form and stores the new request. */
import { canUseDesk, isAgent } from './access.ts';
import { badRequest, forbidden } from './errors.ts';
import { fieldById } from './gen-catalog.ts';
import type { SimField, SimRequest, SimUser } from './model.ts';
import type { View } from './render-user.ts';
import { stringField, usersFromBody } from './route-helpers.ts';
import { openRequest } from './workflow.ts';

const invalid = (fieldId: string, why: string) => badRequest(`Field '${fieldId}' ${why}.`, 'sd.api.field.invalid', [fieldId]);

/** Accepts the input formats the API documents: {"id"}, {"value"}, or the bare id/label for selects. */
function coerce(field: SimField, raw: unknown): string | number {
  switch (field.kind) {
    case 'select': {
      const ref = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : { id: raw, value: raw };
      const option = field.options.find((o) => String(ref.id) === o.id || ref.value === o.label);
      if (!option) throw invalid(field.fieldId, 'does not contain a valid option');
      return option.id;
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw invalid(field.fieldId, 'must be a number');
      return n;
    }
    case 'date':
      if (typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(raw))) return raw;
      throw invalid(field.fieldId, "must be a date in 'YYYY-MM-DD' format");
    default:
      if (typeof raw !== 'string') throw invalid(field.fieldId, 'must be text');
      return raw;
  }
}

function onBehalfOf(v: View, body: Record<string, unknown>): SimUser {
  const login = stringField(body, 'raiseOnBehalfOf');
  if (login === undefined) return v.viewer;
  if (!isAgent(v.viewer)) throw forbidden('Customers cannot raise requests on behalf of others.', 'sd.api.request.raise.on.behalf.denied');
  const user = v.store.user(login) ?? v.store.userByLogin(login);
  if (!user) throw badRequest(`The user '${login}' does not exist.`, 'sd.api.users.not.found', [login]);
  return user;
}

export function createRequest(v: View, body: Record<string, unknown>): SimRequest {
  const deskId = stringField(body, 'serviceDeskId', true);
  const typeId = stringField(body, 'requestTypeId', true);
  const desk = v.store.desk(deskId);
  if (!desk) throw badRequest(`The service desk '${deskId}' does not exist.`, 'sd.api.servicedesk.not.found', [deskId]);
  if (!canUseDesk(v.viewer, desk)) {
    throw forbidden('You do not have permission to create requests in this service desk.', 'sd.api.request.create.denied');
  }
  const type = v.store.requestType(typeId);
  if (!type || type.deskId !== desk.id) {
    throw badRequest(`The request type '${typeId}' does not belong to service desk '${desk.id}'.`, 'sd.api.requesttype.invalid', [typeId]);
  }
  const values = body.requestFieldValues ?? {};
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw badRequest('requestFieldValues must be an object.', 'sd.api.field.invalid');
  }

  const fieldValues: SimRequest['fieldValues'] = {};
  for (const [fieldId, raw] of Object.entries(values)) {
    const formField = type.fields.find((f) => f.fieldId === fieldId && (f.visible || isAgent(v.viewer)));
    if (!formField) throw invalid(fieldId, 'is not valid for this request type');
    if (raw !== null && raw !== '') fieldValues[fieldId] = coerce(fieldById(fieldId)!, raw);
  }
  const missing = type.fields.filter((f) => f.required && fieldValues[f.fieldId] === undefined).map((f) => f.fieldId);
  if (missing.length > 0) throw badRequest(`These fields are required: ${missing.join(', ')}`, 'sd.api.field.required', missing);

  const reporter = onBehalfOf(v, body);
  const participants = body.requestParticipants === undefined ? [] : usersFromBody(v.store, { accountIds: body.requestParticipants });
  if (participants.length > 0 && !isAgent(v.viewer)) {
    throw forbidden('Customers cannot add participants when raising a request.', 'sd.api.participants.denied');
  }

  const at = v.store.tick();
  const counters = v.store.state.counters;
  const req: SimRequest = {
    issueId: String(counters.issue++),
    issueKey: `${desk.projectKey}-${desk.nextIssueNumber++}`,
    deskId: desk.id,
    requestTypeId: type.id,
    reporterId: reporter.accountId,
    summary: String(fieldValues.summary),
    fieldValues,
    created: at,
    updated: at,
    statusLog: [],
    participantIds: participants.map((u) => u.accountId).filter((id) => id !== reporter.accountId),
    organizationIds: [],
    comments: [],
    attachments: [],
    approvals: [],
    slas: [],
  };
  openRequest(req, at);
  v.store.addRequest(req);
  return req;
}
