// Process entry point (bin/jsm-pg.js imports this after registering tsx).
import { processIo } from './io.ts';
import { runCli } from './run.ts';

process.exitCode = await runCli(process.argv.slice(2), processIo());
