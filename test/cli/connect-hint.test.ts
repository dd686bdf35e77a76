import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { psqlCommand } from '../../src/cli/connect-hint.ts';
import { readFirstLine, readNewPassword } from '../../src/cli/password-input.ts';

describe('psqlCommand', () => {
  const demoUser = { name: 'demo', password: 'demo' };

  it('prints a full URL in demo mode', () => {
    expect(psqlCommand({ host: '127.0.0.1', port: 5432, tls: false, demoUser })).toBe('psql "postgresql://demo:demo@127.0.0.1:5432/jsm"');
    expect(psqlCommand({ host: '0.0.0.0', port: 6000, tls: true, demoUser })).toBe('psql "postgresql://demo:demo@127.0.0.1:6000/jsm?sslmode=require"');
    expect(psqlCommand({ host: '::', port: 6000, tls: false, demoUser })).toBe('psql "postgresql://demo:demo@[::1]:6000/jsm"');
  });

  it('leaves the user to fill in otherwise', () => {
    expect(psqlCommand({ host: 'db.internal', port: 5433, tls: false })).toBe('psql "host=db.internal port=5433 user=<you> dbname=jsm"');
    expect(psqlCommand({ host: '0.0.0.0', port: 5433, tls: true })).toBe('psql "host=127.0.0.1 port=5433 user=<you> dbname=jsm sslmode=require"');
  });
});

describe('password input', () => {
  it('reads only the first line of a pipe', async () => {
    const input = new PassThrough();
    const line = readFirstLine(input);
    input.write('sec');
    input.write('ret\r\nnext\n');
    expect(await line).toBe('secret');
  });

  it('accepts a last line without newline and rejects an empty one', async () => {
    const ok = new PassThrough();
    ok.end('pw');
    expect(await readNewPassword(ok, new PassThrough())).toBe('pw');
    const empty = new PassThrough();
    empty.end('');
    await expect(readNewPassword(empty, new PassThrough())).rejects.toThrow(/no password/);
  });
});
