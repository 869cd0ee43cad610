/**
 * The one typed bridge between the page and the worker (after squoosh's
 * worker-bridge): it owns the worker; aborting a call terminates the worker
 * and the next call starts a fresh one.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { IsoscopeWorkerApi } from '../../workers/isoscope.worker.ts';
import type { InspectOptions } from '../../workers/inspect.ts';
import type { Report } from '../../workers/report/types.ts';
import type { TreeNaming } from '../../workers/formats/tree.ts';
import type { Provenance } from '../../workers/report/provenance.ts';

export class AbortedError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`the inspection was stopped after ${Math.round(ms / 1000)} s`);
    this.name = 'TimeoutError';
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

  /** Run one call; abort or the time limit terminates the worker (the next call starts a fresh one). */
  private async run<T>(signal: AbortSignal | undefined, timeoutMs: number, call: (api: Remote<IsoscopeWorkerApi>) => Promise<T>): Promise<T> {
    if (signal?.aborted) throw new AbortedError();
    const api = this.start();
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.terminate();
        reject(new AbortedError());
      };
      const timer = setTimeout(() => {
        this.terminate();
        reject(new TimeoutError(timeoutMs));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      call(api)
        .then(resolve, reject)
        .finally(() => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        });
    });
  }

  /** Match hashes against the catalogue in the worker: parsing and indexing it on the page would be a long task. */
  withHashes(provenance: Provenance, hashes: Record<string, string>, signal?: AbortSignal): Promise<Provenance> {
    return this.run(signal, 30_000, (api) => api.withHashes(provenance, hashes));
  }

  listTree(file: File, naming: TreeNaming, signal?: AbortSignal) {
    return this.run(signal, 60_000, (api) => api.listTree(file, file.name, naming));
  }

  fileContents(file: File, naming: TreeNaming, path: string) {
    return this.run(undefined, 30_000, (api) => api.fileContents(file, file.name, naming, path));
  }

  /**
   * Inspection is bounded by the readers; the time limit is the last line of
   * defence. `onSection` sees the report as it grows (each call its own task,
   * so the page renders section by section).
   */
  inspect(
    file: File,
    options: Omit<InspectOptions, 'onSection'> = {},
    signal?: AbortSignal,
    timeoutMs = 30_000,
    onSection?: (partial: Report) => void,
  ): Promise<Report> {
    return this.run(signal, timeoutMs, (api) => api.inspect(file, file.name, options, onSection && proxy(onSection)));
  }
}
