/**
 * GET /__sim/dataset: the current state as the agent's list endpoints would
 * return it, every expansion applied, each item with the ids of its parents.
 * A correctness test can load this as the expected content of every table,
 * and a write test can compare it before and after a statement.
 */
import { SIM_IDENTITIES } from './identities.ts';
import { articleJson, deskJson, fieldJson, formFields, groupJson, organizationJson, queueJson, requestTypeJson } from './render-catalog.ts';
import { issueBeanJson, platformUserJson } from './render-platform.ts';
import { ALL_REQUEST_EXPANDS, requestJson } from './render-request.ts';
import { approvalJson, attachmentJson, COMMENT_EXPANDS, commentJson, slaJson, statusHistory, statusJson, transitionJson } from './render-request-parts.ts';
import { userJson, userOf, type View } from './render-user.ts';
import type { Store } from './store.ts';
import type { SimScale } from './types.ts';
import { queueRequests, transitionsFor } from './workflow.ts';

type NoParent = Record<string, never>;
type OfRequest = { requestId: string };
type OfDesk = { serviceDeskId: string };

/** Parent ids of each dataset kind; ids are strings as the API returns them. */
export interface SimDatasetParents {
  servicedesk: NoParent;
  request: NoParent;
  'request.comment': OfRequest;
  'request.participant': OfRequest;
  'request.approval': OfRequest;
  'request.transition': OfRequest;
  'request.sla': OfRequest;
  'request.status': OfRequest;
  'request.attachment': OfRequest;
  requesttype: OfDesk;
  requesttypegroup: OfDesk;
  'requesttype.field': OfDesk & { requestTypeId: string };
  organization: NoParent;
  'servicedesk.organization': OfDesk;
  'organization.user': { organizationId: string };
  'servicedesk.customer': OfDesk;
  'knowledgebase.article': OfDesk;
  'servicedesk.queue': OfDesk;
  'queue.issue': OfDesk & { queueId: string };
  user: NoParent;
}

export type SimDatasetKind = keyof SimDatasetParents;

export interface SimDatasetEntry<K extends SimDatasetKind = SimDatasetKind> {
  parent: SimDatasetParents[K];
  /** Exactly one element of the agent's list endpoint for this kind. */
  item: Record<string, unknown>;
}

/**
 * An upload waiting to be attached (POST attachTemporaryFile). No endpoint
 * lists these, so they sit beside the entities; attaching one removes it.
 */
export interface SimDatasetTemporaryAttachment {
  serviceDeskId: string;
  temporaryAttachmentId: string;
  fileName: string;
  mimeType: string;
  size: number;
  uploaderAccountId: string;
}

export interface SimDataset {
  seed: number;
  scale: SimScale;
  entities: { [K in SimDatasetKind]: Array<SimDatasetEntry<K>> };
  temporaryAttachments: SimDatasetTemporaryAttachment[];
}

export function buildDataset(store: Store, origin: string): SimDataset {
  const v: View = { origin, lang: 'en', viewer: userOf({ store }, SIM_IDENTITIES.agent.accountId), store };
  const { desks, requests, requestTypes, groups, organizations, articles, queues, users } = store.state;
  const none: NoParent = {};
  const requestExpands = new Set(ALL_REQUEST_EXPANDS);
  const commentExpands = new Set(COMMENT_EXPANDS);
  const perRequest = <T>(list: (r: (typeof requests)[number]) => T[], render: (r: (typeof requests)[number], x: T) => Record<string, unknown>) =>
    requests.flatMap((r) => list(r).map((x) => ({ parent: { requestId: r.issueId }, item: render(r, x) })));
  const perDesk = <T>(list: (d: (typeof desks)[number]) => T[], render: (x: T) => Record<string, unknown>) =>
    desks.flatMap((d) => list(d).map((x) => ({ parent: { serviceDeskId: d.id }, item: render(x) })));

  return {
    seed: store.seed,
    scale: store.scale,
    entities: {
      servicedesk: desks.map((d) => ({ parent: none, item: deskJson(v, d) })),
      request: requests.map((r) => ({ parent: none, item: requestJson(v, r, requestExpands) })),
      'request.comment': perRequest((r) => r.comments, (r, c) => commentJson(v, r, c, commentExpands)),
      'request.participant': perRequest((r) => r.participantIds, (_, id) => userJson(v, userOf(v, id))),
      'request.approval': perRequest((r) => r.approvals, (r, a) => approvalJson(v, r, a)),
      'request.transition': perRequest(transitionsFor, (_, t) => transitionJson(v, t)),
      'request.sla': perRequest((r) => r.slas, (r, s) => slaJson(v, r, s)),
      'request.status': perRequest(statusHistory, (_, s) => statusJson(v, s)),
      'request.attachment': perRequest((r) => r.attachments, (_, a) => attachmentJson(v, a)),
      requesttype: perDesk((d) => requestTypes.filter((t) => t.deskId === d.id), (t) => requestTypeJson(v, t)),
      requesttypegroup: perDesk((d) => groups.filter((g) => g.deskId === d.id), (g) => groupJson(v, g)),
      'requesttype.field': requestTypes.flatMap((t) =>
        formFields(v, t, true).map((f) => ({ parent: { serviceDeskId: t.deskId, requestTypeId: t.id }, item: fieldJson(v, f) })),
      ),
      organization: organizations.map((o) => ({ parent: none, item: organizationJson(v, o) })),
      'servicedesk.organization': perDesk((d) => d.organizationIds.map((id) => store.organization(id)!), (o) => organizationJson(v, o)),
      'organization.user': organizations.flatMap((o) => o.memberIds.map((id) => ({ parent: { organizationId: o.id }, item: userJson(v, userOf(v, id)) }))),
      'servicedesk.customer': perDesk((d) => d.customerIds, (id) => userJson(v, userOf(v, id))),
      'knowledgebase.article': perDesk((d) => articles.filter((a) => a.deskId === d.id), (a) => articleJson(v, a, [])),
      'servicedesk.queue': perDesk((d) => queues.filter((q) => q.deskId === d.id), (q) => queueJson(v, q, queueRequests(requests, q, v.viewer).length)),
      'queue.issue': queues.flatMap((q) =>
        queueRequests(requests, q, v.viewer).map((r) => ({ parent: { serviceDeskId: q.deskId, queueId: q.id }, item: issueBeanJson(v, r, q.fields) })),
      ),
      user: users.map((u) => ({ parent: none, item: platformUserJson(v, u, 'cloud') })),
    },
    temporaryAttachments: store.state.temporaryAttachments.map((t) => ({
      serviceDeskId: t.deskId,
      temporaryAttachmentId: t.id,
      fileName: t.filename,
      mimeType: t.mimeType,
      size: t.size,
      uploaderAccountId: t.uploaderId,
    })),
  };
}
