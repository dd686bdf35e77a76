/**
 * Shapes of the Jira platform API (/rest/api/2 and /rest/api/3) that the
 * simulator serves next to the servicedeskapi: users, issues in queues,
 * myself and serverInfo. Not part of the OpenAPI file; modelled on Jira's.
 */
import { jiraTimestamp } from './dates.ts';
import { translate } from './i18n.ts';
import type { SimRequest, SimUser } from './model.ts';
import { avatarUrls, platformUserUrl, userOf, type View } from './render-user.ts';
import { STATUSES, categoryOf, currentStatus } from './workflow.ts';

/** 'cloud' is the /rest/api/3 (and Cloud /rest/api/2) form; 'server' adds Data Center's key/name/deleted. */
export type UserFlavor = 'cloud' | 'server';

export function platformUserJson(v: Pick<View, 'origin'>, user: SimUser, flavor: UserFlavor) {
  const common = {
    self: platformUserUrl(v.origin, user),
    accountId: user.accountId,
    emailAddress: user.email,
    avatarUrls: avatarUrls(v.origin, user),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
    locale: user.locale,
  };
  return flavor === 'cloud'
    ? { ...common, accountType: user.kind === 'agent' ? 'atlassian' : 'customer' }
    : { ...common, key: user.username, name: user.username, deleted: false };
}

export function myselfJson(v: View, flavor: UserFlavor) {
  return {
    ...platformUserJson(v, v.viewer, flavor),
    groups: { size: v.viewer.kind === 'agent' ? 2 : 0, items: [] },
    applicationRoles: { size: v.viewer.kind === 'agent' ? 1 : 0, items: [] },
    expand: 'groups,applicationRoles',
  };
}

export const serverInfoJson = (v: Pick<View, 'origin'>) => ({
  baseUrl: v.origin,
  version: '1001.0.0-SNAPSHOT',
  versionNumbers: [1001, 0, 0],
  deploymentType: 'Cloud',
  buildNumber: 100286,
  buildDate: '2025-01-10T00:00:00.000+0000',
  serverTime: jiraTimestamp(Date.now()),
  scmInfo: 'c6679417c550918e7c94a9eaaada133f15dc8ff0',
  serverTitle: 'JSM Simulator',
  defaultLocale: { locale: 'en_US' },
});

const ISSUE_TYPES: Record<string, string> = { '10001': 'Support', '10002': 'Incident', '10003': 'Service request', '10004': 'Employee request' };

const CATEGORY_JSON = {
  NEW: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  INDETERMINATE: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  DONE: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
};

function statusFieldJson(v: View, name: string) {
  const id = STATUSES[name]?.id ?? '1';
  const category = CATEGORY_JSON[categoryOf(name)];
  return {
    self: `${v.origin}/rest/api/2/status/${id}`,
    description: '',
    iconUrl: `${v.origin}/images/icons/statuses/generic.png`,
    name: translate(v.lang, name),
    id,
    statusCategory: { self: `${v.origin}/rest/api/2/statuscategory/${category.id}`, ...category },
  };
}

/** IssueBean as a queue returns it: only the fields the queue is configured to show. */
export function issueBeanJson(v: View, req: SimRequest, fields: readonly string[]) {
  const type = v.store.requestType(req.requestTypeId);
  const issueTypeId = type?.issueTypeId ?? '10001';
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === 'summary') values.summary = req.summary;
    else if (field === 'created') values.created = jiraTimestamp(req.created);
    else if (field === 'reporter') values.reporter = platformUserJson(v, userOf(v, req.reporterId), 'cloud');
    else if (field === 'assignee') values.assignee = req.assigneeId ? platformUserJson(v, userOf(v, req.assigneeId), 'cloud') : null;
    else if (field === 'status') values.status = statusFieldJson(v, currentStatus(req).status);
    else if (field === 'issuetype') {
      values.issuetype = {
        self: `${v.origin}/rest/api/2/issuetype/${issueTypeId}`,
        id: issueTypeId,
        description: 'Created by Jira Service Management.',
        iconUrl: `${v.origin}/servicedesk/issue-type-icons?icon=it-help`,
        name: ISSUE_TYPES[issueTypeId] ?? 'Support',
        subtask: false,
        avatarId: 10300,
      };
    }
  }
  return { id: req.issueId, key: req.issueKey, self: `${v.origin}/rest/api/2/issue/${req.issueId}`, fields: values };
}
