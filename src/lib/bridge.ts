/**
 * The one typed bridge between the page and the worker (after squoosh's
 * worker-bridge): it owns the worker; aborting a call terminates the worker
 * and the next call starts a fresh one.
 */
import { wrap, type Remote } from 'comlink';
import type { IsoscopeWorkerApi } from '../../workers/isoscope.worker.ts';
import type { InspectOptions } from '../../workers/inspect.ts';
import type { Report } from '../../workers/report/types.ts';

export class AbortedError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

export class WorkerBridge {
  private worker: Worker | null = null;
  private api: Remote<IsoscopeWorkerApi> | null = null;

  private start(): Remote<IsoscopeWorkerApi> {
    if (!this.api) {
      this.worker = new Worker(new URL('../../workers/isoscope.worker.ts', import.meta.url), { type: 'module', name: 'isoscope' });
      this.api = wrap<IsoscopeWorkerApi>(this.worker);
    }
    return this.api;
  }

  /** Kill the worker: whatever it was doing stops now. */
  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
  }

  private async run<T>(signal: AbortSignal | undefined, call: (api: Remote<IsoscopeWorkerApi>) => Promise<T>): Promise<T> {
    if (signal?.aborted) throw new AbortedError();
    const api = this.start();
    if (!signal) return call(api);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.terminate();
        reject(new AbortedError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      call(api).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  inspect(file: File, options: InspectOptions = {}, signal?: AbortSignal): Promise<Report> {
    return this.run(signal, (api) => api.inspect(file, file.name, options));
  }
}
