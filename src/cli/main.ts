// Process entry point (bin/jsm-pg.js imports this after registering tsx).
import { processIo } from './io.ts';
import { runCli } from './run.ts';

const code = await runCli(process.argv.slice(2), processIo());
// On failure, exit now: a half-started component must not keep the process alive.
// On success, a running server keeps the event loop busy until a signal stops it.
if (code !== 0) process.exit(code);
process.exitCode = code;
