/**
 * Generates the configuration side of the instance: desks, request type
 * groups, request types with their fields, knowledge base articles and queues.
 * Ids are assigned in a fixed order so that the anchors documented in
 * docs/simulator.md (desks 1 and 2, request types 12 and 10012, group 12)
 * exist at every scale.
 */
import type { QueueRule, SimArticle, SimDesk, SimField, SimGroup, SimQueue, SimRequestType, SimRequestTypeField } from './model.ts';
import { DESK_BLUEPRINTS, EMAIL_REQUEST_TYPE, THEMES, type ThemeRequestType } from './vocab-themes.ts';

const option = (id: number, label: string) => ({ id: String(id), label });

export const FIELD_CATALOG: readonly SimField[] = [
  { fieldId: 'summary', name: 'Summary', description: 'A short summary of the request.', kind: 'text', options: [] },
  { fieldId: 'description', name: 'Description', description: 'The details of the request.', kind: 'textarea', options: [] },
  {
    fieldId: 'customfield_10010', name: 'Impact', description: 'How many people or services are affected.', kind: 'select', customId: 10010,
    options: [option(10000, 'Extensive / Widespread'), option(10001, 'Significant / Large'), option(10002, 'Moderate / Limited'), option(10003, 'Minor / Localized')],
  },
  { fieldId: 'customfield_10011', name: 'Affected system', description: 'The system, product or item concerned.', kind: 'text', customId: 10011, options: [] },
  { fieldId: 'customfield_10012', name: 'Number of people affected', description: 'A rough count is fine.', kind: 'number', customId: 10012, options: [] },
  { fieldId: 'customfield_10013', name: 'Needed by', description: 'The date by which this is needed.', kind: 'date', customId: 10013, options: [] },
  {
    fieldId: 'customfield_10014', name: 'Urgency', description: 'How soon this needs attention.', kind: 'select', customId: 10014,
    options: [option(10004, 'Critical'), option(10005, 'High'), option(10006, 'Medium'), option(10007, 'Low')],
  },
  { fieldId: 'customfield_10015', name: 'Cost center', description: 'Filled in by agents; hidden on the portal.', kind: 'text', customId: 10015, options: [] },
];

const FIELDS_BY_ID = new Map(FIELD_CATALOG.map((f) => [f.fieldId, f]));

/** The catalog entry of a field a request type references (they all come from the catalog). */
export const fieldById = (fieldId: string): SimField | undefined => FIELDS_BY_ID.get(fieldId);

/** Agent-only field: present on forms but not shown to customers. */
export const HIDDEN_FIELD_ID = 'customfield_10015';
const REQUIRED_FIELDS = new Set(['customfield_10010']);

export interface Catalog {
  desks: SimDesk[];
  groups: SimGroup[];
  requestTypes: SimRequestType[];
  articles: SimArticle[];
  queues: SimQueue[];
}

function formFields(t: ThemeRequestType): SimRequestTypeField[] {
  return [
    { fieldId: 'summary', required: true, visible: true, label: 'What do you need?' },
    { fieldId: 'description', required: false, visible: true, label: 'Why do you need this?' },
    ...t.fields.map((fieldId) => ({ fieldId, required: REQUIRED_FIELDS.has(fieldId), visible: fieldId !== HIDDEN_FIELD_ID })),
  ];
}

const QUEUES: Array<{ name: string; rule: QueueRule; where: string; fields: string[] }> = [
  { name: 'All open requests', rule: 'open', where: 'resolution = Unresolved', fields: ['issuetype', 'issuekey', 'summary', 'reporter', 'created', 'status'] },
  { name: 'Unassigned requests', rule: 'unassigned', where: 'assignee is EMPTY AND resolution = Unresolved', fields: ['issuetype', 'issuekey', 'summary', 'reporter', 'created'] },
  { name: 'Assigned to me', rule: 'mine', where: 'assignee = currentUser() AND resolution = Unresolved', fields: ['issuetype', 'issuekey', 'summary', 'reporter', 'created', 'status'] },
  { name: 'Waiting for customer', rule: 'waiting', where: 'status = "Waiting for customer"', fields: ['issuekey', 'summary', 'reporter', 'assignee', 'status'] },
  { name: 'Resolved requests', rule: 'resolved', where: 'resolution is not EMPTY', fields: ['issuetype', 'issuekey', 'summary', 'assignee', 'created', 'status'] },
];

export function generateCatalog(deskCount: number): Catalog {
  const catalog: Catalog = { desks: [], groups: [], requestTypes: [], articles: [], queues: [] };
  let requestTypeId = 1;
  let groupId = 10;
  let pageId = 8786001;
  let queueId = 1;
  for (const [index, blueprint] of DESK_BLUEPRINTS.slice(0, deskCount).entries()) {
    const deskId = String(index + 1);
    const theme = THEMES[blueprint.theme];
    catalog.desks.push({
      id: deskId,
      projectId: String(10000 + index + 1),
      projectKey: blueprint.key,
      projectName: blueprint.name,
      theme: blueprint.theme,
      nextIssueNumber: 1,
      customerIds: [],
      organizationIds: [],
    });
    const groupIds = theme.groups.map((name) => {
      const group = { id: String(groupId++), deskId, name };
      catalog.groups.push(group);
      return group.id;
    });
    const addType = (t: ThemeRequestType, id: string) =>
      catalog.requestTypes.push({
        id,
        deskId,
        name: t.name,
        description: t.description,
        helpText: `Please describe your request in a few sentences. ${t.description}`,
        issueTypeId: t.issueTypeId,
        iconId: String(10500 + (Number(id) % 40)),
        groupIds: t.groups.map((g) => groupIds[g]),
        fields: formFields(t),
        needsApproval: t.approval === true,
      });
    for (const t of theme.requestTypes) addType(t, String(requestTypeId++));
    // Mail-channel request types live in their own id range, as imported ones do in real sites.
    addType(EMAIL_REQUEST_TYPE, String(10010 + index + 1));
    for (const [title, excerpt] of theme.articles) {
      catalog.articles.push({ deskId, pageId: String(pageId++), spaceKey: `${theme.spaceKey}${index + 1}`, title, excerpt });
    }
    for (const q of QUEUES) {
      catalog.queues.push({
        id: String(queueId++),
        deskId,
        name: q.name,
        jql: `project = ${blueprint.key} AND ${q.where} ORDER BY created DESC`,
        fields: q.fields,
        rule: q.rule,
      });
    }
  }
  return catalog;
}
