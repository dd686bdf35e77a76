import { afterAll, beforeAll, expect, it } from 'vitest';
import { clearSimCalls, simCalls, startStack, type TestStack } from '../helpers/gateway.ts';
import { useStack } from '../helpers/stack-client.ts';
import { describeWithTools } from './helpers/describe-tools.ts';
import { libpqEnv, run, sleep, start, waitFor } from './helpers/run.ts';

const LATENCY_MS = 2_000;
const REQUESTS = '/rest/servicedeskapi/request';

describeWithTools(['psql'], 'psql Ctrl-C (CancelRequest)', (tools) => {
  let stack: TestStack;
  beforeAll(async () => {
    // 10,000 requests: 200 pages, far more than one latency window can fetch.
    stack = await startStack({ scale: 'large' });
    // Session start reads the site's queues once per CacheTTL: do it before the API is made slow.
    const warm = await run(tools.psql.path!, ['-X', '-c', 'SELECT 1'], { env: libpqEnv(stack) });
    expect(warm.code).toBe(0);
  });
  afterAll(async () => {
    stack?.sim.setFaults({ latencyMs: 0 });
    await stack?.close();
  });

  it('SIGINT to psql during a slow scan cancels it and stops the API calls', async () => {
    stack.sim.setFaults({ latencyMs: LATENCY_MS });
    await clearSimCalls(stack.sim);
    // psql sends a CancelRequest on its own connection when it gets SIGINT during a query, as on Ctrl-C.
    const psql = start(tools.psql.path!, ['-X', '-c', 'SELECT count(*) FROM requests'], { env: libpqEnv(stack) });
    const scanning = async () => (await simCalls(stack.sim)).some((c) => c.path === REQUESTS);
    await waitFor(scanning, 20_000);
    await sleep(500);
    const beforeCancel = (await simCalls(stack.sim)).length;
    psql.child.kill('SIGINT');
    const r = await psql.done;
    expect(r.stderr).toContain('Cancel request sent');
    expect(r.stderr).toContain('canceling statement due to user request');
    expect(r.code).not.toBe(0);

    // Calls already sent may still be logged as they arrive; after that, nothing more.
    await sleep(300);
    const afterCancel = (await simCalls(stack.sim)).length;
    await sleep(LATENCY_MS * 2);
    const later = (await simCalls(stack.sim)).length;
    expect(later).toBe(afterCancel);
    expect(afterCancel).toBeLessThan(beforeCancel + 10);
    expect(afterCancel).toBeLessThan(200); // far from the whole scan
  });

  it('Ctrl-C typed into interactive psql (a pty) cancels the scan and the session goes on', async () => {
    stack.sim.setFaults({ latencyMs: LATENCY_MS });
    await clearSimCalls(stack.sim);
    // script(1) gives psql a terminal: Ctrl-C is a keystroke the line discipline turns into SIGINT.
    const cmd = `${tools.psql.path} -X -A -t -P pager=off`;
    const term = start('script', ['-q', '-e', '-c', cmd, '/dev/null'], { env: { ...libpqEnv(stack), TERM: 'dumb' }, stdinOpen: true, timeoutMs: 60_000 });
    term.child.stdin!.write("SELECT count(*) FROM requests WHERE servicedeskid = '3';\n");
    await waitFor(async () => (await simCalls(stack.sim)).some((c) => c.query.serviceDeskId === '3'), 20_000);
    await sleep(300);
    term.child.stdin!.write('\x03');
    await waitFor(async () => term.output().stdout.includes('canceling statement due to user request'), 10_000);
    await sleep(300);
    const desk3 = async () => (await simCalls(stack.sim)).filter((c) => c.query.serviceDeskId === '3').length;
    const afterCancel = await desk3();
    stack.sim.setFaults({ latencyMs: 0 }); // an uncancelled scan would now race through its remaining pages
    term.child.stdin!.write("SELECT 'alive:' || count(*) FROM servicedesks;\n");
    await waitFor(async () => /alive:\d/.test(term.output().stdout), 10_000);
    term.child.stdin!.write('\\q\n');
    term.child.stdin!.end();
    await term.done;
    expect(term.output().stdout).toContain('Cancel request sent');
    expect(await desk3()).toBe(afterCancel);
  });

  it('statement_timeout (set through PGOPTIONS, as drivers and ORMs set it) stops a slow scan and its API calls', async () => {
    stack.sim.setFaults({ latencyMs: LATENCY_MS });
    await clearSimCalls(stack.sim);
    const r = await run(tools.psql.path!, ['-X', '-c', "SELECT count(*) FROM requests WHERE servicedeskid = '2'"], {
      env: libpqEnv(stack, { PGOPTIONS: '-c statement_timeout=1500' }),
    });
    // the timeout's own message is the proof it fired; elapsed time is the bench's business, not a test's
    expect(r.stderr).toContain('canceling statement due to statement timeout');
    await sleep(300);
    const after = (await simCalls(stack.sim)).length;
    await sleep(LATENCY_MS * 2);
    expect((await simCalls(stack.sim)).length).toBe(after);
  });
});

