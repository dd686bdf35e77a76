/**
 * "The connector exposes each queue in your service desk as a view": one engine view per queue,
 * over jsm.queuerequests filtered by desk and queue, so the planner pushes both into the queue's
 * issue call. Built at session start from the queues the identity can see.
 */
import { JSM_SCHEMA, ROWS_SCHEMA } from './registry.ts';
import { quoteLiteral, slugify as slug } from './sql.ts';

export interface QueueInfo {
  readonly id: string;
  readonly name: string;
  readonly serviceDeskId: string;
}

/** A desk's project key names its views; without it the desk ID does. */
export interface DeskInfo {
  readonly id: string;
  readonly projectKey?: string;
}

const MAX_IDENTIFIER = 63;

/** `queue_<desk key>_<queue name>`, lower case, unique, at most 63 bytes (queue ID appended on a clash). */
export function queueViewNames(queues: readonly QueueInfo[], desks: readonly DeskInfo[]): Map<QueueInfo, string> {
  const keyOf = new Map(desks.map((d) => [d.id, slug(d.projectKey ?? '') || d.id]));
  const used = new Set<string>();
  const names = new Map<QueueInfo, string>();
  for (const q of queues) {
    const base = `queue_${keyOf.get(q.serviceDeskId) ?? slug(q.serviceDeskId)}_${slug(q.name) || q.id}`.slice(0, MAX_IDENTIFIER);
    let name = base;
    if (used.has(name)) name = `${base.slice(0, MAX_IDENTIFIER - q.id.length - 1)}_${q.id}`;
    for (let i = 2; used.has(name); i++) name = `${base.slice(0, MAX_IDENTIFIER - q.id.length - String(i).length - 2)}_${q.id}_${i}`;
    used.add(name);
    names.set(q, name);
  }
  return names;
}

/**
 * CREATE VIEW statements, one per queue the connection exposes (`keep`: the Views property), in
 * schema jsm. `SELECT *` is expanded when the view is created: run this after any custom field
 * columns were added to queuerequests.
 */
export function queueViewsDdl(queues: readonly QueueInfo[], desks: readonly DeskInfo[], keep: (name: string) => boolean = () => true): string {
  const names = queueViewNames(queues, desks);
  return queues
    .filter((q) => keep(names.get(q)!))
    .map((q) => {
      const rel = `${JSM_SCHEMA}.${names.get(q)!}`;
      const desk = desks.find((d) => d.id === q.serviceDeskId)?.projectKey ?? q.serviceDeskId;
      return [
        // jsm.queuerequests' own body, not the view itself: a connection that does not expose
        // QueueRequests (Views, src/catalog/exposure.ts) moves that view out of reach, not its rows
        `CREATE OR REPLACE VIEW ${rel} AS SELECT * FROM ${ROWS_SCHEMA}.queuerequests WHERE ${ROWS_SCHEMA}.fetched('queuerequests') AND servicedeskid = ${quoteLiteral(q.serviceDeskId)} AND queueid = ${quoteLiteral(q.id)};`,
        `COMMENT ON VIEW ${rel} IS ${quoteLiteral(`The requests in queue "${q.name}" (ID ${q.id}) of service desk ${desk}.`)};`,
      ].join('\n');
    })
    .join('\n');
}
