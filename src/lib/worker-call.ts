/**
 * Every call the page makes to a worker goes through `callWorker` (after
 * squoosh's worker-bridge): the call races its abort signal, its time limit
 * and the worker's own `error` event. Abort or time limit → the worker is
 * terminated (whatever it was doing stops at once, a terminated worker never
 * answers) and the call rejects with AbortedError / TimeoutError; the owner
 * starts a fresh worker for the next call. A worker that fails (a script
 * error, a failed start) rejects the call with WorkerError instead of
 * leaving it pending forever. A worker terminated for another call's sake
 * (that call was cancelled or ran out of time) rejects every call still in
 * flight on it with WorkerStoppedError, at once: none waits for its own time
 * limit.
 */

export class AbortedError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

/** The call was not cancelled itself: its worker was stopped because another call on it was. Asking again starts a fresh worker. */
export class WorkerStoppedError extends AbortedError {
  constructor() {
    super('cancelled: the worker was stopped because another call on it was cancelled');
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
  /** Fires when the worker is terminated for another call's sake: this call then rejects with WorkerStoppedError. */
  workerStopped?: AbortSignal;
  /**
   * Asks the worker to stop this call alone (the other calls on it go on).
   * Without one, abort terminates the worker. With one, the worker is
   * terminated only if the call has not ended `graceMs` after the request
   * (stuck in work that does not look at its signal).
   */
  cancel?: () => void;
  graceMs?: number;
}

/** How long a call asked to stop may take to end before its worker is terminated. */
export const CANCEL_GRACE_MS = 2000;

/**
 * Run `call` on `workers` (one, or several working together, as the hashing
 * lanes do); `kill` terminates them all.
 */
export function callWorker<T>(workers: readonly Worker[], kill: () => void, call: () => Promise<T>, options: CallOptions = {}): Promise<T> {
  const { signal, timeoutMs, workerStopped, cancel, graceMs = CANCEL_GRACE_MS } = options;
  if (signal?.aborted) return Promise.reject(new AbortedError());
  if (workerStopped?.aborted) return Promise.reject(new WorkerStoppedError());
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const cleanup = () => {
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      workerStopped?.removeEventListener('abort', onStopped);
      for (const w of workers) w.removeEventListener('error', onError);
    };
    const fail = (e: Error, stop: boolean) => {
      if (settled) return;
      cleanup();
      if (stop) kill();
      reject(e);
    };
    let ended = false;
    const onAbort = () => {
      // The page's promise settles now either way; the worker's own work stops at its next read.
      fail(new AbortedError(), !cancel);
      if (!cancel) return;
      cancel();
      setTimeout(() => ended || kill(), graceMs);
    };
    const onStopped = () => fail(new WorkerStoppedError(), false);
    const onError = (e: ErrorEvent) => {
      e.preventDefault();
      fail(new WorkerError(`the worker failed: ${e.message || 'it could not start'}`), true);
    };
    const timer = timeoutMs !== undefined ? setTimeout(() => fail(new TimeoutError(timeoutMs), true), timeoutMs) : undefined;
    signal?.addEventListener('abort', onAbort, { once: true });
    workerStopped?.addEventListener('abort', onStopped, { once: true });
    for (const w of workers) w.addEventListener('error', onError);
    const running = call();
    void running.then(
      () => (ended = true),
      () => (ended = true),
    );
    running.then(
      (v) => {
        if (settled) return;
        cleanup();
        resolve(v);
      },
      (e: unknown) => fail(e instanceof Error ? e : new Error(String(e)), false),
    );
  });
}
