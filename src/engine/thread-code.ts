import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Defined only in dist/ by bin/build.mjs: where the prebuilt engine thread is, relative to this
 * module's source file (which is what import.meta.url names in the bundles). Source runs have none.
 */
declare const PREBUILT_ENGINE_THREAD: string | undefined;

let code: Promise<URL> | undefined;

/**
 * The engine thread's code (engine-thread.ts and what it imports) as one JavaScript module: the
 * file `npm run build` wrote, or, running from the sources, built once per process. Loading
 * TypeScript in each thread through tsx instead cost 14 MB more per session (a loader thread of
 * its own per engine thread) and a slower start; PGlite stays outside the bundle and is imported
 * from where it is installed.
 */
export function engineThreadCode(): Promise<URL> {
  if (typeof PREBUILT_ENGINE_THREAD === 'string') return (code ??= Promise.resolve(new URL(PREBUILT_ENGINE_THREAD, import.meta.url)));
  code ??= buildFromSources();
  return code;
}

async function buildFromSources(): Promise<URL> {
  // esbuild is a devDependency: imported only here, so dist/ runs without it
  const { build, stop } = await import('esbuild');
  const require = createRequire(import.meta.url);
  const pglite = pathToFileURL(join(dirname(require.resolve('@electric-sql/pglite')), 'index.js')).href;
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./engine-thread.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [{
      name: 'pglite-where-installed',
      setup(b) {
        b.onResolve({ filter: /^@electric-sql\/pglite$/ }, () => ({ path: pglite, external: true }));
      },
    }],
  });
  await stop();
  return new URL('data:text/javascript,' + encodeURIComponent(out.outputFiles[0]!.text));
}
