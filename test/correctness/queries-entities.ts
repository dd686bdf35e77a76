import type { CorrectnessQuery } from './compare.ts';

type Q = Omit<CorrectnessQuery, 'origin'>;
const tag = (origin: string, qs: (Q | string)[]): CorrectnessQuery[] => qs.map((q) => (typeof q === 'string' ? { sql: q, origin } : { ...q, origin }));

/**
 * Hand-written statements across the child and catalog entities, with the seed's column names.
 * A statement naming a relation the catalog does not have yet is left out of the run (see suite.ts).
 */
export const ENTITY_QUERIES: CorrectnessQuery[] = [
  ...tag('children by parent key', [
    "SELECT * FROM RequestComments WHERE RequestID = '10001'",
    "SELECT * FROM RequestComments WHERE RequestID = '10001' AND Public = 'true'",
    "SELECT * FROM RequestParticipants WHERE RequestID = '10001'",
    "SELECT * FROM RequestApprovals WHERE RequestID = '10001'",
    "SELECT * FROM CustomerTransitions WHERE RequestID = '10001'",
    "SELECT * FROM RequestStatusChangelog WHERE RequestID = '10001'",
    "SELECT * FROM RequestSLACycles WHERE RequestID = '10001'",
    "SELECT * FROM RequestTypes WHERE ServiceDeskId = '1'",
    "SELECT * FROM RequestTypeGroups WHERE ServiceDeskId = '1'",
    "SELECT * FROM RequestTypeFields WHERE ServiceDeskId = '1' AND RequestTypeId = '1'",
    "SELECT * FROM Customers WHERE ServiceDeskId = '1'",
    "SELECT * FROM RequestComments WHERE RequestID IN ('10001', '10002', '99999999')",
    "SELECT id, requestid FROM requestcomments WHERE requestid = '99999999'",
  ]),
  ...tag('children across parents', [
    "SELECT c.* FROM requests r JOIN requestcomments c ON c.requestid = r.requestid WHERE r.servicedeskid = '1' AND r.requestid IN ('10001', '10002')",
    "SELECT r.requestkey, count(c.id) FROM requests r LEFT JOIN requestcomments c ON c.requestid = r.requestid WHERE r.servicedeskid = '2' GROUP BY r.requestkey",
    'SELECT count(*) FROM requestcomments WHERE public',
    'SELECT count(*), count(DISTINCT requestid) FROM requestcomments',
    'SELECT r.requestid FROM requests r WHERE EXISTS (SELECT 1 FROM requestcomments c WHERE c.requestid = r.requestid AND NOT c.public)',
    "SELECT r.requestid FROM requests r WHERE r.servicedeskid = '3' AND NOT EXISTS (SELECT 1 FROM requestcomments c WHERE c.requestid = r.requestid)",
    "SELECT c.requestid, c.id FROM requestcomments c WHERE c.requestid IN (SELECT requestid FROM requests WHERE currentstatuscategory = 'DONE')",
    "WITH recent AS (SELECT requestid FROM requests WHERE createddate >= '2024-03-01') SELECT count(*) FROM requestcomments c JOIN recent USING (requestid)",
    { sql: 'SELECT requestid, id, row_number() OVER (PARTITION BY requestid ORDER BY id) FROM requestcomments ORDER BY requestid, id LIMIT 15', ordered: true },
    "SELECT p.displayname, count(*) FROM requestparticipants p GROUP BY 1",
    "SELECT r.requestkey, p.emailaddress FROM requests r JOIN requestparticipants p ON p.requestid = r.requestid WHERE r.servicedeskid = '1'",
    "SELECT finaldecision, count(*) FROM requestapprovals GROUP BY 1",
    "SELECT a.requestid, a.name FROM requestapprovals a JOIN requests r ON r.requestid = a.requestid WHERE r.servicedeskid = '2'",
    "SELECT name, count(*) FROM customertransitions GROUP BY name",
    "SELECT r.requestkey, count(*) FROM requests r JOIN requeststatuschangelog l ON l.requestid = r.requestid WHERE r.servicedeskid = '1' GROUP BY 1",
    "SELECT status, count(*) FROM requeststatuschangelog WHERE statusdate >= '2024-02-01' GROUP BY status",
    'SELECT name, count(*) FROM requestslacycles GROUP BY name',
    "SELECT l.requestid FROM requeststatuschangelog l JOIN requests r ON r.requestid = l.requestid AND r.currentstatus = l.status WHERE r.requestid IN ('10001', '10002', '10003')",
    "SELECT a.id, b.id FROM requestcomments a JOIN requestcomments b ON b.id = a.id WHERE a.requestkey = 'TEST-1' AND b.requestid = '10001'",
    "SELECT a.id, b.requestkey FROM requestcomments a JOIN requestcomments b ON b.id = a.id WHERE a.requestid = '10002' AND b.requestkey = 'ITS-1'",
  ]),
  ...tag('catalog entities', [
    'SELECT s.projectname, t.name FROM servicedesks s JOIN requesttypes t ON t.servicedeskid = s.id',
    'SELECT t.name, count(r.requestid) FROM requesttypes t LEFT JOIN requests r ON r.requesttypeid = t.id AND r.servicedeskid = t.servicedeskid GROUP BY t.name',
    "SELECT t.id, t.name FROM requesttypes t WHERE t.servicedeskid = '2' AND t.name ILIKE '%request%'",
    "SELECT g.name, count(t.id) FROM requesttypegroups g JOIN requesttypes t ON t.servicedeskid = g.servicedeskid AND t.groupids LIKE '%' || g.id || '%' WHERE g.servicedeskid = '1' GROUP BY g.name",
    "SELECT f.fieldid, f.required FROM requesttypefields f WHERE f.servicedeskid = '1' AND f.requesttypeid = '1' AND f.required",
    'SELECT * FROM organizations',
    "SELECT count(*) FROM customers WHERE servicedeskid = '2' AND emailaddress LIKE '%example%'",
    "SELECT c.displayname FROM customers c WHERE c.servicedeskid = '1' AND c.accountid IN (SELECT reporteraccountid FROM requests WHERE servicedeskid = '1')",
    "SELECT c.accountid, count(*) FROM customers c GROUP BY c.accountid HAVING count(*) > 1",
    'SELECT count(*) FROM users WHERE organizationid IS NULL',
    "SELECT q.name, count(qr.requestid) FROM queues q LEFT JOIN queuerequests qr ON qr.servicedeskid = q.servicedeskid AND qr.queueid = q.id WHERE q.servicedeskid = '1' GROUP BY q.name",
    "SELECT * FROM queuerequests WHERE servicedeskid = '1' AND queueid = '1'",
    "SELECT qr.requestkey, r.currentstatus FROM queuerequests qr JOIN requests r ON r.requestid = qr.requestid WHERE qr.servicedeskid = '2'",
    "SELECT * FROM queues WHERE servicedeskid = '1' AND id = '1'",
    "SELECT q.name, q.jql FROM queues q JOIN servicedesks s ON s.id = q.servicedeskid WHERE s.projectkey = 'ITS'",
  ]),
  // Under `GroupIds = …` a request type's row shows the group asked for, not all of its groups.
  ...tag('echoed filter values', [
    {
      sql: "SELECT * FROM RequestTypes WHERE GroupIds = '10'",
      reference: "SELECT id, servicedeskid, '10' AS groupids, name, description, portalid, issuetypeid, searchquery FROM requesttypes WHERE '10' = ANY (string_to_array(groupids, ', '))",
    },
    {
      sql: "SELECT id, groupids FROM requesttypes WHERE servicedeskid = '1' AND groupids IN ('10', '12')",
      reference: "SELECT t.id, g AS groupids FROM requesttypes t, unnest(string_to_array(t.groupids, ', ')) g WHERE t.servicedeskid = '1' AND g IN ('10', '12')",
    },
    "SELECT id, groupids FROM requesttypes WHERE groupids LIKE '%,%'",
  ]),
  // The API matches every word of Query in title or excerpt, case-insensitively; the rows echo Query.
  ...tag('knowledge base search', [
    {
      sql: "SELECT servicedeskid, title, query FROM knowledgebasearticles WHERE servicedeskid = '1' AND query = 'password'",
      reference: "SELECT servicedeskid, title, 'password' AS query FROM knowledgebasearticles WHERE servicedeskid = '1' AND lower(title || ' ' || excerpt) LIKE '%password%'",
    },
    {
      sql: "SELECT title, sourcepageid, servicedeskid FROM knowledgebasearticles WHERE query = 'Reset PASSWORD'",
      reference: "SELECT title, sourcepageid, NULL AS servicedeskid FROM knowledgebasearticles WHERE lower(title || ' ' || excerpt) LIKE '%reset%' AND lower(title || ' ' || excerpt) LIKE '%password%'",
    },
    {
      sql: "SELECT s.projectkey, count(a.title) FROM servicedesks s JOIN knowledgebasearticles a ON a.servicedeskid = s.id WHERE a.query = 'the' GROUP BY s.projectkey",
      reference: "SELECT s.projectkey, count(a.title) FROM servicedesks s JOIN knowledgebasearticles a ON a.servicedeskid = s.id WHERE lower(a.title || ' ' || a.excerpt) LIKE '%the%' GROUP BY s.projectkey",
    },
  ]),
  ...tag('parent-scoped rows', [
    { sql: "SELECT * FROM organizations WHERE servicedeskid = '1'", reference: "SELECT * FROM jsm_scoped.organizations WHERE servicedeskid = '1'" },
    {
      sql: 'SELECT s.projectkey, o.name FROM servicedesks s JOIN organizations o ON o.servicedeskid = s.id',
      reference: 'SELECT s.projectkey, o.name FROM servicedesks s JOIN jsm_scoped.organizations o ON o.servicedeskid = s.id',
    },
    {
      sql: 'SELECT o.name, count(u.accountid) FROM organizations o LEFT JOIN users u ON u.organizationid = o.id GROUP BY o.name',
      reference: 'SELECT o.name, count(u.accountid) FROM organizations o LEFT JOIN jsm_scoped.users u ON u.organizationid = o.id GROUP BY o.name',
    },
    { sql: "SELECT * FROM users WHERE organizationid = '1'", reference: "SELECT * FROM jsm_scoped.users WHERE organizationid = '1'" },
    {
      sql: "SELECT u.displayname, u.organizationid FROM users u WHERE u.organizationid IN ('1', '2') AND u.emailaddress LIKE '%.example%'",
      reference: "SELECT u.displayname, u.organizationid FROM jsm_scoped.users u WHERE u.organizationid IN ('1', '2') AND u.emailaddress LIKE '%.example%'",
    },
  ]),
];

