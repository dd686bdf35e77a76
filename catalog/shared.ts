/**
 * Pieces several declarations share: the request an entity hangs off, users, and JSM's date
 * objects. Descriptions stay with each table because the seed words them per table.
 */
import type { ColumnDecl, FilterDecl, ParentDecl } from '../src/catalog/types.ts';

export const SD_API = '/rest/servicedeskapi';

/** `{issueIdOrKey}` holds either a numeric issue ID or an issue key such as TEST-1. */
export const ISSUE_ID_PATTERN = '^[0-9]+$';
export const ISSUE_KEY_PATTERN = '^[A-Za-z][A-Za-z0-9_]*-[0-9]+$';

/** Path of an entity under one request. */
export const requestPath = (suffix: string) => `${SD_API}/request/{issueIdOrKey}/${suffix}`;

/**
 * RequestId of a request's child: the path binding. Child items never carry their request; when
 * the binding is a key (WHERE RequestKey = …) `parent.columns` replaces it with the request's ID.
 */
export function requestIdColumn(description: string): ColumnDecl {
  return { name: 'RequestId', type: 'text', key: true, bind: 'issueIdOrKey', description, references: { table: 'Requests', column: 'RequestId' } };
}

/**
 * RequestKey of a request's child: the binding when the query named the request by key. When it
 * was named by ID the item cannot say its key: `parent.columns` copies it from the request row
 * (the joined one, or one get of the request). Not a key column: it stays null if that fails.
 */
export function requestKeyColumn(description: string): ColumnDecl {
  return { name: 'RequestKey', type: 'text', bind: 'issueIdOrKey', bindPattern: ISSUE_KEY_PATTERN, description };
}

/** `WHERE RequestId = …` or `WHERE RequestKey = …` both fill `{issueIdOrKey}` of the list path. */
export const REQUEST_CHILD_FILTERS: readonly FilterDecl[] = [
  { column: 'RequestId', operators: ['='], param: 'issueIdOrKey' },
  { column: 'RequestKey', operators: ['='], param: 'issueIdOrKey' },
];

/** The same two filters for a get-by-key endpoint under the request. */
export const REQUEST_CHILD_GET_FILTERS: readonly FilterDecl[] = REQUEST_CHILD_FILTERS.map((f) => ({ ...f, endpoint: 'get' as const }));

/** Children of Requests are fetched per request; its ID and key are copied from the request row. */
export const REQUEST_PARENT: ParentDecl = {
  table: 'Requests',
  keys: { issueIdOrKey: 'RequestId' },
  columns: { RequestId: 'RequestId', RequestKey: 'RequestKey' },
};

/** Children of ServiceDesks, fetched per desk. */
export const DESK_PARENT: ParentDecl = { table: 'ServiceDesks', keys: { serviceDeskId: 'Id' } };

/** The ServiceDeskId of a desk's child: the path binding. */
export function deskIdColumn(description: string, key = false): ColumnDecl {
  return { name: 'ServiceDeskId', type: 'text', key, bind: 'serviceDeskId', description, references: { table: 'ServiceDesks', column: 'Id' } };
}

export const DESK_FILTER: FilterDecl = { column: 'ServiceDeskId', operators: ['='], param: 'serviceDeskId' };

const USER_FIELDS = {
  AccountId: { type: 'text', remote: 'accountId' },
  EmailAddress: { type: 'text', remote: 'emailAddress' },
  DisplayName: { type: 'text', remote: 'displayName' },
  Active: { type: 'boolean', remote: 'active' },
  TimeZone: { type: 'text', remote: 'timeZone' },
} as const;

/** A column of a UserDTO (participants, customers, organization members, platform users). */
export function userColumn(name: keyof typeof USER_FIELDS, description: string, key = false): ColumnDecl {
  return { name, ...USER_FIELDS[name], description, ...(key ? { key } : {}) };
}

/** JSM dates are objects; `iso8601` is the machine-readable form. */
export const date = (path: string) => `${path}.iso8601`;
