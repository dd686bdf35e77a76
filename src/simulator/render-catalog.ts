/** JSON of configuration-like entities: desks, request types, groups, fields, organizations, articles, queues. */
import { isAgent } from './access.ts';
import { dateJson } from './dates.ts';
import { fieldById } from './gen-catalog.ts';
import { translate } from './i18n.ts';
import type { FieldKind, SimArticle, SimDesk, SimGroup, SimOrganization, SimQueue, SimRequestType, SimRequestTypeField } from './model.ts';
import { apiUrl, type View } from './render-user.ts';

const SCHEMA_BY_KIND: Record<FieldKind, { type: string; custom: string }> = {
  text: { type: 'string', custom: 'textfield' },
  textarea: { type: 'string', custom: 'textarea' },
  select: { type: 'option', custom: 'select' },
  number: { type: 'number', custom: 'float' },
  date: { type: 'date', custom: 'datepicker' },
};

export const deskJson = (v: Pick<View, 'origin'>, d: SimDesk) => ({
  id: d.id,
  projectId: d.projectId,
  projectName: d.projectName,
  projectKey: d.projectKey,
  projectTypeKey: 'service_desk',
  _links: { self: apiUrl(v, `/servicedesk/${d.id}`) },
});

export function requestTypeJson(v: View, t: SimRequestType) {
  const iconUrl = (size: string) => `${v.origin}/rest/api/2/universal_avatar/view/type/SD_REQTYPE/avatar/${t.iconId}?size=${size}`;
  return {
    _expands: [] as string[],
    id: t.id,
    _links: { self: apiUrl(v, `/servicedesk/${t.deskId}/requesttype/${t.id}`) },
    name: translate(v.lang, t.name),
    description: t.description,
    helpText: t.helpText,
    issueTypeId: t.issueTypeId,
    serviceDeskId: t.deskId,
    portalId: t.deskId,
    groupIds: t.groupIds,
    icon: {
      id: t.iconId,
      _links: { iconUrls: { '48x48': iconUrl('large'), '24x24': iconUrl('small'), '16x16': iconUrl('xsmall'), '32x32': iconUrl('medium') } },
    },
    canCreateRequest: true,
    restrictionStatus: 'OPEN',
  };
}

export const groupJson = (v: View, g: SimGroup) => ({ id: g.id, name: translate(v.lang, g.name) });

export function fieldJson(v: View, f: SimRequestTypeField) {
  const field = fieldById(f.fieldId)!;
  const kind = SCHEMA_BY_KIND[field.kind];
  const jiraSchema =
    field.customId === undefined
      ? { type: kind.type, system: field.fieldId }
      : { type: kind.type, custom: `com.atlassian.jira.plugin.system.customfieldtypes:${kind.custom}`, customId: field.customId };
  return {
    fieldId: field.fieldId,
    name: translate(v.lang, f.label ?? field.name),
    description: field.description,
    required: f.required,
    defaultValues: [],
    validValues: field.options.map((o) => ({ value: o.id, label: translate(v.lang, o.label), children: [] })),
    presetValues: [],
    jiraSchema,
    visible: f.visible,
  };
}

/** Hidden fields only come back when asked for and only to agents (who act as desk administrators here). */
export function formFields(v: View, t: SimRequestType, withHidden: boolean): SimRequestTypeField[] {
  return t.fields.filter((f) => f.visible || (withHidden && isAgent(v.viewer)));
}

export const organizationJson = (v: Pick<View, 'origin'>, o: SimOrganization) => ({
  id: o.id,
  name: o.name,
  uuid: o.uuid,
  created: dateJson(o.created),
  scimManaged: false,
  _links: { self: apiUrl(v, `/organization/${o.id}`) },
});

const HIGHLIGHT_OPEN = '@@@hl@@@';
const HIGHLIGHT_CLOSE = '@@@endhl@@@';

export function highlight(text: string, terms: string[]): string {
  if (terms.length === 0) return text;
  const pattern = new RegExp(`(${terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'gi');
  return text.replace(pattern, `${HIGHLIGHT_OPEN}$1${HIGHLIGHT_CLOSE}`);
}

export const articleJson = (v: Pick<View, 'origin'>, a: SimArticle, terms: string[]) => ({
  title: highlight(a.title, terms),
  excerpt: highlight(a.excerpt, terms),
  source: { type: 'confluence', pageId: a.pageId, spaceKey: a.spaceKey },
  content: { iframeSrc: apiUrl(v, `/knowledgebase/article/view/${a.pageId}`) },
});

export function queueJson(v: View, q: SimQueue, issueCount?: number) {
  const json: Record<string, unknown> = { id: q.id, name: translate(v.lang, q.name), jql: q.jql, fields: q.fields };
  if (issueCount !== undefined) json.issueCount = issueCount;
  json._links = { self: apiUrl(v, `/servicedesk/${q.deskId}/queue/${q.id}`) };
  return json;
}