/** Session views over JSM relations; run first, on a session that has loaded little. */
export const VIEW_QUERIES: CorrectnessQuery[] = [
  ...tag('views', [
    // first in a fresh session: only desk 2's requests are loaded when the view over desk 1 is read
    "SELECT count(*) FROM requests WHERE servicedeskid = '2'",
    {
      setup: ["CREATE VIEW cv_desk1_open AS SELECT * FROM requests WHERE servicedeskid = '1' AND currentstatuscategory <> 'DONE'"],
      sql: "SELECT requestid FROM cv_desk1_open WHERE createddate > '2024-02-01'",
    },
    {
      setup: ['CREATE VIEW cv_desk_counts AS SELECT s.projectkey, count(r.requestid) AS n FROM servicedesks s LEFT JOIN requests r ON r.servicedeskid = s.id GROUP BY s.projectkey'],
      sql: 'SELECT * FROM cv_desk_counts ORDER BY projectkey',
      ordered: true,
    },
    {
      setup: ["CREATE TEMP VIEW cv_its AS SELECT requestid, requestkey, summary FROM requests WHERE servicedeskid = '2'"],
      sql: "SELECT count(*) FROM cv_its WHERE summary LIKE '%i%'",
    },
    { sql: "SELECT requestid FROM cv_desk1_open WHERE requestid IN ('10001', '10003', '10004')" },
    { sql: 'SELECT v.requestkey, s.projectname FROM cv_its v JOIN servicedesks s ON s.id = \'2\'' },
    {
      setup: ["CREATE VIEW cv_comment_counts AS SELECT r.requestid, count(c.id) AS comments FROM requests r LEFT JOIN requestcomments c ON c.requestid = r.requestid GROUP BY r.requestid"],
      sql: 'SELECT * FROM cv_comment_counts WHERE comments > 2',
    },
  ]),
];
