/**
 * Connect latency and memory per idle session, for 1, 10 and 50 sessions.
 * Baseline in the same process: the gateway with no client connected (RSS) and a TCP connect to it.
 * Run: node --import tsx bench/sessions.ts
 */
import pg from 'pg';
import { startStack } from '../test/helpers/gateway.ts';

const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const stack = await startStack({ argv: ['--pool-size', '2', '--max-sessions', '60'] });
await new Promise((r) => setTimeout(r, 2000)); // let the warm pool fill
global.gc?.();
const idleRss = rssMb();
console.log(`gateway idle (warm pool of 2 engines): RSS ${idleRss.toFixed(0)} MB`);
console.log('sessions | connect median ms | connect max ms | RSS MB | MB per idle session');
for (const n of [1, 10, 50]) {
  const clients: pg.Client[] = [];
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = new pg.Client(stack.url);
    const t0 = performance.now();
    await c.connect();
    times.push(performance.now() - t0);
    clients.push(c);
  }
  await Promise.all(clients.map((c) => c.query('SELECT 1')));
  global.gc?.();
  const rss = rssMb();
  console.log(`${String(n).padStart(8)} | ${median(times).toFixed(0).padStart(17)} | ${Math.max(...times).toFixed(0).padStart(14)} | ${rss.toFixed(0).padStart(6)} | ${((rss - idleRss) / n).toFixed(1).padStart(19)}`);
  await Promise.all(clients.map((c) => c.end()));
  await new Promise((r) => setTimeout(r, 1000));
}
await stack.close();
