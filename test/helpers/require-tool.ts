import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * External programs the client tests drive. Each entry says how to find it and which Debian
 * package brings it, so a skip message tells the reader exactly what to install.
 */
export type ToolName = 'psql' | 'pgbench' | 'postgres' | 'java' | 'pgjdbc' | 'psycopg2' | 'isql' | 'psqlodbc' | 'openssl' | 'docker' | 'keytool';

export interface Tool {
  readonly name: ToolName;
  readonly available: boolean;
  /** The executable, jar, interpreter or shared library found. */
  readonly path?: string;
  /** Why it is missing (for the skip message). */
  readonly reason?: string;
}

/** Executable on PATH, or undefined. */
export function which(cmd: string, extraDirs: string[] = []): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...extraDirs]) {
    if (!dir) continue;
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Debian keeps the server binaries out of PATH, one directory per major version; the newest wins. */
export function nativePgBinDir(): string | undefined {
  if (process.env.PG_BINDIR && existsSync(join(process.env.PG_BINDIR, 'initdb'))) return process.env.PG_BINDIR;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  const initdb = which('initdb');
  return initdb ? join(initdb, '..') : undefined;
}

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });

function findPsqlOdbc(): string | undefined {
  // The path the package installed, as dpkg recorded it; then the usual multiarch locations.
  const listed = run('dpkg', ['-L', 'odbc-postgresql']);
  const fromDpkg = listed.status === 0 ? listed.stdout.split('\n').find((l) => l.endsWith('/psqlodbcw.so')) : undefined;
  if (fromDpkg && existsSync(fromDpkg)) return fromDpkg;
  for (const dir of ['/usr/lib/x86_64-linux-gnu/odbc', '/usr/lib/aarch64-linux-gnu/odbc', '/usr/lib/odbc', '/usr/local/lib'])
    if (existsSync(join(dir, 'psqlodbcw.so'))) return join(dir, 'psqlodbcw.so');
  return undefined;
}

function findPsycopg2(): string | undefined {
  // Debian's python3-psycopg2 belongs to the system interpreter, which may not be first on PATH (pyenv).
  for (const py of ['/usr/bin/python3', which('python3')]) {
    if (py && run(py, ['-c', 'import psycopg2']).status === 0) return py;
  }
  return undefined;
}

/** A way to compile Java: javac, or the compiler module of a full JRE image (Debian's default-jre-headless has it). */
export function javaCompiler(): string[] | undefined {
  const javac = which('javac');
  if (javac) return [javac];
  const java = which('java');
  if (java && run(java, ['--list-modules']).stdout.includes('jdk.compiler')) return [java, '-m', 'jdk.compiler/com.sun.tools.javac.Main'];
  return undefined;
}

function probe(name: ToolName): Omit<Tool, 'name' | 'available'> {
  const missing = (what: string, pkg: string) => ({ reason: `${what} not found (Debian package ${pkg})` });
  switch (name) {
    case 'psql': {
      const p = which('psql');
      return p ? { path: p } : missing('psql', 'postgresql-client');
    }
    case 'pgbench': {
      const bindir = nativePgBinDir();
      const p = which('pgbench', bindir ? [bindir] : []);
      return p ? { path: p } : missing('pgbench', 'postgresql-contrib / postgresql');
    }
    case 'postgres': {
      const bindir = nativePgBinDir();
      return bindir && existsSync(join(bindir, 'pg_ctl')) && existsSync(join(bindir, 'postgres'))
        ? { path: bindir }
        : missing('PostgreSQL server binaries (initdb, pg_ctl, postgres)', 'postgresql');
    }
    case 'java': {
      const java = which('java');
      if (!java) return missing('java', 'default-jre-headless');
      return javaCompiler() ? { path: java } : missing('a Java compiler (javac or the jdk.compiler module)', 'default-jdk-headless');
    }
    case 'pgjdbc': {
      const jar = [process.env.PGJDBC_JAR, '/usr/share/java/postgresql.jar'].find((p) => p && existsSync(p));
      return jar ? { path: jar } : missing('the PostgreSQL JDBC driver jar', 'libpostgresql-jdbc-java');
    }
    case 'psycopg2': {
      const py = findPsycopg2();
      return py ? { path: py } : missing('python3 with psycopg2', 'python3-psycopg2');
    }
    case 'isql': {
      const p = which('isql');
      return p ? { path: p } : missing('isql', 'unixodbc');
    }
    case 'psqlodbc': {
      const p = findPsqlOdbc();
      return p ? { path: p } : missing('psqlodbcw.so', 'odbc-postgresql');
    }
    case 'keytool': {
      const p = which('keytool');
      return p ? { path: p } : missing('keytool', 'default-jre-headless');
    }
    case 'openssl': {
      const p = which('openssl');
      return p ? { path: p } : missing('openssl', 'openssl');
    }
    case 'docker': {
      // the engine, not just the client: DOCKER_HOST as testcontainers uses it (.ci/docker-engine.sh starts one)
      const p = which('docker');
      if (!p) return missing('docker', 'docker.io');
      return run(p, ['info']).status === 0 ? { path: p } : { reason: `no Docker engine answers at ${process.env.DOCKER_HOST ?? 'the default socket'} (start one with .ci/docker-engine.sh, then set DOCKER_HOST)` };
    }
  }
}

const found = new Map<ToolName, Tool>();

/**
 * Finds an external tool a test needs. Missing locally, the test is skipped with the reason; in CI
 * (CI=true) a missing tool is an error, so a broken install step cannot pass as a green run.
 */
export function requireTool(name: ToolName): Tool {
  let tool = found.get(name);
  if (!tool) {
    const r = probe(name);
    tool = { name, available: Boolean(r.path), ...r };
    found.set(name, tool);
  }
  if (!tool.available && process.env.CI === 'true') throw new Error(`CI needs ${name}: ${tool.reason}; install it in .ci/run`);
  return tool;
}
