import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/*
 * bin/with-allocator.sh (npm start, npm run bench, the image): ended engine threads give their
 * memory back only with jemalloc or glibc tuned for it (bench/README.md). CI installs libjemalloc2.
 */

const jemalloc = ['/usr/lib', ...readdirSync('/usr/lib', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `/usr/lib/${d.name}`)]
  .map((dir) => `${dir}/libjemalloc.so.2`)
  .find((f) => existsSync(f));

function envUnder(extra: Record<string, string> = {}): Record<string, string> {
  const env = { ...process.env, ...extra };
  delete env.LD_PRELOAD;
  Object.assign(env, extra);
  const out = execFileSync('sh', ['bin/with-allocator.sh', process.execPath, '-e',
    'console.log(JSON.stringify({ p: process.env.LD_PRELOAD ?? null, c: process.env.MALLOC_CONF ?? null, t: process.env.MALLOC_MMAP_THRESHOLD_, a: process.env.MALLOC_ARENA_MAX }))'], { env, encoding: 'utf8' });
  return JSON.parse(out);
}

describe('bin/with-allocator.sh', () => {
  it('preloads jemalloc when it is installed, and sets glibc\'s thresholds either way', () => {
    if (!jemalloc && process.env.CI === 'true') throw new Error('libjemalloc2 is not installed (.ci/run installs it)');
    const env = envUnder();
    expect(env.t).toBe('131072');
    expect(env.a).toBe('2');
    if (jemalloc) {
      expect(env.p).toBe(jemalloc);
      expect(env.c).toMatch(/dirty_decay_ms/);
    } else expect(env.p).toBeNull();
  });

  it('keeps an LD_PRELOAD and malloc settings the operator chose', () => {
    const env = envUnder({ LD_PRELOAD: '/nonexistent/lib.so', MALLOC_ARENA_MAX: '4' });
    expect(env.p).toBe('/nonexistent/lib.so');
    expect(env.a).toBe('4');
  });

  it('runs the command with its arguments and exit code', () => {
    expect(() => execFileSync('sh', ['bin/with-allocator.sh', 'sh', '-c', 'exit 3'])).toThrow(expect.objectContaining({ status: 3 }));
  });
});
