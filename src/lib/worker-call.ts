/**
 * Every call the page makes to a worker goes through `callWorker` (after
 * squoosh's worker-bridge): the call races its abort signal, its time limit
 * and the worker's own `error` event. Abort or time limit → the worker is
 * terminated (whatever it was doing stops at once, a terminated worker never
 * answers) and the call rejects with AbortedError / TimeoutError; the owner
 * starts a fresh worker for the next call. A worker that fails (a script
 * error, a failed start) rejects the call with WorkerError instead of
 * leaving it pending forever.
 */

export class AbortedError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`stopped after ${Math.round(ms / 1000)} s`);
    this.name = 'TimeoutError';
  }
}

export class WorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerError';
  }
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Time limit in milliseconds (none when absent). */
  timeoutMs?: number;
}

/**
 * Run `call` on `workers` (one, or several working together, as the hashing
 * lanes do); `kill` terminates them all.
 */
export function callWorker<T>(workers: readonly Worker[], kill: () => void, call: () => Promise<T>, options: CallOptions = {}): Promise<T> {
  const { signal, timeoutMs } = options;
  if (signal?.aborted) return Promise.reject(new AbortedError());
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const cleanup = () => {
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      for (const w of workers) w.removeEventListener('error', onError);
    };
    const fail = (e: Error, stop: boolean) => {
      if (settled) return;
      cleanup();
      if (stop) kill();
      reject(e);
    };
    const onAbort = () => fail(new AbortedError(), true);
    const onError = (e: ErrorEvent) => {
      e.preventDefault();
      fail(new WorkerError(`the worker failed: ${e.message || 'it could not start'}`), true);
    };
    const timer = timeoutMs !== undefined ? setTimeout(() => fail(new TimeoutError(timeoutMs), true), timeoutMs) : undefined;
    signal?.addEventListener('abort', onAbort, { once: true });
    for (const w of workers) w.addEventListener('error', onError);
    call().then(
      (v) => {
        if (settled) return;
        cleanup();
        resolve(v);
      },
      (e: unknown) => fail(e instanceof Error ? e : new Error(String(e)), false),
    );
  });
}
