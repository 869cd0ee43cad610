// Worker-thread entry: register the TypeScript loader inside the worker, then run the cases.
import { register } from 'tsx/esm/api';
register();
await import('./case-worker.ts');
