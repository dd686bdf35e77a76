import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativePgBinDir } from './require-tool.ts';
import { freePort } from './free-port.ts';

export interface NativePostgres {
  readonly port: number;
  /** Superuser URL (trust authentication on 127.0.0.1; a password, if given, is ignored). */
  readonly url: string;
  /** Directory of the server binaries (pgbench, psql of the same version live there too). */
  readonly binDir: string;
  stop(): Promise<void>;
}

/** PostgreSQL refuses to run as root; under root the server runs as this account. */
const SERVICE_USER = 'postgres';
const FALLBACK_USER = 'jsmpgtest';

function userIds(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : undefined;
}

/** The account to run the server as when we are root: Debian's `postgres`, else a system user made for it. */
function serverUser(): { name: string; uid: number; gid: number } {
  for (const name of [SERVICE_USER, FALLBACK_USER]) {
    const ids = userIds(name);
    if (ids) return { name, ...ids };
  }
  const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', FALLBACK_USER], { encoding: 'utf8' });
  const ids = userIds(FALLBACK_USER);
  if (made.status !== 0 || !ids) throw new Error(`native-pg: cannot create user ${FALLBACK_USER}: ${made.stderr}`);
  return { name: FALLBACK_USER, ...ids };
}


function exec(argv: string[], asUser: string | undefined): Promise<{ code: number | null; out: string }> {
  const [cmd, args] = asUser ? ['runuser', ['-u', asUser, '--', ...argv]] : [argv[0]!, argv.slice(1)];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/**
 * A throwaway native PostgreSQL server: initdb into a temp directory, start on a free port on
 * 127.0.0.1 (durability off: it holds test data only), stop and delete on stop(). Runs the
 * server as a non-root user when the tests run as root (as CI does).
 */
export async function startNativePostgres(): Promise<NativePostgres> {
  const binDir = nativePgBinDir();
  if (!binDir) throw new Error('native-pg: PostgreSQL server binaries not found (install the Debian package postgresql)');
  const user = process.getuid?.() === 0 ? serverUser() : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'jsm-pg-native-'));
  const data = join(dir, 'data');
  if (user) await chown(dir, user.uid, user.gid);
  await chmod(dir, 0o700);

  const initdb = await exec([join(binDir, 'initdb'), '-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], user?.name);
  if (initdb.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`native-pg: initdb failed:\n${initdb.out}`);
  }

  const pgCtl = join(binDir, 'pg_ctl');
  let port = 0;
  let started: { code: number | null; out: string } = { code: null, out: '' };
  // A free port can be taken between probing and binding: try a few.
  for (let attempt = 0; attempt < 3 && started.code !== 0; attempt++) {
    port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=120`;
    started = await exec([pgCtl, '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start'], user?.name);
  }
  if (started.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`native-pg: pg_ctl start failed:\n${started.out}`);
  }

  // If the test process dies without stop(), do not leave a server behind.
  const onExit = () => {
    const argv = [pgCtl, '-D', data, '-m', 'immediate', 'stop'];
    if (user) spawnSync('runuser', ['-u', user.name, '--', ...argv]);
    else spawnSync(argv[0]!, argv.slice(1));
  };
  process.once('exit', onExit);

  let stopped = false;
  return {
    port,
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    binDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      await exec([pgCtl, '-D', data, '-m', 'fast', '-w', 'stop'], user?.name);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
