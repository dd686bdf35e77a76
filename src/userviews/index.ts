/**
 * User-defined views (issue 13, the seed's "User Defined Views"): views a user defines once, in the
 * UserDefinedViews JSON file or with CREATE/ALTER/DROP LOCAL VIEW, that every session of theirs
 * sees as real engine views in the user views schema (UserViewsSchemaName), so psql `\dv`, JDBC
 * metadata and the sys_* tables list them and the engine merges their predicates with the query.
 *
 * Whose views: a UserDefinedViews path containing `{user}` gives each gateway user a file of their
 * own (`{user}` replaced by the login name); any other path is one set shared by every user. With
 * no path, each user's views live in the gateway's memory until it stops.
 */
import type { Logger } from 'pino';
import { PgError, SqlState } from '../errors/index.ts';
import { SessionUserViews } from './session-views.ts';
import { UserViewStore } from './store.ts';

export { UserViewStore, type UserView } from './store.ts';
export { SessionUserViews } from './session-views.ts';

const USER_PLACEHOLDER = '{user}';

/** The schema's engine name: lower case, a plain identifier (it is written into DDL unquoted). */
export function userViewsSchemaName(value: string): string {
  const name = value.trim().toLowerCase();
  if (!/^[a-z_][a-z0-9_]*$/.test(name) || name.length > 63 || name.startsWith('pg_') || ['jsm', 'public', 'information_schema'].includes(name))
    throw new PgError(SqlState.InvalidParameterValue, `UserViewsSchemaName "${value}" cannot be used`, {
      hint: 'Use a plain identifier (letters, digits, underscores) other than jsm, public, information_schema or pg_*.',
    });
  return name;
}

/** A login name as part of a file name: anything but letters, digits, '.', '-', '_' and '@' is escaped. */
const fileSafe = (user: string) => user.replace(/[^A-Za-z0-9._@-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/^\.+/, (d) => '%2e'.repeat(d.length));

export class UserViews {
  private readonly stores = new Map<string, Promise<UserViewStore>>();

  constructor(private readonly opts: { path: string; schema: string; logger: Logger }) {}

  get schema(): string {
    return this.opts.schema;
  }

  /** Whether each user has their own set (the path names `{user}`, or there is no file). */
  get perUser(): boolean {
    return !this.opts.path || this.opts.path.includes(USER_PLACEHOLDER);
  }

  /** At start: a shared file is read now, so a bad one stops the gateway with a message naming it. */
  async start(): Promise<void> {
    if (!this.perUser) await this.forUser('');
  }

  forUser(user: string): Promise<UserViewStore> {
    const key = this.perUser ? user : '';
    let store = this.stores.get(key);
    if (!store) {
      const path = this.opts.path ? this.opts.path.split(USER_PLACEHOLDER).join(fileSafe(user)) : undefined;
      store = UserViewStore.open(path, this.opts.logger);
      this.stores.set(key, store);
      store.catch(() => this.stores.delete(key)); // a bad file is read again by the next session
    }
    return store;
  }

  /** A session's side of its user's views (install them into its engine before its first statement). */
  async session(user: string, logger: Logger): Promise<SessionUserViews> {
    return new SessionUserViews(await this.forUser(user), this.opts.schema, logger);
  }

  async close(): Promise<void> {
    const all = await Promise.allSettled(this.stores.values());
    for (const s of all) if (s.status === 'fulfilled') s.value.close();
  }
}
