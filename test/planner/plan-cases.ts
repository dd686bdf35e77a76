/**
 * Statements whose EXPLAIN output record-plans.ts records into fixtures/, and what the planner must
 * make of each recorded plan (explain-plans.test.ts). Every filter the catalog declares has a case
 * in which it reaches the API; the cases of `NOT_PUSHED` must not reach it.
 */

/** A call's parameters: path placeholders and query parameters, as `ApiCall.binding` (parent columns left out). */
export type Params = Record<string, string>;

/** What the planner makes of one scan of the statement. */
export interface ScanExpectation {
  readonly endpoint: 'list' | 'get';
  /** Columns (engine names) whose quals reach the API: the plan's `accepted`, in any order. */
  readonly pushed: readonly string[];
  /** Fragments of the conditions left to the engine, each found in one of the plan's `remaining`. */
  readonly left?: readonly string[];
  /** Each planned call's parameters; a child's template calls lack the parent key they are bound to per parent. */
  readonly calls: readonly Params[];
  /** Path placeholders bound per parent row. */
  readonly parentKeys?: readonly string[];
  /** Where the parent keys come from: the rows of the joined alias, the parents' one list-everything call, or each parent in turn. */
  readonly source?: { readonly driver: string; readonly sql?: string } | { readonly listAll: readonly Params[] } | 'parent-rows';
  /** Gets of the parent that fill the parent columns (RequestKey of a request's child named by ID). */
  readonly lookups?: number;
  /** The LIMIT pushed to the API as a row budget. */
  readonly limit?: number;
}

export interface PlanCase {
  /** Unique: the key of its recorded plan. */
  readonly id: string;
  /** The relation the case is about (seed name): its fixture file, and where the test lists it. */
  readonly relation: string;
  /** What the case shows, as the test's title. */
  readonly title: string;
  readonly sql: string;
  /** Bound parameters ($1…), planned with their values as the session does. */
  readonly params?: readonly string[];
  /** Planned with EXPLAIN (GENERIC_PLAN), as for parameters the session cannot decode. */
  readonly generic?: boolean;
  /** LIMIT + OFFSET as the session reads it from the parse tree. */
  readonly limit?: number;
  /**
   * Per scan, by the relation's lower-cased name: the alias of the rows table inside the JSM view,
   * whatever alias the statement gives the view.
   */
  readonly expect: Readonly<Record<string, ScanExpectation>>;
  /** Local relations the statement joins (created before recording). */
  readonly setup?: string;
}

const REQ_DEFAULTS = { requestOwnership: 'ALL_REQUESTS', requestStatus: 'ALL_REQUESTS' };
const one = (relation: string, id: string, title: string, sql: string, expect: ScanExpectation, more: Partial<PlanCase> = {}): PlanCase => ({
  id, relation, title, sql, expect: { [relation.toLowerCase()]: expect }, ...more,
});

/** A request's child: its list by RequestId or RequestKey, and an IN list fanned out per value. */
function requestChildLists(relation: string, internal?: Params): PlanCase[] {
  const extra = internal ?? {};
  return [
    one(relation, `${relation}.requestid`, 'RequestId = … fills the list path', `SELECT * FROM ${relation} WHERE RequestId = '10001'`,
      { endpoint: 'list', pushed: ['requestid'], calls: [{ issueIdOrKey: '10001', ...extra }], lookups: 1 }),
    one(relation, `${relation}.requestkey`, 'RequestKey = … fills the list path', `SELECT * FROM ${relation} WHERE RequestKey = 'TEST-1'`,
      { endpoint: 'list', pushed: ['requestkey'], calls: [{ issueIdOrKey: 'TEST-1', ...extra }], lookups: 1 }),
    one(relation, `${relation}.requestid-in`, 'RequestId IN (…) makes one call per value', `SELECT * FROM ${relation} WHERE RequestId IN ('10001', '10002')`,
      { endpoint: 'list', pushed: ['requestid'], calls: [{ issueIdOrKey: '10001', ...extra }, { issueIdOrKey: '10002', ...extra }], lookups: 2 }),
    one(relation, `${relation}.all`, 'no filter: read per request, the requests listed first', `SELECT * FROM ${relation}`,
      { endpoint: 'list', pushed: [], calls: [{ ...extra }], parentKeys: ['issueIdOrKey'], source: 'parent-rows' }),
  ];
}

