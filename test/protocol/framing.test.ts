import { describe, expect, it } from 'vitest';
import { PgError } from '../../src/errors/index.ts';
import { FrameReader, type FrameHeader } from '../../src/protocol/framing.ts';
import { checkHeader, DEFAULT_MAX_MESSAGE_SIZE, MAX_STARTUP_PACKET, type ConnectionPhase } from '../../src/protocol/message-rules.ts';
import { cstr, int16, int32, msg, query, startupMessage, startupPacket, sync } from './helpers/raw-client.ts';

/** Feeds `bytes` to a reader in the pieces given by `cuts` and collects every message it returns. */
function decode(bytes: Buffer, cuts: number[], typed: boolean, check: (h: FrameHeader) => void = () => {}): Buffer[] {
  const reader = new FrameReader(check);
  reader.typed = typed;
  const out: Buffer[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    reader.push(bytes.subarray(from, to));
    from = to;
    for (let m = reader.next(); m; m = reader.next()) out.push(Buffer.from(m));
  }
  expect(reader.buffered).toBe(0);
  return out;
}

const conversation = [
  query('SELECT 1'),
  msg('P', Buffer.concat([cstr('s1'), cstr('SELECT $1::int'), int16(1), int32(23)])),
  msg('B', Buffer.concat([cstr(''), cstr('s1'), int16(0), int16(1), int32(1), Buffer.from('7'), int16(0)])),
  msg('E', Buffer.concat([cstr(''), int32(0)])),
  sync(),
  msg('d', Buffer.alloc(300, 7)),
];

describe('FrameReader', () => {
  it('returns the same messages whatever the input is split into: every single cut point, and byte by byte', () => {
    const all = Buffer.concat(conversation);
    for (let cut = 0; cut <= all.length; cut++) expect(decode(all, [cut], true)).toEqual(conversation);
    const everyByte = Array.from({ length: all.length }, (_, i) => i);
    expect(decode(all, everyByte, true)).toEqual(conversation);
  });

  it('frames startup packets (no type byte) split at every byte', () => {
    const packet = startupMessage({ user: 'demo', database: 'jsm' });
    for (let cut = 0; cut <= packet.length; cut++) expect(decode(packet, [cut], false)).toEqual([packet]);
  });

  it('checks the header as soon as it is complete, before any of the body arrives', () => {
    const seen: FrameHeader[] = [];
    const reader = new FrameReader((h) => seen.push(h));
    reader.typed = true;
    reader.push(Buffer.from([0x51, 0x40, 0, 0]));
    expect(reader.next()).toBeUndefined();
    expect(seen).toEqual([]);
    reader.push(Buffer.from([0]));
    expect(reader.next()).toBeUndefined();
    expect(seen).toEqual([{ type: 0x51, length: 0x40000000 }]);
  });

  it('refuses declared lengths below 4 (negative ones included) without waiting for more bytes', () => {
    for (const length of [-(2 ** 31), -1, 0, 1, 3]) {
      const typed = new FrameReader(() => {});
      typed.typed = true;
      typed.push(msg('Q', Buffer.alloc(0), length));
      expect(() => typed.next(), `typed ${length}`).toThrow(expect.objectContaining({ code: '08P01', message: 'invalid message length' }));
      const untyped = new FrameReader(() => {});
      untyped.push(int32(length));
      expect(() => untyped.next(), `startup ${length}`).toThrow(expect.objectContaining({ code: '08P01', message: 'invalid length of startup packet' }));
    }
  });

  it('keeps only what arrived for a message whose header was refused: it is never read on', () => {
    const reader = new FrameReader((h) => checkHeader('ready', h, DEFAULT_MAX_MESSAGE_SIZE));
    reader.typed = true;
    reader.push(msg('Q', Buffer.alloc(10), 2 ** 30));
    expect(() => reader.next()).toThrow(expect.objectContaining({ code: '54000' }));
    expect(reader.buffered).toBe(15);
  });

  it('peek shows the first bytes across chunks without consuming them', () => {
    const reader = new FrameReader(() => {});
    reader.push(Buffer.from('GE'));
    reader.push(Buffer.from('T / HTTP/1.1'));
    expect(reader.peek(8).toString()).toBe('GET / HT');
    expect(reader.buffered).toBe(14);
  });
});

describe('checkHeader: message types per connection state and length limits', () => {
  const header = (type: number | null, length: number): FrameHeader => ({ type, length });
  const code = (phase: ConnectionPhase, h: FrameHeader, max = DEFAULT_MAX_MESSAGE_SIZE) => {
    try {
      checkHeader(phase, h, max);
      return 'ok';
    } catch (err) {
      expect(err).toBeInstanceOf(PgError);
      return (err as PgError).code;
    }
  };

  it('after login accepts exactly Q P B E D C S H X d c f F; every other type byte is 08P01', () => {
    const accepted = [];
    for (let t = 0; t < 256; t++) if (code('ready', header(t, 4)) === 'ok') accepted.push(String.fromCharCode(t));
    expect(accepted.sort().join('')).toBe([...'QPBEDCSHXdcfF'].sort().join(''));
    for (const t of [0x7a, 0x70, 0x41, 0x56, 0x00, 0xff]) expect(code('ready', header(t, 7))).toBe('08P01');
  });

  it('during authentication accepts only the SASL message p, up to 65535 bytes', () => {
    for (let t = 0; t < 256; t++) expect(code('auth', header(t, 8)), String(t)).toBe(t === 0x70 ? 'ok' : '08P01');
    expect(code('auth', header(0x70, 65_535))).toBe('ok');
    expect(code('auth', header(0x70, 65_536))).toBe('08P01');
  });

  it('limits startup packets to 8..10000 bytes, as PostgreSQL does', () => {
    expect(code('startup', header(null, 7))).toBe('08P01');
    expect(code('startup', header(null, 8))).toBe('ok');
    expect(code('startup', header(null, MAX_STARTUP_PACKET))).toBe('ok');
    expect(code('startup', header(null, MAX_STARTUP_PACKET + 1))).toBe('08P01');
    expect(code('startup', header(null, 2 ** 31 - 1))).toBe('08P01');
  });

  it('limits SQL and data messages to the configured maximum (54000 beyond) and the others to 10000 bytes (08P01)', () => {
    for (const t of 'QPBdF') {
      expect(code('ready', header(t.charCodeAt(0), 1 << 20), 1 << 20)).toBe('ok');
      expect(code('ready', header(t.charCodeAt(0), (1 << 20) + 1), 1 << 20)).toBe('54000');
    }
    for (const t of 'EDCSHXcf') {
      expect(code('ready', header(t.charCodeAt(0), 10_000))).toBe('ok');
      expect(code('ready', header(t.charCodeAt(0), 10_001))).toBe('08P01');
    }
  });

  it('checks the type before the length: an unknown type claiming 1 GiB is a protocol violation, not a size error', () => {
    expect(code('ready', header(0x7a, 2 ** 30))).toBe('08P01');
  });
});

describe('startup packet framing in PostgreSQL terms', () => {
  it('a startup packet of exactly 10000 bytes is framed, one of 10001 is refused from its first four bytes', () => {
    const reader = new FrameReader((h) => checkHeader('startup', h, DEFAULT_MAX_MESSAGE_SIZE));
    reader.push(startupPacket(Buffer.alloc(MAX_STARTUP_PACKET - 4)));
    expect(reader.next()).toHaveLength(MAX_STARTUP_PACKET);
    reader.push(int32(MAX_STARTUP_PACKET + 1));
    expect(() => reader.next()).toThrow(expect.objectContaining({ code: '08P01' }));
  });
});
