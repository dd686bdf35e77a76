/** Parameter and body parsing shared by the route modules; every failure is a 400 in the API's error shape. */
import { badRequest } from './errors.ts';
import type { SimUser } from './model.ts';
import { integerParam, pageJson, readPage } from './paging.ts';
import type { Reply, RouteContext } from './router.ts';
import type { Store } from './store.ts';

/** A 200 with one page of `items`, paged by the caller's start/limit (limit capped at `maxLimit`). */
export function listReply<T>(ctx: RouteContext, items: readonly T[], maxLimit: number, render: (item: T) => unknown): Reply {
  return { status: 200, body: pageJson(ctx.view.origin, ctx.url.pathname, ctx.query, items, readPage(ctx.query, maxLimit), render) };
}

export function boolParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  throw badRequest(`The value '${raw}' of parameter '${name}' is not a boolean.`, 'sd.api.parameter.invalid.boolean', [name]);
}

/** Multi-value integer parameter (`a=1&a=2` or `a=1,2`), returned as canonical id strings. */
export function intListParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((raw) => raw.split(','))
    .filter((raw) => raw.trim() !== '')
    .map((raw) => String(integerParam(raw, name)));
}

/** An optional boolean body field (such as `public`), `fallback` when absent. */
export function booleanField(body: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = body[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw badRequest(`The field '${key}' must be a boolean.`, 'sd.api.field.invalid', [key]);
  return value;
}

export function stringField(body: Record<string, unknown>, key: string, required: true): string;
export function stringField(body: Record<string, unknown>, key: string, required?: false): string | undefined;
export function stringField(body: Record<string, unknown>, key: string, required = false): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (required) throw badRequest(`The field '${key}' is required.`, 'sd.api.field.required', [key]);
    return undefined;
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw badRequest(`The field '${key}' must be a string.`, 'sd.api.field.invalid', [key]);
  const text = String(value);
  if (required && text.trim() === '') throw badRequest(`The field '${key}' must not be empty.`, 'sd.api.field.required', [key]);
  return text;
}

function stringList(body: Record<string, unknown>, key: string): string[] {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw badRequest(`The field '${key}' must be a list of strings.`, 'sd.api.field.invalid', [key]);
  }
  return value as string[];
}

/** Resolves `accountIds` and (Data Center style) `usernames`; unknown or no users are a 400. */
export function usersFromBody(store: Store, body: Record<string, unknown>): SimUser[] {
  const byId = stringList(body, 'accountIds').map((id) => ({ id, user: store.user(id) }));
  const byName = stringList(body, 'usernames').map((id) => ({ id, user: store.userByLogin(id) }));
  const all = [...byId, ...byName];
  if (all.length === 0) throw badRequest('Provide at least one user in accountIds or usernames.', 'sd.api.users.missing');
  const unknown = all.filter((u) => !u.user).map((u) => u.id);
  if (unknown.length > 0) throw badRequest(`These users do not exist: ${unknown.join(', ')}`, 'sd.api.users.not.found', unknown);
  return [...new Map(all.map((u) => [u.user!.accountId, u.user!])).values()];
}

/** Case-insensitive substring match; `*` in the term works as a wildcard. */
export function textMatcher(term: string): (text: string) => boolean {
  const pattern = term.trim().split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const regex = new RegExp(pattern, 'i');
  return (text) => regex.test(text);
}
