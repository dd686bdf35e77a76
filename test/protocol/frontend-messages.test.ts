import { describe, expect, it } from 'vitest';
import * as fe from '../../src/protocol/frontend-messages.ts';
import { checkMessage } from '../../src/protocol/message-rules.ts';
import { CANCEL_REQUEST, cstr, GSSENC_REQUEST, int16, int32, msg, PROTOCOL_3, SSL_REQUEST, startupMessage, startupPacket } from './helpers/raw-client.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const protocolViolation = expect.objectContaining({ code: '08P01' });

/** Bytes as node-postgres 8 sends them for `client.query('SELECT $1::int AS x', [5])`. */
const PG_PARSE = Buffer.concat([Buffer.from('P'), hex('0000001b 00'), Buffer.from('SELECT $1::int AS x'), hex('00 0000')]);
const PG_BIND = Buffer.concat([Buffer.from('B'), hex('00000015 00 00 0001 0000 0001 00000001'), Buffer.from('5'), hex('0001 0000')]);
const PG_DESCRIBE = Buffer.concat([Buffer.from('D'), hex('00000006'), Buffer.from('P'), hex('00')]);
const PG_EXECUTE = Buffer.concat([Buffer.from('E'), hex('00000009 00 00000000')]);

/** Messages after login whose layout is fixed: any truncation or extension is malformed. */
const FIXED_LAYOUT: Record<string, Buffer> = {
  Query: msg('Q', cstr('SELECT 1')),
  Parse: PG_PARSE,
  Bind: PG_BIND,
  Describe: PG_DESCRIBE,
  Execute: PG_EXECUTE,
  Close: msg('C', Buffer.concat([Buffer.from('S'), cstr('s1')])),
  CopyFail: msg('f', cstr('aborted by the user')),
  FunctionCall: msg('F', Buffer.concat([int32(1598), int16(1), int16(0), int16(1), int32(2), Buffer.from('42'), int16(0)])),
  Sync: msg('S'),
  Flush: msg('H'),
  Terminate: msg('X'),
  CopyDone: msg('c'),
};

/** The same bytes with the length field rewritten to match a new body. */
function withBody(m: Buffer, body: Buffer): Buffer {
  return msg(m[0]!, body);
}

describe('decoders of the messages sent after login', () => {
  it('decode node-postgres fixtures', () => {
    expect(fe.readParse(PG_PARSE)).toEqual({ name: '', sql: 'SELECT $1::int AS x', paramTypes: [] });
    const bind = fe.readBind(PG_BIND);
    expect(bind).toMatchObject({ portal: '', statement: '', formats: [0], resultFormats: [0] });
    expect(bind.values.map((v) => v && Buffer.from(v).toString())).toEqual(['5']);
    expect(fe.readDescribe(PG_DESCRIBE)).toEqual({ kind: 'P', name: '' });
    expect(fe.readExecute(PG_EXECUTE)).toEqual({ portal: '', maxRows: 0 });
    expect(fe.readFunctionCall(FIXED_LAYOUT.FunctionCall!)).toMatchObject({ oid: 1598, formats: [0], resultFormat: 0 });
  });

  it('every valid message passes the gateway check', () => {
    for (const [name, m] of Object.entries(FIXED_LAYOUT)) expect(() => checkMessage(m), name).not.toThrow();
    expect(() => checkMessage(msg('d', Buffer.from('any bytes at all\0\xff')))).not.toThrow();
  });

  it('every truncation and every extension by a byte of a fixed-layout message is 08P01', () => {
    for (const [name, m] of Object.entries(FIXED_LAYOUT)) {
      const body = m.subarray(5);
      for (let n = 0; n < body.length; n++) expect(() => checkMessage(withBody(m, body.subarray(0, n))), `${name} cut to ${n}`).toThrow(protocolViolation);
      // a 0 byte is what a string terminator would look like: still too much
      expect(() => checkMessage(withBody(m, Buffer.concat([body, Buffer.from([0])]))), `${name} + 1`).toThrow(protocolViolation);
    }
  });

  it('refuses impossible Bind counts and value lengths', () => {
    const head = Buffer.concat([cstr(''), cstr('')]);
    const cases: Record<string, Buffer> = {
      '30000 parameter formats, none sent': Buffer.concat([head, int16(30000)]),
      'negative format count': Buffer.concat([head, int16(-1), int16(0), int16(0)]),
      'negative value count': Buffer.concat([head, int16(0), int16(-5), int16(0)]),
      'value longer than the message': Buffer.concat([head, int16(0), int16(1), int32(1000), Buffer.from('x'), int16(0)]),
      'value length -2': Buffer.concat([head, int16(0), int16(1), int32(-2), int16(0)]),
      'value length -2^31': Buffer.concat([head, int16(0), int16(1), int32(-(2 ** 31)), int16(0)]),
      'result formats missing': Buffer.concat([head, int16(0), int16(0)]),
      'unterminated statement name': Buffer.concat([cstr(''), Buffer.from('s1')]),
    };
    for (const [name, body] of Object.entries(cases)) expect(() => fe.readBind(msg('B', body)), name).toThrow(protocolViolation);
    // NULL (-1) and empty values are fine
    const ok = fe.readBind(msg('B', Buffer.concat([head, int16(0), int16(2), int32(-1), int32(0), int16(0)])));
    expect(ok.values.map((v) => v && v.length)).toEqual([null, 0]);
  });

  it('refuses a Query with bytes after its terminator and Describe/Close of an unknown kind', () => {
    expect(() => fe.readQuery(msg('Q', Buffer.from('SELECT 1\0DROP\0')))).toThrow(protocolViolation);
    expect(() => fe.readQuery(msg('Q', Buffer.from('SELECT 1')))).toThrow(protocolViolation);
    expect(() => fe.readDescribe(msg('D', Buffer.concat([Buffer.from('X'), cstr('')])))).toThrow(protocolViolation);
    expect(() => fe.readClose(msg('C', Buffer.concat([Buffer.from('T'), cstr('')])))).toThrow(protocolViolation);
  });
});

