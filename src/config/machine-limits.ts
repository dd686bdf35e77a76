// Defaults of --max-sessions and --pool-size from the machine the gateway runs on: every session
// has an SQL engine of its own (a thread with its own copy of the database), so how many fit is a
// question of memory; warm engines are kept where the memory allows a crowd's connects to skip boots.
import { availableParallelism, freemem, totalmem } from 'node:os';

/** RSS an idle session's engine adds (bench/sessions.ts measures it; bench/README.md says where it goes). */
export const ENGINE_RSS_MB = 85;
/** Budgeted per session or warm engine: the idle engine plus room for what a statement works on. */
export const SESSION_BUDGET_MB = 128;
/** The gateway itself: Node, the compiled engine, the simulator in demo mode, the shared scan cache. */
export const GATEWAY_BASE_MB = 256;
/** Share of the machine's memory the gateway plans to use. */
const TOTAL_SHARE = 0.75;
const MAX_SESSIONS_CAP = 1000;
const POOL_CAP = 16;
/** Share of the engines the memory holds that is kept warm, when that is more than one per core. */
const POOL_SHARE = 1 / 8;

export interface MachineFacts {
  /** Bytes: the machine's memory, or the container's limit when lower. */
  totalBytes: number;
  cores: number;
}

export interface MachineLimits {
  maxSessions: number;
  poolSize: number;
  /** Megabytes planned for sessions and warm engines. */
  budgetMb: number;
}

export function machineFacts(): MachineFacts {
  // a cgroup (container) limit, when there is one; without, Node reports a huge number or 0
  const limit = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  const total = totalmem();
  return { totalBytes: limit > 0 ? Math.min(total, limit) : total, cores: availableParallelism() };
}

/** Megabytes of memory free (available) now: a login is refused when another engine would not fit (login-limits.ts). */
export function freeMemoryMb(): number {
  return freemem() / 2 ** 20;
}

/**
 * Warm engines: an eighth of what the memory holds, at least one per core and at most 16, and never
 * more than a quarter of it. A crowd that connects at once is served from the pool without waiting
 * for boots (a boot takes a core for a second or more), and the pool refills only while the machine
 * has a core idle (src/engine/pool.ts), so more warm engines cost memory, not CPU under load:
 * 16 × ~60–85 MB on a machine that holds over 128 engines. Sessions: what 75% of the machine's memory holds after the gateway and the warm
 * engines, at SESSION_BUDGET_MB each. Only the total counts here, so that the defaults are the same
 * at every start; what other processes use at the time is checked at each login (login-limits.ts).
 */
export function machineLimits(facts: MachineFacts = machineFacts()): MachineLimits {
  const mb = (bytes: number) => bytes / 2 ** 20;
  const budgetMb = Math.max(0, mb(facts.totalBytes) * TOTAL_SHARE - GATEWAY_BASE_MB);
  const engines = Math.floor(budgetMb / SESSION_BUDGET_MB);
  const poolSize = Math.max(1, Math.min(POOL_CAP, Math.floor(engines / 4), Math.max(facts.cores, Math.floor(engines * POOL_SHARE))));
  const maxSessions = Math.max(1, Math.min(MAX_SESSIONS_CAP, engines - poolSize));
  return { maxSessions, poolSize, budgetMb: Math.round(budgetMb) };
}

/** How the defaults are made, for --help and the README. */
export const MACHINE_LIMITS_RULE =
  `(${TOTAL_SHARE * 100}% of memory - ${GATEWAY_BASE_MB} MB) / ${SESSION_BUDGET_MB} MB per engine ` +
  `(an idle session's engine takes about ${ENGINE_RSS_MB} MB)`;
