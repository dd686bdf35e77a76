import type { ProcedureDecl, TableDecl } from '../src/catalog/types.ts';
import { AddAttachment, AttachTemporaryFile } from './procedures/attachments.ts';
import { CreateCustomer } from './procedures/customers.ts';
import { GetOAuthAccessToken, GetOAuthAuthorizationURL, RefreshOAuthAccessToken } from './procedures/oauth.ts';
import { CreateSchema } from './procedures/schema.ts';
import { CustomerTransitions } from './tables/customer-transitions.ts';
import { RequestApprovals } from './tables/request-approvals.ts';
import { RequestComments } from './tables/request-comments.ts';
import { RequestParticipants } from './tables/request-participants.ts';
import { Customers } from './views/customers.ts';
import { KnowledgeBaseArticles } from './views/knowledge-base-articles.ts';
import { Organizations } from './views/organizations.ts';
import { QueueRequests } from './views/queue-requests.ts';
import { Queues } from './views/queues.ts';
import { RequestSLACycles } from './views/request-sla-cycles.ts';
import { RequestStatusChangelog } from './views/request-status-changelog.ts';
import { RequestTypeFields } from './views/request-type-fields.ts';
import { RequestTypeGroups } from './views/request-type-groups.ts';
import { RequestTypes } from './views/request-types.ts';
import { Requests } from './views/requests.ts';
import { ServiceDesks } from './views/service-desks.ts';
import { Users } from './views/users.ts';

/**
 * Every JSM relation of the data model, in the order the seed lists them (tables, then views).
 * Queues is ours (the seed only exposes each queue as a view); it sits next to QueueRequests.
 */
export const TABLES: readonly TableDecl[] = [
  CustomerTransitions,
  RequestApprovals,
  RequestComments,
  RequestParticipants,
  Customers,
  KnowledgeBaseArticles,
  Organizations,
  QueueRequests,
  Queues,
  Requests,
  RequestSLACycles,
  RequestStatusChangelog,
  RequestTypeFields,
  RequestTypeGroups,
  RequestTypes,
  ServiceDesks,
  Users,
];

/** The seed's stored procedures, in its order: listed by sys_procedures, not implemented (see ProcedureDecl). */
export const PROCEDURES: readonly ProcedureDecl[] = [
  AddAttachment,
  AttachTemporaryFile,
  CreateCustomer,
  CreateSchema,
  GetOAuthAccessToken,
  GetOAuthAuthorizationURL,
  RefreshOAuthAccessToken,
];
