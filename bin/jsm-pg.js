#!/usr/bin/env node
// Runs dist/ (`npm run build`, what the image ships) when it is there and no source file is newer;
// otherwise the TypeScript sources through tsx, so `npm start` on a fresh clone needs no build step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const built = new URL('dist/main.js', root);

/** Newest modification time of the .ts files under `dir` (0 when there are none, as in the image). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
  }
  return newest;
}

const sourceDirs = ['src', 'catalog'].map((d) => fileURLToPath(new URL(d, root))).filter((d) => existsSync(d));
const fresh = existsSync(built) && sourceDirs.every((d) => newestSource(d) <= statSync(built).mtimeMs);
if (fresh) {
  await import(built.href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('jsm-pg: dist/ is missing or older than the sources, and tsx is not installed: run `npm ci` (with dev dependencies) or `npm run build`\n');
    process.exit(1);
  }
  register();
  await import('../src/cli/main.ts');
}
