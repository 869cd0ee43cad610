/**
 * Owns the hashing workers: one per algorithm (up to the core count), each
 * reading the File itself, so a set of algorithms costs about as long as its
 * slowest member. Cancel terminates them all.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { HashWorkerApi } from '../../workers/hash.worker.ts';
import type { HashAlgorithm, HashProgress } from '../../workers/hash/hashers.ts';
import { AbortedError } from './bridge.ts';

export interface HashRunProgress extends HashProgress {
  /** Bytes per second so far. */
  rate: number;
  /** Seconds left at that rate. */
  eta: number | null;
}

function spawn(): { worker: Worker; api: Remote<HashWorkerApi> } {
  const worker = new Worker(new URL('../../workers/hash.worker.ts', import.meta.url), { type: 'module', name: 'isoscope-hash' });
  return { worker, api: wrap<HashWorkerApi>(worker) };
}

/** Split algorithms over at most `lanes` workers, slowest (SHA-256/512) alone first. */
export function planLanes(algorithms: HashAlgorithm[], lanes: number): HashAlgorithm[][] {
  const cost: Record<HashAlgorithm, number> = { sha512: 4, sha256: 4, sha1: 2, md5: 2, crc32: 0.3 };
  const sorted = [...algorithms].sort((a, b) => cost[b] - cost[a]);
  const groups: { algos: HashAlgorithm[]; load: number }[] = Array.from({ length: Math.max(1, Math.min(lanes, sorted.length)) }, () => ({ algos: [], load: 0 }));
  for (const a of sorted) {
    const g = groups.reduce((m, x) => (x.load < m.load ? x : m));
    g.algos.push(a);
    g.load += cost[a];
  }
  return groups.map((g) => g.algos).filter((g) => g.length);
}

export async function hashFile(file: File, algorithms: HashAlgorithm[], onProgress?: (p: HashRunProgress) => void, signal?: AbortSignal): Promise<Record<string, string>> {
  if (signal?.aborted) throw new AbortedError();
  const lanes = planLanes(algorithms, Math.max(2, Math.min(navigator.hardwareConcurrency || 2, 4)));
  const workers = lanes.map(() => spawn());
  const done = lanes.map(() => 0);
  const t0 = performance.now();
  const report = () => {
    const bytesDone = Math.min(...done);
    const secs = (performance.now() - t0) / 1000;
    const rate = secs > 0 ? bytesDone / secs : 0;
    onProgress?.({ bytesDone, bytesTotal: file.size, rate, eta: rate > 0 ? (file.size - bytesDone) / rate : null });
  };
  const stop = () => workers.forEach((w) => w.worker.terminate());
  try {
    const parts = await new Promise<Record<string, string>[]>((resolve, reject) => {
      const onAbort = () => {
        stop();
        reject(new AbortedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      Promise.all(
        workers.map((w, i) =>
          w.api.hash(
            file,
            lanes[i]!,
            proxy((p: HashProgress) => {
              done[i] = p.bytesDone;
              report();
            }),
          ),
        ),
      ).then(resolve, reject).finally(() => signal?.removeEventListener('abort', onAbort));
    });
    const out: Record<string, string> = {};
    for (const a of algorithms) for (const p of parts) if (p[a]) out[a] = p[a]!;
    return out;
  } finally {
    stop();
  }
}

export async function verifyWim(file: File, onProgress?: (p: HashProgress) => void, signal?: AbortSignal) {
  const w = spawn();
  const onAbort = () => w.worker.terminate();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await w.api.verifyWim(file, file.name, onProgress ? proxy(onProgress) : undefined);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    w.worker.terminate();
  }
}
