// What the gateway reads from the JSM site itself while starting (and, for queues, every CacheTTL):
// the site's custom fields and queues, which the catalog turns into columns and views.
import type { Logger } from 'pino';
import { withCustomFields, type RequestTypeField } from '../catalog/custom-fields.ts';
import { queueViewsDdl, type DeskInfo, type QueueInfo } from '../catalog/queue-views.ts';
import type { Catalog } from '../catalog/registry.ts';
import { PgError, SqlState } from '../errors/index.ts';
import type { JsmClient } from '../jsm/index.ts';

const SD = '/rest/servicedeskapi';

async function all<T>(jsm: JsmClient, path: string, query: Record<string, string> = {}): Promise<T[]> {
  const out: T[] = [];
  for await (const page of jsm.paginate<T>(path, query)) out.push(...page);
  return out;
}

/** IncludeCustomFields=true: the site's custom request fields become typed columns (one call per request type, at start). */
export async function catalogWithCustomFields(jsm: JsmClient, base: Catalog, logger: Logger): Promise<Catalog> {
  const desks = await all<{ id: string }>(jsm, `${SD}/servicedesk`);
  const fields = new Map<string, RequestTypeField>();
  for (const d of desks) {
    const types = await all<{ id: string }>(jsm, `${SD}/servicedesk/${encodeURIComponent(d.id)}/requesttype`);
    for (const t of types) {
      const body = await jsm.get<{ requestTypeFields?: RequestTypeField[] }>(
        `${SD}/servicedesk/${encodeURIComponent(d.id)}/requesttype/${encodeURIComponent(t.id)}/field`, { expand: 'hiddenFields' });
      for (const f of body.requestTypeFields ?? []) if (f.fieldId.startsWith('customfield_')) fields.set(f.fieldId, f);
    }
  }
  logger.info({ customFields: fields.size }, 'IncludeCustomFields: custom fields added as columns');
  return withCustomFields(base, [...fields.values()]);
}

/**
 * One view per queue of every desk the identity may see and `keep` accepts (DDL to run in a session's engine).
 * Queues are agent-only: for an identity that may not list them there are no queue views.
 */
export async function queueViewsForSite(jsm: JsmClient, logger: Logger, keep?: (name: string) => boolean): Promise<string> {
  try {
    const desks = await all<{ id: string; projectKey?: string }>(jsm, `${SD}/servicedesk`);
    const queues: QueueInfo[] = [];
    for (const d of desks) {
      const qs = await all<{ id: string; name: string }>(jsm, `${SD}/servicedesk/${encodeURIComponent(d.id)}/queue`);
      queues.push(...qs.map((q) => ({ id: q.id, name: q.name, serviceDeskId: d.id })));
    }
    return queueViewsDdl(queues, desks.map((d): DeskInfo => ({ id: d.id, projectKey: d.projectKey })), keep);
  } catch (err) {
    logger.warn(...siteProblem(err));
    return '';
  }
}

/**
 * The warning for a failed read of the site's queues, which is also the first thing the gateway asks
 * the site at start: an unreachable site or rejected credentials are said there, with the URL and
 * the error, rather than at the first query.
 */
function siteProblem(err: unknown): [Record<string, unknown>, string] {
  const e = err instanceof PgError ? err : undefined;
  const fields = { code: e?.code, error: err instanceof Error ? err.message : String(err), hint: e?.fields.hint };
  if (e?.code === SqlState.InsufficientPrivilege) return [fields, 'queue views not created: the JSM identity cannot list queues'];
  if (e?.code === SqlState.InvalidAuthorizationSpecification || e?.code === SqlState.InvalidPassword)
    return [fields, `JSM rejected the gateway's credentials: queries that read JSM relations will fail with ${e.code} until they are fixed`];
  const what = e?.code === SqlState.FdwUnableToEstablishConnection ? 'JSM site not reachable' : 'JSM site failed to answer';
  return [fields, `${what}: ${fields.error}; queries that read JSM relations will fail with ${e?.code ?? SqlState.FdwError} until it answers`];
}
