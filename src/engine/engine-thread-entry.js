// The engine thread's entry: threads do not inherit the main thread's TypeScript loader (under
// vitest there is none to inherit), so this registers tsx in the thread before loading the code.
// PGlite is loaded first, past tsx: through it, its 1 MB of JavaScript cost 45 MB more per thread.
import '@electric-sql/pglite';
import { register } from 'tsx/esm/api';

register();
await import('./engine-thread.ts');
