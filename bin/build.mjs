#!/usr/bin/env node
// `npm run build`: the gateway as JavaScript in dist/, so the image runs it with plain Node (no tsx
// transpiling at every start, no esbuild or tsx installed). `npm start` needs no build: bin/jsm-pg.js
// runs the sources through tsx whenever dist/ is missing or older than them.
//
//   dist/main.js           the CLI (src/cli/main.ts), with lazily loaded chunks beside it
//   dist/healthcheck.js    the image's health check (src/cli/healthcheck.ts)
//   dist/engine-thread.js  the engine thread (src/engine/engine-thread.ts), one file, as
//                          src/engine/thread-code.ts builds it at run time for source runs
//
// Installed packages stay outside the bundles (PGlite, libpg-query, pgsql-deparser and the wasm
// XML packages load their assets from where they are installed), so dist/ runs next to node_modules.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const toUrlPath = (path) => path.split('\\').join('/');

/**
 * Modules find files next to their sources through import.meta.url (the simulator's OpenAPI
 * description, package.json for the version). In the bundles, every module's import.meta.url is
 * the URL of its source file, computed from the bundle's own location, so those files are found
 * where they are in the repository and in the image. Every output sits directly in dist/.
 */
const importMetaUrlOfSource = {
  name: 'import-meta-url-of-source',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromDist = toUrlPath(relative(dist, args.path));
      const url = `new URL(${JSON.stringify(fromDist)}, import.meta.url).href`;
      return { contents: text.replace(/\bimport\.meta\.url\b/g, url), loader: 'ts', resolveDir: dirname(args.path) };
    });
  },
};

const threadCode = join(root, 'src', 'engine', 'thread-code.ts');
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir: dist,
  entryNames: '[name]',
  logLevel: 'warning',
  plugins: [importMetaUrlOfSource],
  // thread-code.ts resolves this against its import.meta.url, which is its source file's (above)
  define: { PREBUILT_ENGINE_THREAD: JSON.stringify(toUrlPath(relative(dirname(threadCode), join(dist, 'engine-thread.js')))) },
};

const started = Date.now();
await rm(dist, { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, 'src', 'cli', 'main.ts'), join(root, 'src', 'cli', 'healthcheck.ts')],
    splitting: true,
    chunkNames: 'chunk-[hash]',
  }),
  // One file, as at run time: a thread loads only what it runs
  build({ ...common, entryPoints: [join(root, 'src', 'engine', 'engine-thread.ts')] }),
]);
console.log(`built dist/ in ${Date.now() - started} ms`);
