// Prometheus metrics of one gateway: what `GET /metrics` on --metrics-port serves.
// Each gateway owns its Registry (never prom-client's global one), so several gateways in one
// process (tests) keep their own counts. Label values are bounded and never carry a secret:
// outcomes, SQLSTATE classes, HTTP methods and statuses, endpoint templates, relation names.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRICS_PREFIX = 'jsmpg_';

export const StatementOutcome = { Ok: 'ok', Error: 'error', Canceled: 'canceled' } as const;
export type StatementOutcome = (typeof StatementOutcome)[keyof typeof StatementOutcome];

/** Where a statement's plan came from (StatementCaches.plan). */
export type PlanSource = 'session' | 'shared' | 'engine';

/** Read at scrape time, so a gauge is never stale and nothing has to remember to update it. */
export interface GaugeSources {
  sessions(): number;
  idleEngines(): number;
  bootingEngines(): number;
}

/** Seconds; from a few milliseconds (cached reads, catalog queries) to JSM scans of minutes. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

let processRegistry: Registry | undefined;

/**
 * Node's process metrics (CPU, memory, event-loop delay, GC, handles), collected once per process:
 * collectDefaultMetrics starts a GC observer and an event-loop monitor that cannot be stopped, and
 * the values are the process's whatever gateway reports them. Every gateway's registry includes them.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE class (its first two characters): 42 syntax/access, 57 canceled, HV JSM, … */
export function sqlStateClass(code: string | undefined): string {
  return code && SQLSTATE.test(code) ? code.slice(0, 2) : 'XX';
}

export class GatewayMetrics {
  readonly registry: Registry;
  readonly #statements: Counter<'outcome' | 'sqlstate_class'>;
  readonly #latency: Histogram<'outcome'>;
  readonly #apiCalls: Counter<'method' | 'endpoint' | 'status'>;
  readonly #retries: Counter<'endpoint'>;
  readonly #bytes: Counter;
  readonly #cacheHits: Counter<'relation'>;
  readonly #cacheMisses: Counter<'relation'>;
  readonly #rowsLoaded: Counter<'relation'>;
  readonly #plans: Counter<'source'>;
  #sources?: GaugeSources;

  constructor() {
    this.registry = Registry.merge([processMetrics()]);
    const registers = [this.registry];
    const sources = () => this.#sources;
    for (const [name, help, read] of [
      ['sessions', 'Live client sessions.', (s: GaugeSources) => s.sessions()],
      ['engines_idle', 'SQL engines booted and waiting for a session.', (s: GaugeSources) => s.idleEngines()],
      ['engines_booting', 'SQL engines booting for the pool.', (s: GaugeSources) => s.bootingEngines()],
    ] as const) {
      new Gauge({
        name: METRICS_PREFIX + name, help, registers,
        collect() {
          const from = sources();
          if (from) this.set(read(from));
        },
      });
    }
    this.#statements = new Counter({
      name: `${METRICS_PREFIX}statements_total`,
      help: 'Client requests answered with ReadyForQuery (a Query, or extended-protocol messages up to Sync), by outcome and SQLSTATE class (00 when ok).',
      labelNames: ['outcome', 'sqlstate_class'], registers,
    });
    this.#latency = new Histogram({
      name: `${METRICS_PREFIX}statement_duration_seconds`,
      help: 'Time from a Query or Sync received to its ReadyForQuery sent, by outcome.',
      labelNames: ['outcome'], buckets: LATENCY_BUCKETS, registers,
    });
    this.#apiCalls = new Counter({
      name: `${METRICS_PREFIX}jsm_api_calls_total`,
      help: 'HTTP requests sent to JSM (each attempt), by method, endpoint template and status (network_error, timeout or canceled when no response came).',
      labelNames: ['method', 'endpoint', 'status'], registers,
    });
    this.#retries = new Counter({
      name: `${METRICS_PREFIX}jsm_retries_total`,
      help: 'JSM requests retried (429, 503, network errors), by endpoint template.',
      labelNames: ['endpoint'], registers,
    });
    this.#bytes = new Counter({
      name: `${METRICS_PREFIX}jsm_fetched_bytes_total`,
      help: 'Bytes of JSM response bodies.',
      registers,
    });
    this.#cacheHits = new Counter({
      name: `${METRICS_PREFIX}cache_hits_total`,
      help: 'Scan calls served from the shared cache of JSM results, by relation.',
      labelNames: ['relation'], registers,
    });
    this.#cacheMisses = new Counter({
      name: `${METRICS_PREFIX}cache_misses_total`,
      help: 'Scan calls the cache did not serve (fetched, or joined a fetch in flight), by relation.',
      labelNames: ['relation'], registers,
    });
    this.#rowsLoaded = new Counter({
      name: `${METRICS_PREFIX}rows_loaded_total`,
      help: 'JSM rows loaded into session engines, by relation.',
      labelNames: ['relation'], registers,
    });
    this.#plans = new Counter({
      name: `${METRICS_PREFIX}plans_total`,
      help: 'Plans of statements that read JSM relations, by where they came from: the session\'s own cache, one another session of the same scope made (shared), or an EXPLAIN in the engine.',
      labelNames: ['source'], registers,
    });
  }

  /** Where the gauges read sessions and engines from. */
  observe(sources: GaugeSources): void {
    this.#sources = sources;
  }

  statement(outcome: StatementOutcome, seconds: number, sqlState?: string): void {
    this.#statements.inc({ outcome, sqlstate_class: outcome === StatementOutcome.Ok ? '00' : sqlStateClass(sqlState) });
    this.#latency.observe({ outcome }, seconds);
  }

  /** `endpoint` is a path template (no ids, no query string): see src/jsm/endpoint-label.ts. */
  apiCall(method: string, endpoint: string, status: number | 'network_error' | 'timeout' | 'canceled'): void {
    this.#apiCalls.inc({ method, endpoint, status: String(status) });
  }

  apiRetry(endpoint: string): void {
    this.#retries.inc({ endpoint });
  }

  bytesFetched(bytes: number): void {
    if (bytes > 0) this.#bytes.inc(bytes);
  }

  plan(source: PlanSource): void {
    this.#plans.inc({ source });
  }

  cacheHit(relation: string): void {
    this.#cacheHits.inc({ relation });
  }

  cacheMiss(relation: string): void {
    this.#cacheMisses.inc({ relation });
  }

  rowsLoaded(relation: string, rows: number): void {
    this.#rowsLoaded.inc({ relation }, rows);
  }

  /** The text exposition format, and its Content-Type. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
