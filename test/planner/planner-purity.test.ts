import { readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPathSegmentValue } from '../../src/jsm/url.ts';
import { isPathKeyValue } from '../../src/planner/scan-plan.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const plannerDir = resolve(root, 'src/planner');

/** Relative imports of a TypeScript file (static, type-only, re-exports and dynamic), resolved. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => resolve(dirname(file), m[1]!));
}

/** Every module src/planner reaches through relative imports, starting from its own files. */
function plannerClosure(): Map<string, string> {
  const reachedFrom = new Map<string, string>();
  const pending = readdirSync(plannerDir).filter((f) => f.endsWith('.ts')).map((f) => resolve(plannerDir, f));
  for (const f of pending) reachedFrom.set(f, f);
  while (pending.length) {
    const file = pending.pop()!;
    for (const dep of importsOf(file)) {
      if (reachedFrom.has(dep)) continue;
      reachedFrom.set(dep, file);
      pending.push(dep);
    }
  }
  return reachedFrom;
}

describe('the planner is pure (DESIGN.md §1: the planner decides, the executor fetches)', () => {
  it('no module of src/planner imports the engine, the executor or the JSM client, directly or through another module', () => {
    const io = ['src/engine/', 'src/executor/', 'src/jsm/'];
    const closure = plannerClosure();
    expect(closure.size).toBeGreaterThan(5); // the regex found the planner's own imports
    const offending = [...closure]
      .map(([dep, from]) => [relative(root, dep), relative(root, from)] as const)
      .filter(([dep]) => io.some((d) => dep.startsWith(d)))
      .map(([dep, from]) => `${from} → ${dep}`);
    expect(offending).toEqual([]);
  });

  it('a key value the planner sends in a path is one the JSM client encodes, and one it drops is one the client refuses', () => {
    const samples = ['', '.', '..', '/', 'a/b', '../x', '10001', 'TEST-1', 'a..b', '...', 'qm:1a2b', 'x%2Fy', ' ', "o'brien", 'a\nb', '%2e%2e'];
    for (const v of samples) expect(isPathKeyValue(v), JSON.stringify(v)).toBe(isPathSegmentValue(v));
  });
});
