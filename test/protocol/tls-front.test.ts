/**
 * The SSLRequest upgrade under hostile input: bytes sent with the request, a handshake that is not
 * TLS, a handshake that stalls. Each ends that connection alone.
 */
import tls from 'node:tls';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from '../clients/helpers/describe-tools.ts';
import { makeTestPki, type TestPki } from '../clients/helpers/test-ca.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { int32, RawClient, SSL_REQUEST, startupMessage, startupPacket } from './helpers/raw-client.ts';

const SSL = startupPacket(int32(SSL_REQUEST));

describeWithTools(['openssl'], 'SSLRequest and TLS under hostile input', (tools) => {
  let pki: TestPki;
  let stack: TestStack;

  beforeAll(async () => {
    pki = await makeTestPki(tools.openssl.path!);
    stack = await startStack({ argv: ['--tls-cert', pki.serverCertPath, '--tls-key', pki.serverKeyPath, '--auth-timeout', '2', '--pool-size', '0'] });
  });
  afterAll(async () => {
    await stack?.close();
    await pki?.remove();
  });

  it('bytes sent along with the SSLRequest are refused: they would be taken as if they had come encrypted (CVE-2021-23214)', async () => {
    const c = await RawClient.connect(stack.port);
    c.send(Buffer.concat([SSL, startupMessage({ user: 'demo' })]));
    expect(await c.closedWith()).toMatchObject({ S: 'FATAL', C: '08P01', M: 'received unencrypted data after SSL request' });
  });

  it('a client that answers S with something other than TLS is closed; TLS clients still connect', async () => {
    const c = await RawClient.connect(stack.port);
    c.send(SSL);
    await c.until(() => c.received.length > 0);
    expect(c.received.toString()).toBe('S');
    c.send(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await c.closedPromise;
    const client = new pg.Client({ host: 'localhost', port: stack.port, user: 'demo', password: 'demo', database: 'jsm', ssl: { ca: pki.caCert } });
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
  });

  it('a TLS handshake that stalls is ended by the authentication timeout; one completed but idle gets FATAL 08P01 over TLS', async () => {
    const stalled = await RawClient.connect(stack.port);
    stalled.send(SSL);
    await stalled.until(() => stalled.received.length > 0);
    // half a ClientHello, then nothing
    stalled.send(Buffer.from('160301020001', 'hex'));
    await stalled.closedPromise;

    const raw = await RawClient.connect(stack.port);
    raw.send(SSL);
    await raw.until(() => raw.received.length > 0);
    const secure = tls.connect({ socket: raw.socket, ca: pki.caCert, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    const received: Buffer[] = [];
    secure.on('data', (d) => received.push(d));
    await new Promise((resolve) => secure.once('close', resolve));
    const answer = Buffer.concat(received);
    expect(answer[0]).toBe('E'.charCodeAt(0));
    expect(answer.toString('latin1')).toContain('canceling authentication due to timeout');
  });
});