describeWithTools(['psql'], 'psql Ctrl-C during a statement running in the engine', (tools) => {
  const t = useStack();

  it('Ctrl-C typed into interactive psql stops a CPU-bound statement; the session goes on', async () => {
    // script(1) gives psql a terminal: Ctrl-C is a keystroke the line discipline turns into SIGINT.
    const cmd = `${tools.psql.path} -X -A -t -P pager=off`;
    const term = start('script', ['-q', '-e', '-c', cmd, '/dev/null'], { env: { ...libpqEnv(t.stack), TERM: 'dumb' }, stdinOpen: true, timeoutMs: 60_000 });
    term.child.stdin!.write("SELECT 'started';\n");
    await waitFor(async () => term.output().stdout.includes('started'), 20_000);
    term.child.stdin!.write('SELECT sum(x) FROM (SELECT generate_series(1, 2000000000) AS x) s;\n');
    await sleep(1_000);
    term.child.stdin!.write('\x03');
    await waitFor(async () => term.output().stdout.includes('canceling statement due to user request'), 20_000);
    term.child.stdin!.write("SELECT 'alive:' || count(*) FROM servicedesks;\n");
    await waitFor(async () => /alive:\d/.test(term.output().stdout), 20_000);
    term.child.stdin!.write('\\q\n');
    term.child.stdin!.end();
    await term.done;
    expect(term.output().stdout).toContain('Cancel request sent');
  });
});

/** Far beyond any connect, however busy the machine. */
const STALLED_API_MS = 40_000;

describeWithTools(['psql'], 'psql connecting while the API is slow', (tools) => {
  let stack: TestStack;
  beforeAll(async () => {
    // a short CacheTTL: the site's queue list (read at session start) expires between connections
    stack = await startStack({ connection: 'CacheTTL=1' });
  });
  afterAll(async () => {
    stack?.sim.setFaults({ latencyMs: 0 });
    await stack?.close();
  });

  it('a connection does not wait for the session-start queue list to be refreshed', async () => {
    expect((await run(tools.psql.path!, ['-X', '-c', 'SELECT 1'], { env: libpqEnv(stack) })).code).toBe(0);
    // An API that takes longer than psql is given to connect and answer: a session start that
    // waited for the queue list would be killed before printing anything.
    stack.sim.setFaults({ latencyMs: STALLED_API_MS });
    await sleep(1_200);
    for (let i = 0; i < 2; i++) {
      const r = await run(tools.psql.path!, ['-X', '-A', '-t', '-c', 'SELECT 1'], { env: libpqEnv(stack), timeoutMs: STALLED_API_MS / 2 });
      expect(r.stdout.trim()).toBe('1');
    }
  });
});
