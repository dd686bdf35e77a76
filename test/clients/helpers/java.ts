import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { javaCompiler } from '../../helpers/require-tool.ts';
import { run, type RunResult } from './run.ts';

const SOURCES = fileURLToPath(new URL('../java/', import.meta.url));

export interface JavaPrograms {
  /** Runs a compiled main class; returns its output. */
  run(main: string, args: string[], opts?: { timeoutMs?: number }): Promise<RunResult>;
  dispose(): Promise<void>;
}

/** Compiles test/clients/java/<name>.java against the pgjdbc jar into a temp dir, at test time. */
export async function compileJava(names: string[], java: string, jdbcJar: string): Promise<JavaPrograms> {
  const out = await mkdtemp(join(tmpdir(), 'jsm-pg-java-'));
  const javac = javaCompiler();
  if (!javac) throw new Error('no Java compiler');
  const r = await run(javac[0]!, [...javac.slice(1), '-nowarn', '-cp', jdbcJar, '-d', out, ...names.map((n) => join(SOURCES, `${n}.java`))], { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`javac failed:\n${r.stdout}\n${r.stderr}`);
  const classpath = [jdbcJar, out].join(delimiter);
  return {
    run: (main, args, opts = {}) => run(java, ['-Xshare:auto', '-XX:TieredStopAtLevel=1', '-cp', classpath, main, ...args], { timeoutMs: opts.timeoutMs ?? 120_000 }),
    dispose: () => rm(out, { recursive: true, force: true }),
  };
}

export interface CheckLines {
  ok: Map<string, string>;
  failed: Map<string, string>;
  /** "row" lines: values the test compares. */
  rows: Map<string, string>;
  /** The program reached its end. */
  done: boolean;
}

/** Parses the "ok|FAIL|row <tab> NAME <tab> detail" lines the Java test programs print. */
export function parseChecks(stdout: string): CheckLines {
  const res: CheckLines = { ok: new Map(), failed: new Map(), rows: new Map(), done: false };
  for (const line of stdout.split('\n')) {
    if (line === 'done') res.done = true;
    const [kind, name, detail] = line.split('\t');
    if (name === undefined) continue;
    if (kind === 'ok') res.ok.set(name, detail ?? '');
    else if (kind === 'FAIL') res.failed.set(name, detail ?? '');
    else if (kind === 'row') res.rows.set(name, detail ?? '');
  }
  return res;
}
