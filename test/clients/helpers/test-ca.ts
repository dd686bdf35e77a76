import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './run.ts';

export interface TestPki {
  dir: string;
  /** The CA that signed the server certificate (PEM file and contents). */
  caCertPath: string;
  caCert: string;
  /** A second CA that signed nothing the server presents: verify-full against it must fail. */
  otherCaCertPath: string;
  otherCaCert: string;
  serverCertPath: string;
  serverKeyPath: string;
  remove(): Promise<void>;
}

/**
 * A throwaway CA and a server certificate for localhost and 127.0.0.1, made with the openssl CLI
 * (P-256 keys: quick to generate). Valid for two days.
 */
export async function makeTestPki(openssl: string): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'jsm-pg-pki-'));
  const p = (name: string) => join(dir, name);
  const ssl = async (args: string[]) => {
    const r = await run(openssl, args, { cwd: dir, timeoutMs: 20_000 });
    if (r.code !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const caExt = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  for (const ca of ['ca', 'other-ca'])
    await ssl(['req', '-x509', ...newKey, '-keyout', p(`${ca}.key`), '-out', p(`${ca}.crt`), '-days', '2', '-subj', `/CN=jsm-pg test ${ca}`, ...caExt]);

  await ssl(['req', ...newKey, '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=localhost']);
  // libpq's verify-full checks the subjectAltName entries, so both the name and the address are listed.
  await writeFile(p('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  await ssl(['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('server.crt'), '-days', '2', '-extfile', p('server.ext')]);

  return {
    dir,
    caCertPath: p('ca.crt'),
    caCert: await readFile(p('ca.crt'), 'utf8'),
    otherCaCertPath: p('other-ca.crt'),
    otherCaCert: await readFile(p('other-ca.crt'), 'utf8'),
    serverCertPath: p('server.crt'),
    serverKeyPath: p('server.key'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