/** A request's child with a get by its own ID under the request. */
function requestChildGets(relation: string, idParam: string, internal?: Params): PlanCase[] {
  const extra = internal ?? {};
  return [
    one(relation, `${relation}.requestid+id`, 'RequestId and Id = … get one item', `SELECT * FROM ${relation} WHERE RequestId = '10001' AND Id = '7'`,
      { endpoint: 'get', pushed: ['requestid', 'id'], calls: [{ issueIdOrKey: '10001', [idParam]: '7' }], lookups: 1 }),
    one(relation, `${relation}.requestkey+id`, 'RequestKey and Id = … get one item', `SELECT * FROM ${relation} WHERE RequestKey = 'TEST-1' AND Id = '7'`,
      { endpoint: 'get', pushed: ['requestkey', 'id'], calls: [{ issueIdOrKey: 'TEST-1', [idParam]: '7' }], lookups: 1 }),
    one(relation, `${relation}.id-alone`, 'Id alone cannot fill the get path: the list of every request\'s items, filtered', `SELECT * FROM ${relation} WHERE Id = '7'`,
      { endpoint: 'list', pushed: [], left: ["id = '7'"], calls: [{ ...extra }], parentKeys: ['issueIdOrKey'], source: 'parent-rows' }),
  ];
}

/** A desk's child: its list by ServiceDeskId, and an IN list fanned out per value. */
function deskChildLists(relation: string, all: ScanExpectation['source']): PlanCase[] {
  return [
    one(relation, `${relation}.servicedeskid`, 'ServiceDeskId = … fills the list path', `SELECT * FROM ${relation} WHERE ServiceDeskId = '1'`,
      { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1' }] }),
    one(relation, `${relation}.servicedeskid-in`, 'ServiceDeskId IN (…) makes one call per value', `SELECT * FROM ${relation} WHERE ServiceDeskId IN ('1', '2')`,
      { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1' }, { serviceDeskId: '2' }] }),
    one(relation, `${relation}.all`, 'no filter: read per desk', `SELECT * FROM ${relation}`,
      { endpoint: 'list', pushed: [], calls: [{}], parentKeys: ['serviceDeskId'], source: all }),
  ];
}

export const PUSHED: readonly PlanCase[] = [
  ...requestChildLists('CustomerTransitions'),
  ...requestChildLists('RequestApprovals'),
  ...requestChildGets('RequestApprovals', 'approvalId'),
  ...requestChildLists('RequestComments', { internal: 'true' }),
  ...requestChildGets('RequestComments', 'commentId', { internal: 'true' }),
  one('RequestComments', 'RequestComments.public', 'Public = false (NOT public) reaches the API as public=false', 'SELECT * FROM RequestComments WHERE RequestId = \'10001\' AND NOT Public',
    { endpoint: 'list', pushed: ['requestid', 'public'], calls: [{ issueIdOrKey: '10001', public: 'false', internal: 'true' }], lookups: 1 }),
  one('RequestComments', 'RequestComments.internal', 'the pseudo column Internal = false replaces its default', 'SELECT * FROM RequestComments WHERE RequestId = \'10001\' AND Internal = false',
    { endpoint: 'list', pushed: ['requestid', 'internal'], calls: [{ issueIdOrKey: '10001', internal: 'false' }], lookups: 1 }),
  ...requestChildLists('RequestParticipants'),
  ...deskChildLists('Customers', 'parent-rows'),
  one('KnowledgeBaseArticles', 'KnowledgeBaseArticles.query', 'the required Query alone: one cross-desk search', "SELECT * FROM KnowledgeBaseArticles WHERE Query = 'vpn'",
    {
      endpoint: 'list', pushed: ['query'], calls: [{ query: 'vpn', highlight: 'false' }], parentKeys: ['serviceDeskId'],
      source: { listAll: [{ query: 'vpn', highlight: 'false' }] },
    }),
  one('KnowledgeBaseArticles', 'KnowledgeBaseArticles.servicedeskid', 'ServiceDeskId with Query: the desk\'s own search', "SELECT * FROM KnowledgeBaseArticles WHERE ServiceDeskId = '1' AND Query = 'vpn'",
    { endpoint: 'list', pushed: ['servicedeskid', 'query'], calls: [{ serviceDeskId: '1', query: 'vpn', highlight: 'false' }] }),
  one('KnowledgeBaseArticles', 'KnowledgeBaseArticles.highlight', 'the pseudo column Highlight = true replaces its default', "SELECT * FROM KnowledgeBaseArticles WHERE Query = 'vpn' AND Highlight",
    {
      endpoint: 'list', pushed: ['query', 'highlight'], calls: [{ query: 'vpn', highlight: 'true' }], parentKeys: ['serviceDeskId'],
      source: { listAll: [{ query: 'vpn', highlight: 'true' }] },
    }),
  ...deskChildLists('Organizations', { listAll: [{}] }),
  one('QueueRequests', 'QueueRequests.servicedeskid+queueid', 'ServiceDeskId and QueueId fill the queue\'s path', "SELECT * FROM QueueRequests WHERE ServiceDeskId = '1' AND QueueId = '2'",
    { endpoint: 'list', pushed: ['servicedeskid', 'queueid'], calls: [{ serviceDeskId: '1', queueId: '2' }] }),
  one('QueueRequests', 'QueueRequests.servicedeskid', 'ServiceDeskId alone: every queue of the desk, listed first', "SELECT * FROM QueueRequests WHERE ServiceDeskId = '1'",
    { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1' }], parentKeys: ['queueId'], source: 'parent-rows' }),
  one('QueueRequests', 'QueueRequests.queueid', 'QueueId alone: the queues of every desk, listed first', "SELECT * FROM QueueRequests WHERE QueueId = '2'",
    { endpoint: 'list', pushed: ['queueid'], calls: [{ queueId: '2' }], parentKeys: ['serviceDeskId'], source: 'parent-rows' }),
  ...deskChildLists('Queues', 'parent-rows'),
  one('Queues', 'Queues.servicedeskid+id', 'ServiceDeskId and Id get one queue', "SELECT * FROM Queues WHERE ServiceDeskId = '1' AND Id = '2'",
    { endpoint: 'get', pushed: ['servicedeskid', 'id'], calls: [{ serviceDeskId: '1', queueId: '2' }] }),
  one('Requests', 'Requests.requestid', 'RequestId = … gets the request by key', "SELECT * FROM Requests WHERE RequestId = '10001'",
    { endpoint: 'get', pushed: ['requestid'], calls: [{ issueIdOrKey: '10001' }] }),
  one('Requests', 'Requests.requestkey', 'RequestKey = … gets the request by key', "SELECT * FROM Requests WHERE RequestKey = 'TEST-1'",
    { endpoint: 'get', pushed: ['requestkey'], calls: [{ issueIdOrKey: 'TEST-1' }] }),
  one('Requests', 'Requests.requestid-in', 'RequestId IN (…) gets each request', "SELECT * FROM Requests WHERE RequestId IN ('10001', '10002', '10003')",
    { endpoint: 'get', pushed: ['requestid'], calls: [{ issueIdOrKey: '10001' }, { issueIdOrKey: '10002' }, { issueIdOrKey: '10003' }] }),
  one('Requests', 'Requests.requestid-not-a-key', 'key values no request can have (.., a/b) are never sent', "SELECT * FROM Requests WHERE RequestId IN ('10001', '..', 'a/b')",
    { endpoint: 'get', pushed: ['requestid'], calls: [{ issueIdOrKey: '10001' }] }),
  one('Requests', 'Requests.servicedeskid', 'ServiceDeskId = … is a query parameter, the pseudo columns send their defaults', "SELECT * FROM Requests WHERE ServiceDeskId = '1'",
    { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1', ...REQ_DEFAULTS }] }),
  one('Requests', 'Requests.servicedeskid-in', 'ServiceDeskId IN (…) makes one list per value', "SELECT * FROM Requests WHERE ServiceDeskId IN ('1', '2')",
    { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1', ...REQ_DEFAULTS }, { serviceDeskId: '2', ...REQ_DEFAULTS }] }),
  one('Requests', 'Requests.servicedeskid-param', 'a bound parameter reaches the API with its value', 'SELECT * FROM Requests WHERE ServiceDeskId = $1',
    { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1', ...REQ_DEFAULTS }] }, { params: ['1'] }),
  one('Requests', 'Requests.requesttypeid', 'RequestTypeId goes with the ServiceDeskId it requires', "SELECT * FROM Requests WHERE ServiceDeskId = '1' AND RequestTypeId = '5'",
    { endpoint: 'list', pushed: ['servicedeskid', 'requesttypeid'], calls: [{ serviceDeskId: '1', requestTypeId: '5', ...REQ_DEFAULTS }] }),
  one('Requests', 'Requests.requestownership', 'the pseudo column RequestOwnership replaces its default', "SELECT * FROM Requests WHERE RequestOwnership = 'OWNED_REQUESTS'",
    { endpoint: 'list', pushed: ['requestownership'], calls: [{ requestOwnership: 'OWNED_REQUESTS', requestStatus: 'ALL_REQUESTS' }] }),
  one('Requests', 'Requests.requeststatus', "the pseudo column RequestStatus = 'OPEN_REQUESTS' replaces its default", "SELECT * FROM Requests WHERE RequestStatus = 'OPEN_REQUESTS'",
    { endpoint: 'list', pushed: ['requeststatus'], calls: [{ requestStatus: 'OPEN_REQUESTS', requestOwnership: 'ALL_REQUESTS' }] }),
  one('Requests', 'Requests.requeststatus-in', 'RequestStatus IN (…) makes one list per status', "SELECT * FROM Requests WHERE RequestStatus IN ('OPEN_REQUESTS', 'CLOSED_REQUESTS')",
    { endpoint: 'list', pushed: ['requeststatus'], calls: [{ requestStatus: 'OPEN_REQUESTS', requestOwnership: 'ALL_REQUESTS' }, { requestStatus: 'CLOSED_REQUESTS', requestOwnership: 'ALL_REQUESTS' }] }),
  one('Requests', 'Requests.limit', 'LIMIT becomes a row budget when every qual reaches the API', "SELECT * FROM Requests WHERE ServiceDeskId = '1' LIMIT 5",
    { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1', ...REQ_DEFAULTS }], limit: 5 }, { limit: 5 }),
  ...requestChildLists('RequestSLACycles'),
  ...requestChildGets('RequestSLACycles', 'slaMetricId'),
  ...requestChildLists('RequestStatusChangelog'),
  one('RequestTypeFields', 'RequestTypeFields.servicedeskid+requesttypeid', 'ServiceDeskId and RequestTypeId fill the path', "SELECT * FROM RequestTypeFields WHERE ServiceDeskId = '1' AND RequestTypeId = '5'",
    { endpoint: 'list', pushed: ['servicedeskid', 'requesttypeid'], calls: [{ serviceDeskId: '1', requestTypeId: '5' }] }),
  one('RequestTypeFields', 'RequestTypeFields.servicedeskid', 'ServiceDeskId alone: the desk\'s request types, listed first', "SELECT * FROM RequestTypeFields WHERE ServiceDeskId = '1'",
    { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1' }], parentKeys: ['requestTypeId'], source: 'parent-rows' }),
  one('RequestTypeFields', 'RequestTypeFields.expand', "the pseudo column Expand = 'hiddenFields' is a query parameter", "SELECT * FROM RequestTypeFields WHERE ServiceDeskId = '1' AND RequestTypeId = '5' AND Expand = 'hiddenFields'",
    { endpoint: 'list', pushed: ['servicedeskid', 'requesttypeid', 'expand'], calls: [{ serviceDeskId: '1', requestTypeId: '5', expand: 'hiddenFields' }] }),
  ...deskChildLists('RequestTypeGroups', 'parent-rows'),
  ...deskChildLists('RequestTypes', 'parent-rows'),
  one('RequestTypes', 'RequestTypes.groupids', 'GroupIds = … is a query parameter of the desk\'s list', "SELECT * FROM RequestTypes WHERE ServiceDeskId = '1' AND GroupIds = '12'",
    { endpoint: 'list', pushed: ['servicedeskid', 'groupids'], calls: [{ serviceDeskId: '1', groupId: '12' }] }),
  one('RequestTypes', 'RequestTypes.searchquery', 'the pseudo column SearchQuery is a query parameter', "SELECT * FROM RequestTypes WHERE ServiceDeskId = '1' AND SearchQuery = 'laptop'",
    { endpoint: 'list', pushed: ['servicedeskid', 'searchquery'], calls: [{ serviceDeskId: '1', searchQuery: 'laptop' }] }),
  one('ServiceDesks', 'ServiceDesks.id', 'Id = … gets the desk', "SELECT * FROM ServiceDesks WHERE Id = '1'",
    { endpoint: 'get', pushed: ['id'], calls: [{ serviceDeskId: '1' }] }),
  one('ServiceDesks', 'ServiceDesks.id-in', 'Id IN (…) gets each desk', "SELECT * FROM ServiceDesks WHERE Id IN ('1', '2')",
    { endpoint: 'get', pushed: ['id'], calls: [{ serviceDeskId: '1' }, { serviceDeskId: '2' }] }),
  one('ServiceDesks', 'ServiceDesks.all', 'no filter: one list', 'SELECT * FROM ServiceDesks',
    { endpoint: 'list', pushed: [], calls: [{}] }),
  one('Users', 'Users.organizationid', 'OrganizationId = … lists the organization\'s members', "SELECT * FROM Users WHERE OrganizationId = '3'",
    { endpoint: 'list', pushed: ['organizationid'], calls: [{ organizationId: '3' }] }),
  one('Users', 'Users.all', 'no filter: the platform API lists every user once', 'SELECT * FROM Users',
    { endpoint: 'list', pushed: [], calls: [{}], parentKeys: ['organizationId'], source: { listAll: [{}] } }),
];

/** A condition on Requests the API cannot express exactly: the engine applies it (`left`), the call lists without it. */
const requestsLeft = (id: string, title: string, where: string, left: string, more: Partial<PlanCase> = {}) =>
  one('Requests', `Requests.${id}`, title, `SELECT * FROM Requests WHERE ${where}`, { endpoint: 'list', pushed: [], left: [left], calls: [REQ_DEFAULTS] }, more);

/** Conditions the API cannot express exactly: the engine applies them, the call lists without them. */
export const NOT_PUSHED: readonly PlanCase[] = [
  requestsLeft('like', 'LIKE stays with the engine', "ServiceDeskId LIKE '1%'", '~~'),
  requestsLeft('ilike', 'ILIKE stays with the engine', "Summary ILIKE '%vpn%'", '~~*'),
  requestsLeft('or-columns', 'OR across columns stays with the engine', "ServiceDeskId = '1' OR RequestTypeId = '5'", ' OR '),
  requestsLeft('function', 'a function of the column stays with the engine', "lower(RequestKey) = 'test-1'", 'lower('),
  requestsLeft('cast', 'a cast of the column stays with the engine', 'ServiceDeskId::int = 1', '::integer'),
  requestsLeft('not-equal', '<> stays with the engine', "ServiceDeskId <> '1'", '<>'),
  requestsLeft('range', 'a range on a date stays with the engine', "CreatedDate >= '2024-01-01'", '>='),
  requestsLeft('is-null', 'IS NULL stays with the engine', 'ServiceDeskId IS NULL', 'IS NULL'),
  requestsLeft('undeclared', 'an = on a column no filter declares stays with the engine', "Summary = 'VPN'", "summary = 'VPN'"),
  requestsLeft('requires', 'RequestTypeId without the ServiceDeskId it requires stays with the engine', "RequestTypeId = '5'", "requesttypeid = '5'"),
  one('Requests', 'Requests.pseudo-pins-list', 'a pseudo column other than its default keeps the get away (the get cannot take it)',
    "SELECT * FROM Requests WHERE RequestId = '10001' AND RequestStatus = 'OPEN_REQUESTS'",
    { endpoint: 'list', pushed: ['requeststatus'], left: ["requestid = '10001'"], calls: [{ requestStatus: 'OPEN_REQUESTS', requestOwnership: 'ALL_REQUESTS' }] }),
  requestsLeft('generic', 'a parameter planned generically has no value to send', 'ServiceDeskId = $1', '$1', { generic: true }),
  requestsLeft('limit-left', 'LIMIT is not pushed while a condition stays with the engine', "Summary LIKE 'VPN%' LIMIT 5", '~~', { limit: 5 }),
  one('Requests', 'Requests.limit-order', 'LIMIT is not pushed under an ORDER BY the API does not take', "SELECT * FROM Requests WHERE ServiceDeskId = '1' ORDER BY Summary LIMIT 5",
    { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1', ...REQ_DEFAULTS }] }, { limit: 5 }),
  one('RequestComments', 'RequestComments.like', 'LIKE on a child stays with the engine: read per request', "SELECT * FROM RequestComments WHERE Body LIKE '%vpn%'",
    { endpoint: 'list', pushed: [], left: ['~~'], calls: [{ internal: 'true' }], parentKeys: ['issueIdOrKey'], source: 'parent-rows' }),
  one('ServiceDesks', 'ServiceDesks.or-columns', 'OR across columns of a get stays with the engine', "SELECT * FROM ServiceDesks WHERE Id = '1' OR ProjectName = 'IT'",
    { endpoint: 'list', pushed: [], left: [' OR '], calls: [{}] }),
];

/** Children fetched only for the parent keys the query allows. */
export const JOINS: readonly PlanCase[] = [
  {
    id: 'RequestComments.join-requests', relation: 'RequestComments', title: "comments of desk 1's requests: per request the join reads",
    sql: "SELECT r.RequestKey, c.Body FROM Requests r JOIN RequestComments c ON c.RequestId = r.RequestId WHERE r.ServiceDeskId = '1'",
    expect: {
      requests: { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1', ...REQ_DEFAULTS }] },
      requestcomments: { endpoint: 'list', pushed: [], calls: [{ internal: 'true' }], parentKeys: ['issueIdOrKey'], source: {
        driver: 'requests',
        // joined on the request's own key: the ID the comments' rows copy comes along
        sql: 'SELECT DISTINCT ("requests"."requestid")::text AS k, ("requests"."requestid")::text AS "^RequestId" FROM jsm.requests "requests"',
      } },
    },
  },
  {
    id: 'RequestSLACycles.join-requests-by-id', relation: 'RequestSLACycles', title: "a constant on the request's ID reaches its SLAs through the join",
    sql: "SELECT * FROM Requests r JOIN RequestSLACycles s ON s.RequestId = r.RequestId WHERE r.RequestId = '10001'",
    expect: {
      requests: { endpoint: 'get', pushed: ['requestid'], calls: [{ issueIdOrKey: '10001' }] },
      requestslacycles: { endpoint: 'list', pushed: ['requestid'], calls: [{ issueIdOrKey: '10001' }], lookups: 1 },
    },
  },
  {
    id: 'Queues.join-servicedesks', relation: 'Queues', title: 'queues of the desks the join reads',
    sql: "SELECT d.ProjectName, q.Name FROM ServiceDesks d JOIN Queues q ON q.ServiceDeskId = d.Id WHERE d.Id IN ('1', '2')",
    expect: {
      servicedesks: { endpoint: 'get', pushed: ['id'], calls: [{ serviceDeskId: '1' }, { serviceDeskId: '2' }] },
      // an IN list does not pass through the join as = does: the desks read drive the queues
      queues: { endpoint: 'list', pushed: [], calls: [{}], parentKeys: ['serviceDeskId'], source: { driver: 'servicedesks' } },
    },
  },
  {
    id: 'QueueRequests.join-queues', relation: 'QueueRequests', title: 'issues of the queues the join reads, the desk pushed to both',
    sql: "SELECT q.Name, i.RequestKey FROM Queues q JOIN QueueRequests i ON i.ServiceDeskId = q.ServiceDeskId AND i.QueueId = q.Id WHERE q.ServiceDeskId = '1'",
    expect: {
      queues: { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1' }] },
      queuerequests: { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1' }], parentKeys: ['queueId'], source: { driver: 'queues' } },
    },
  },
  {
    id: 'RequestTypeFields.join-requesttypes', relation: 'RequestTypeFields', title: 'fields of the request types the join reads',
    sql: "SELECT t.Name, f.FieldId FROM RequestTypes t JOIN RequestTypeFields f ON f.ServiceDeskId = t.ServiceDeskId AND f.RequestTypeId = t.Id WHERE t.ServiceDeskId = '1'",
    expect: {
      requesttypes: { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1' }] },
      requesttypefields: { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1' }], parentKeys: ['requestTypeId'], source: { driver: 'requesttypes' } },
    },
  },
  {
    id: 'Users.join-organizations', relation: 'Users', title: "members of the desk's organizations the join reads",
    sql: "SELECT o.Name, u.DisplayName FROM Organizations o JOIN Users u ON u.OrganizationId = o.Id WHERE o.ServiceDeskId = '1'",
    expect: {
      organizations: { endpoint: 'list', pushed: ['servicedeskid'], calls: [{ serviceDeskId: '1' }] },
      users: { endpoint: 'list', pushed: [], calls: [{}], parentKeys: ['organizationId'], source: { driver: 'organizations' } },
    },
  },
  {
    id: 'RequestComments.join-local', relation: 'RequestComments', title: 'a local table of request IDs drives the comments fetched',
    setup: 'CREATE TABLE public.wanted (requestid text)',
    sql: 'SELECT c.* FROM public.wanted w JOIN RequestComments c ON c.RequestId = w.requestid',
    expect: {
      requestcomments: { endpoint: 'list', pushed: [], calls: [{ internal: 'true' }], parentKeys: ['issueIdOrKey'], source: {
        driver: 'w', sql: 'SELECT DISTINCT ("w"."requestid")::text AS k FROM "public"."wanted" "w"',
      } },
    },
  },
];

export const PLAN_CASES: readonly PlanCase[] = [...PUSHED, ...NOT_PUSHED, ...JOINS];
