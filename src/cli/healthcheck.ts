// Entry point of the image's health check: `node dist/healthcheck.js [serve flags]` (see health-probe.ts).
import { runHealthcheck } from './health-probe.ts';

process.exitCode = await runHealthcheck(process.argv.slice(2));
