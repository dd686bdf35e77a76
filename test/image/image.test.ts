// The container image, built from this repository's Dockerfile and run in demo mode: it becomes
// healthy on the port given with --port, answers node-postgres and psql, runs JSM queries, runs as
// a non-root user, and ships neither tsx/esbuild (dist/ is prebuilt) nor postgresql-client.
// Needs a Docker engine (DOCKER_HOST; .ci/run starts one with .ci/docker-engine.sh).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/require-tool.ts';

const docker = requireTool('docker');
const psql = requireTool('psql');
const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** Not the image's default (5432), so a health check that ignored --port would never pass. */
const PORT = 6543;
const IMAGE = 'jsm-pg:image-test';

describe.skipIf(!docker.available)('the jsm-pg image', () => {
  // imported here so that a machine without Docker never loads testcontainers
  let container: import('testcontainers').StartedTestContainer;
  let host: string;
  let mapped: number;

  beforeAll(async () => {
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true'; // no container registry here to pull Ryuk from
    const { GenericContainer, Wait } = await import('testcontainers');
    const image = await GenericContainer.fromDockerfile(REPO).build(IMAGE, { deleteOnExit: false });
    container = await image
      .withCommand(['serve', '--host', '0.0.0.0', '--port', String(PORT)])
      .withExposedPorts(PORT)
      .withWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(240_000)
      .start();
    host = container.getHost();
    mapped = container.getMappedPort(PORT);
  }, 900_000);

  afterAll(async () => {
    await container?.stop({ timeout: 10_000 });
  });

  it('answers node-postgres with JSM data', async () => {
    const client = new pg.Client({ host, port: mapped, user: 'demo', password: 'demo', database: 'jsm' });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM requests');
      expect(rows[0]!.n).toBeGreaterThan(0);
      const desks = await client.query('SELECT * FROM ServiceDesks');
      expect(desks.rowCount).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it.skipIf(!psql.available)('answers psql', async () => {
    const { stdout } = await promisify(execFile)(psql.path!, [`postgresql://demo:demo@${host}:${mapped}/jsm`, '-XAtc', 'SELECT count(*) > 0 FROM requests']);
    expect(stdout.trim()).toBe('t');
  });

  it('runs the gateway as a non-root user', async () => {
    const status = await container.exec(['cat', '/proc/1/status']);
    const uid = /^Uid:\s+(\d+)/m.exec(status.output)?.[1];
    expect(uid).toBeDefined();
    expect(uid).not.toBe('0');
    const cmdline = await container.exec(['cat', '/proc/1/cmdline']);
    expect(cmdline.output.split('\0')).toContain('--port');
  });

  it('has a health check that follows --port, and fails where nothing listens', async () => {
    const ok = await container.exec(['node', 'dist/healthcheck.js']);
    expect(ok.exitCode, ok.output).toBe(0);
    const elsewhere = await container.exec(['node', 'dist/healthcheck.js', '--port', '5432']);
    expect(elsewhere.exitCode).toBe(1);
    expect(elsewhere.output).toContain('127.0.0.1:5432');
  });

  it('runs prebuilt JavaScript: no tsx, esbuild, TypeScript sources or postgresql-client in the image', async () => {
    const found = await container.exec(['sh', '-c', 'ls -d node_modules/tsx node_modules/esbuild node_modules/typescript src/cli 2>/dev/null; command -v psql pg_isready; true']);
    expect(found.output.trim()).toBe('');
    const dist = await container.exec(['ls', 'dist']);
    expect(dist.output).toContain('engine-thread.js');
  });
});
