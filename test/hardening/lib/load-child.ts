/**
 * The load clients as a process of their own (runLoadInChild in load.ts): receives the run's
 * options over IPC, runs it, sends back the result and exits.
 */
import { runLoad, type LoadOptions, type SerializedLoadResult } from './load.ts';

process.once('message', (opts: LoadOptions) => {
  runLoad(opts).then(
    (r) => {
      const result: SerializedLoadResult = { ...r, connectFailures: [...r.connectFailures] };
      process.send!({ result }, () => process.exit(0));
    },
    (err: unknown) => process.send!({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1)),
  );
});
