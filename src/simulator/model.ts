/**
 * Internal records of the simulated instance. They hold facts only (ids, times
 * in epoch ms, English names); JSON shapes are produced by the render-* modules
 * so that the API and the dataset export can never disagree.
 */
import type { SimScale } from './types.ts';

export type StatusCategory = 'NEW' | 'INDETERMINATE' | 'DONE';
export type Decision = 'approved' | 'declined' | 'pending';

export interface SimUser {
  accountId: string;
  username: string;
  email: string;
  displayName: string;
  timeZone: string;
  locale: string;
  active: boolean;
  kind: 'agent' | 'customer';
}

export interface SimDesk {
  id: string;
  projectId: string;
  projectKey: string;
  projectName: string;
  theme: string;
  nextIssueNumber: number;
  /** Account ids of the desk's customers, in the order they were added. */
  customerIds: string[];
  organizationIds: string[];
}

export interface SimGroup {
  id: string;
  deskId: string;
  name: string;
}

export type FieldKind = 'text' | 'textarea' | 'select' | 'number' | 'date';

export interface SimFieldOption {
  id: string;
  label: string;
}

/** A field of the instance; request types reference these by id. */
export interface SimField {
  fieldId: string;
  name: string;
  description: string;
  kind: FieldKind;
  /** Custom fields carry a numeric id; system fields do not. */
  customId?: number;
  options: SimFieldOption[];
}

export interface SimRequestTypeField {
  fieldId: string;
  required: boolean;
  visible: boolean;
  /** Overrides the field's own name, as portal labels do. */
  label?: string;
}

export interface SimRequestType {
  id: string;
  deskId: string;
  name: string;
  description: string;
  helpText: string;
  issueTypeId: string;
  iconId: string;
  groupIds: string[];
  fields: SimRequestTypeField[];
  needsApproval: boolean;
}

export interface SimStatusChange {
  status: string;
  at: number;
}

export interface SimSlaCycle {
  start: number;
  stop?: number;
  /** Time spent paused within the cycle, excluded from the elapsed time. */
  pausedMs: number;
  pausedSince?: number;
}

export interface SimSla {
  metricId: string;
  name: string;
  goalMs: number;
  completed: SimSlaCycle[];
  ongoing?: SimSlaCycle;
}

export interface SimAttachment {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
  authorId: string;
  created: number;
  public: boolean;
  commentId?: string;
}

export interface SimComment {
  id: string;
  authorId: string;
  body: string;
  public: boolean;
  created: number;
}

export interface SimApprover {
  accountId: string;
  decision: Decision;
}

export interface SimApproval {
  id: string;
  name: string;
  created: number;
  completed?: number;
  approvers: SimApprover[];
  finalDecision: Decision;
}

export interface SimRequest {
  issueId: string;
  issueKey: string;
  deskId: string;
  requestTypeId: string;
  reporterId: string;
  assigneeId?: string;
  summary: string;
  /** Field id to stored value (text, number, ISO date or option id). */
  fieldValues: Record<string, string | number>;
  created: number;
  updated: number;
  statusLog: SimStatusChange[];
  participantIds: string[];
  organizationIds: string[];
  comments: SimComment[];
  attachments: SimAttachment[];
  approvals: SimApproval[];
  slas: SimSla[];
}

export interface SimOrganization {
  id: string;
  uuid: string;
  name: string;
  created: number;
  memberIds: string[];
}

export interface SimArticle {
  deskId: string;
  pageId: string;
  spaceKey: string;
  title: string;
  excerpt: string;
}

export type QueueRule = 'open' | 'unassigned' | 'mine' | 'waiting' | 'resolved';

export interface SimQueue {
  id: string;
  deskId: string;
  name: string;
  jql: string;
  fields: string[];
  rule: QueueRule;
}

export interface SimTempAttachment {
  id: string;
  deskId: string;
  filename: string;
  mimeType: string;
  size: number;
  uploaderId: string;
}

export interface SimCounters {
  issue: number;
  comment: number;
  attachment: number;
  approval: number;
  organization: number;
  user: number;
  temp: number;
}

export interface SimState {
  seed: number;
  scale: SimScale;
  /** Simulated clock (epoch ms): fixed at generation, advanced by writes, so reads are stable. */
  clock: number;
  users: SimUser[];
  desks: SimDesk[];
  groups: SimGroup[];
  requestTypes: SimRequestType[];
  requests: SimRequest[];
  organizations: SimOrganization[];
  articles: SimArticle[];
  queues: SimQueue[];
  temporaryAttachments: SimTempAttachment[];
  counters: SimCounters;
}
