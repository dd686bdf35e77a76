/**
 * Issue 13, "done when": no connection property is accepted and ignored. Every property of the
 * registry is read somewhere outside src/config, or is marked unsupported and then refused at
 * start (with its reason) when it is given a value; Other's sub-properties likewise.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONNECTION_PROPERTIES, loadConfig, type PropertyDef } from '../../src/config/index.ts';
import { refuseUnsupported } from '../../src/config/support.ts';

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path === join(SRC, 'config') ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [{ path, text: readFileSync(path, 'utf8') }] : [];
  });
}

/** `conn.Name`, `['Name']`, `'Name'` (connectionProperty(ctx, 'Name')) in code outside src/config. */
function readers(def: PropertyDef, files: { path: string; text: string }[]): string[] {
  const re = new RegExp(`(\\.${def.name}\\b|['"\`]${def.name}['"\`])`);
  return files.filter((f) => re.test(f.text)).map((f) => f.path.slice(SRC.length + 1));
}

/** A value other than the default, valid for the property's type. */
function otherValue(def: PropertyDef): string {
  if (def.type === 'enum') return def.values.find((v) => v !== def.default)!;
  if (def.type === 'bool') return String(!def.default);
  if (def.type === 'int') return String(Number(def.default) + 1);
  return def.format === 'url' ? 'https://example.com/x' : 'x';
}

const BASE = 'AuthScheme=APIToken;URL=https://example.atlassian.net;User=u;APIToken=t';

describe('every connection property does something or is refused at start', () => {
  const files = sources(SRC);

  it.each(CONNECTION_PROPERTIES.map((d) => [d.name, d] as const))('%s', (_name, def) => {
    const read = readers(def, files);
    if (def.unsupported) {
      // refused when set (with the reason), accepted at its default
      const cfg = loadConfig({ argv: ['--connection', `${BASE};${def.name}=${otherValue(def)}`], env: {} });
      expect(() => refuseUnsupported(cfg)).toThrow(expect.objectContaining({ code: '0A000', message: expect.stringContaining(def.unsupported) }));
      expect(() => refuseUnsupported(loadConfig({ argv: ['--connection', BASE], env: {} }))).not.toThrow();
      return;
    }
    expect(read, `${def.name} has no reader outside src/config and is not marked unsupported`).not.toEqual([]);
  });

  it("refuses Other's RecordToFile and unknown sub-properties, accepts the documented ones", () => {
    const cfg = (other: string) => loadConfig({ argv: ['--connection', `${BASE};Other="${other}"`], env: {} });
    expect(() => refuseUnsupported(cfg('RecordToFile=/tmp/x'))).toThrow(expect.objectContaining({ code: '0A000', message: expect.stringContaining('RecordToFile') }));
    expect(() => refuseUnsupported(cfg('DefaultColumSize=5'))).toThrow(/Did you mean "DefaultColumnSize"/);
    expect(() => refuseUnsupported(cfg('DefaultColumnSize=abc'))).toThrow(/positive integer/);
    expect(() => refuseUnsupported(cfg('DefaultColumnSize=100;ConvertDateTimeToGMT=true'))).not.toThrow();
  });
});
