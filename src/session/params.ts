import type { BindMessage } from '../protocol/frontend-messages.ts';

const Oid = { bool: 16, int8: 20, int2: 21, int4: 23, text: 25, float4: 700, float8: 701, varchar: 1043, bpchar: 1042, name: 19, unknown: 705 } as const;

/**
 * Bind parameters as text, for planning with the values the client sent. Returns undefined when a
 * binary value has a type we do not decode: the planner then uses a generic plan and pushes less.
 */
export function decodeParams(bind: BindMessage, paramTypes: number[]): (string | null)[] | undefined {
  const out: (string | null)[] = [];
  for (let i = 0; i < bind.values.length; i++) {
    const v = bind.values[i]!;
    if (v === null) {
      out.push(null);
      continue;
    }
    const format = bind.formats.length === 0 ? 0 : bind.formats.length === 1 ? bind.formats[0] : bind.formats[i];
    if (format === 0) {
      out.push(Buffer.from(v).toString('utf8'));
      continue;
    }
    const b = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    switch (paramTypes[i] ?? 0) {
      case Oid.bool: out.push(b[0] ? 'true' : 'false'); break;
      case Oid.int2: out.push(String(b.readInt16BE(0))); break;
      case Oid.int4: out.push(String(b.readInt32BE(0))); break;
      case Oid.int8: out.push(b.readBigInt64BE(0).toString()); break;
      case Oid.float4: out.push(String(b.readFloatBE(0))); break;
      case Oid.float8: out.push(String(b.readDoubleBE(0))); break;
      case Oid.text: case Oid.varchar: case Oid.bpchar: case Oid.name: case Oid.unknown:
        out.push(b.toString('utf8')); break;
      default:
        return undefined;
    }
  }
  return out;
}