describe('startup-phase packets', () => {
  /** The parameters psql sends for "host=127.0.0.1 user=demo dbname=jsm". */
  const PSQL_STARTUP = startupMessage({ user: 'demo', database: 'jsm', application_name: 'psql', client_encoding: 'UTF8' });

  it('decode a startup message, SSLRequest, GSSENCRequest and CancelRequest', () => {
    expect(fe.readStartupPacket(PSQL_STARTUP)).toEqual({ kind: 'startup', minor: 0, params: { user: 'demo', database: 'jsm', application_name: 'psql', client_encoding: 'UTF8' } });
    expect(fe.readStartupPacket(hex('00000008 04d2162f'))).toEqual({ kind: 'ssl' });
    expect(fe.readStartupPacket(startupPacket(int32(GSSENC_REQUEST)))).toEqual({ kind: 'gssenc' });
    expect(fe.readStartupPacket(startupPacket(Buffer.concat([int32(CANCEL_REQUEST), int32(1234), int32(-5)])))).toEqual({ kind: 'cancel', pid: 1234, secret: -5 });
  });

  it('a newer 3.x minor version is a startup (answered with NegotiateProtocolVersion); other majors are 08P01', () => {
    expect(fe.readStartupPacket(startupMessage({ user: 'demo' }, PROTOCOL_3 + 2))).toMatchObject({ kind: 'startup', minor: 2 });
    expect(() => fe.readStartupPacket(startupMessage({ user: 'demo' }, 2 << 16))).toThrow(expect.objectContaining({ code: '08P01', message: expect.stringMatching(/unsupported frontend protocol 2\.0/) }));
    expect(() => fe.readStartupPacket(startupMessage({ user: 'demo' }, 1234 << 16 | 9999))).toThrow(protocolViolation);
  });

  it('refuses a CancelRequest, SSLRequest or GSSENCRequest of the wrong length', () => {
    expect(() => fe.readStartupPacket(startupPacket(Buffer.concat([int32(CANCEL_REQUEST), int32(1)])))).toThrow(protocolViolation);
    expect(() => fe.readStartupPacket(startupPacket(Buffer.concat([int32(CANCEL_REQUEST), int32(1), int32(2), int32(3)])))).toThrow(protocolViolation);
    expect(() => fe.readStartupPacket(startupPacket(Buffer.concat([int32(SSL_REQUEST), int32(0)])))).toThrow(protocolViolation);
    expect(() => fe.readStartupPacket(startupPacket(Buffer.concat([int32(GSSENC_REQUEST), Buffer.from([0])])))).toThrow(protocolViolation);
  });

  it('refuses startup parameters without their terminators, or with bytes after the last one', () => {
    const body = PSQL_STARTUP.subarray(4);
    for (let n = 4; n < body.length; n++) expect(() => fe.readStartupPacket(startupPacket(body.subarray(0, n))), `cut to ${n}`).toThrow(protocolViolation);
    expect(() => fe.readStartupPacket(startupPacket(Buffer.concat([body, Buffer.from('x\0')])))).toThrow(protocolViolation);
  });

  it('SASLInitialResponse: the data length must match what follows; -1 means none', () => {
    const first = Buffer.from('n,,n=,r=abc');
    expect(fe.readSaslInitial(msg('p', Buffer.concat([cstr('SCRAM-SHA-256'), int32(first.length), first])))).toEqual({ mechanism: 'SCRAM-SHA-256', data: 'n,,n=,r=abc' });
    expect(fe.readSaslInitial(msg('p', Buffer.concat([cstr('SCRAM-SHA-256'), int32(-1)])))).toEqual({ mechanism: 'SCRAM-SHA-256', data: '' });
    expect(() => fe.readSaslInitial(msg('p', Buffer.concat([cstr('SCRAM-SHA-256'), int32(first.length + 1), first])))).toThrow(protocolViolation);
    expect(() => fe.readSaslInitial(msg('p', Buffer.concat([cstr('SCRAM-SHA-256'), int32(2), first])))).toThrow(protocolViolation);
    expect(() => fe.readSaslInitial(msg('p', Buffer.from('SCRAM-SHA-256')))).toThrow(protocolViolation);
  });
});
