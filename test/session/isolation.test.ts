import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';

/**
 * Issue 9: sessions share nothing. Thirty sessions in a row across three gateway users each find
 * the pristine schema, create every kind of object (filled with JSM rows where it holds rows), and
 * try to alter what the gateway owns: every such attempt is 42501, and the next session, of the
 * same or another user, sees nothing of it.
 */
const USERS = { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' };

/** Objects a session leaves behind if engines were reused; each is created under the same name every time. */
const CREATE = [
  "CREATE TABLE leak_t AS SELECT requestkey FROM requests WHERE servicedeskid = '1'",
  "CREATE VIEW leak_v AS SELECT requestkey FROM requests WHERE servicedeskid = '2'",
  "CREATE MATERIALIZED VIEW leak_mv AS SELECT requestkey FROM requests WHERE servicedeskid = '3'",
  "CREATE FUNCTION leak_fn() RETURNS int LANGUAGE sql AS 'SELECT 1'",
  'CREATE TYPE leak_type AS (a int)',
  'CREATE SEQUENCE leak_seq',
  "CREATE TABLE userviews.leak_u AS SELECT id FROM servicedesks",
  'CREATE TEMP TABLE leak_tmp AS SELECT id FROM servicedesks',
  'GRANT SELECT ON leak_t TO PUBLIC',
  "COMMENT ON TABLE leak_t IS 'left behind'",
  "SET leak.setting = 'x'",
  "PREPARE leak_p AS SELECT count(*) FROM requests WHERE servicedeskid = $1",
  "DECLARE leak_c CURSOR WITH HOLD FOR SELECT requestkey FROM requests WHERE servicedeskid = '1'",
  'SELECT pg_advisory_lock(42)',
  'LISTEN leak_channel',
];

/** What a previous session would have left: every count must be 0 in a fresh session. */
const LEFTOVERS = `SELECT
  (SELECT count(*) FROM pg_class WHERE relname LIKE 'leak%') AS relations,
  (SELECT count(*) FROM pg_proc WHERE proname LIKE 'leak%') AS functions,
  (SELECT count(*) FROM pg_type WHERE typname LIKE 'leak%') AS types,
  (SELECT count(*) FROM pg_prepared_statements) AS prepared,
  (SELECT count(*) FROM pg_cursors) AS cursors,
  (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory') AS advisory,
  (SELECT count(*) FROM pg_listening_channels()) AS listening,
  (SELECT count(*) FROM pg_roles WHERE rolname LIKE 'leak%') AS roles,
  (SELECT count(*) FROM pg_description d JOIN pg_class c ON c.oid = d.objoid WHERE c.relname LIKE 'leak%') AS comments,
  coalesce(current_setting('leak.setting', true), '') AS setting,
  current_user AS role`;

/** Statements that would change what the gateway owns, or leave the client role: all 42501. */
const ALTER = [
  'ALTER VIEW jsm.requests RENAME TO gone',
  'DROP VIEW jsm.requests',
  'CREATE OR REPLACE VIEW jsm.requests AS SELECT 1 AS requestid',
  "CREATE OR REPLACE FUNCTION pg_jsm_rows.fetched(relation text) RETURNS boolean LANGUAGE sql AS 'SELECT true'",
  'DROP FUNCTION pg_jsm_rows.fetched(text)',
  'ALTER FUNCTION pg_jsm_rows.fetched(text) RENAME TO unguarded',
  "COMMENT ON VIEW jsm.requests IS 'changed'",
  'ALTER VIEW jsm.requests OWNER TO jsm_client',
  'DROP VIEW jsm.sys_tables',
  'ALTER TABLE jsm.sys_identity ADD COLUMN x int',
  'DROP TABLE jsm.sys_identity',
  'ALTER SCHEMA jsm RENAME TO elsewhere',
  'DROP SCHEMA jsm CASCADE',
  'GRANT SELECT ON pg_jsm_rows.requests TO PUBLIC',
  'SELECT * FROM pg_jsm_rows.requests',
  'ALTER TABLE pg_jsm_rows.requests ADD COLUMN x int',
  'DROP PROCEDURE jsm.clear_cache(text)',
  'CREATE ROLE leak_role',
  'SET ROLE postgres',
  'RESET ROLE',
  'SET SESSION AUTHORIZATION postgres',
  'RESET SESSION AUTHORIZATION',
  "SELECT set_config('role', 'none', false)",
  'ALTER ROLE jsm_client SUPERUSER',
];

describe('sessions share nothing (issue 9)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ users: USERS });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('30 sessions in a row across 3 users: each starts pristine, and every altering statement is 42501', async () => {
    const names = Object.keys(USERS) as (keyof typeof USERS)[];
    const first: Record<string, unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      const user = names[i % names.length]!;
      const c = new pg.Client(`postgresql://${user}:${USERS[user]}@127.0.0.1:${stack.port}/jsm`);
      await c.connect();
      try {
        const before = (await c.query(LEFTOVERS)).rows[0];
        expect(before, `session ${i} (${user})`).toEqual({
          relations: '0', functions: '0', types: '0', prepared: '0', cursors: '0', advisory: '0', listening: '0', roles: '0', comments: '0', setting: '', role: 'jsm_client',
        });
        for (const sql of CREATE) await c.query(sql);
        // the objects hold JSM rows, so a leak would carry data across users
        expect(Number((await c.query('SELECT count(*) FROM leak_t')).rows[0].count)).toBeGreaterThan(0);
        for (const sql of ALTER) {
          const err = await c.query(sql).then(() => undefined, (e: pg.DatabaseError) => e);
          expect(err?.code, `${sql} in session ${i}`).toBe('42501');
        }
        // nothing of the above took effect, and the session still reads JSM
        const still = await c.query("SELECT current_user AS role, count(*) AS n FROM requests WHERE servicedeskid = '1'");
        expect(still.rows[0].role).toBe('jsm_client');
        expect(Number(still.rows[0].n)).toBeGreaterThan(0);
        if (i === 0) first.push(...(await c.query('SELECT * FROM leak_t ORDER BY 1')).rows);
      } finally {
        await c.end();
      }
    }
    expect(first.length).toBeGreaterThan(0);
  }, 600_000); // thirty fresh engines; a bound for a hang, not a timing assertion
});
