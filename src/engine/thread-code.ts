import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, stop } from 'esbuild';

let code: Promise<URL> | undefined;

/**
 * The engine thread's code (engine-thread.ts and what it imports) as one JavaScript module, built
 * once per process. Loading TypeScript in each thread through tsx instead cost 14 MB more per
 * session (a loader thread of its own per engine thread) and a slower start; PGlite stays outside
 * the bundle and is imported from where it is installed.
 */
export function engineThreadCode(): Promise<URL> {
  code ??= (async () => {
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
  })();
  return code;
}
