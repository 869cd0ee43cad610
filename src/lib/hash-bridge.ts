/**
 * Owns the hashing workers: one reading thread that streams the File once
 * (read.worker.ts) and up to one hashing lane per core, joined in a ring by
 * MessageChannels (reader → lane 1 → … → lane n → reader, chunk-port.ts), so
 * a set of algorithms costs about as long as its slowest lane and no chunk
 * is ever copied. Cancel terminates them all.
 */
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { HashWorkerApi } from '../../workers/hash.worker.ts';
import type { HashAlgorithm, HashProgress } from '../../workers/hash/hashers.ts';
import type { ReadStart } from '../../workers/io/read.worker.ts';
import { DEFAULT_CHUNK } from '../../workers/hash/hashers.ts';
import { AbortedError, callWorker } from './worker-call.ts';

/**
 * Buffers in the ring: per lane one being hashed and one waiting, plus one
 * being filled, so the slowest lane never waits for bytes.
 */
const buffersFor = (lanes: number) => 2 * lanes + 1;

/**
 * The ring's chunk: 2 MiB for one lane, 4 MiB (the CLI's, DEFAULT_CHUNK) for
 * several. With one lane the reader has each buffer back sooner at 2 MiB, and
 * the buffers take half the memory; with two lanes each chunk makes three
 * hops, and 2 MiB was slower (measured in Chromium on a page-cached 1 GiB
 * file: the figures are in commit c8d59df's message).
 */
const chunkFor = (lanes: number) => (lanes === 1 ? 2 * 1024 * 1024 : DEFAULT_CHUNK);

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

/**
 * CPU cost of each algorithm in Chromium, in ns per byte (measured here, 2 × AMD EPYC); SHA-1
 * with MD5 is the stitched pair (sha1-md5.ts), cheaper than the two apart, so it stays in one lane.
 * ed2k (hash-wasm's MD4 over parts, ed2k.ts) is scaled from V8 in Node: 0.4 of SHA-256's time there.
 */
const COST = { sha512: 3.3, sha256: 3.1, sha1: 1.1, md5: 1.6, crc32: 0.6, ed2k: 1.3, 'sha1+md5': 2.2 } as const;

/** Split algorithms over at most `lanes` workers: costliest first, each onto the least loaded lane. */
export function planLanes(algorithms: HashAlgorithm[], lanes: number): HashAlgorithm[][] {
  const pair = algorithms.includes('sha1') && algorithms.includes('md5');
  const units: { algos: HashAlgorithm[]; cost: number }[] = algorithms
    .filter((a) => !pair || (a !== 'sha1' && a !== 'md5'))
    .map((a) => ({ algos: [a], cost: COST[a] }));
  if (pair) units.push({ algos: ['sha1', 'md5'], cost: COST['sha1+md5'] });
  units.sort((x, y) => y.cost - x.cost);
  const groups = Array.from({ length: Math.max(1, Math.min(lanes, units.length)) }, () => ({ algos: [] as HashAlgorithm[], load: 0 }));
  for (const unit of units) {
    const g = groups.reduce((m, x) => (x.load < m.load ? x : m));
    g.algos.push(...unit.algos);
    g.load += unit.cost;
  }
  return groups.map((g) => g.algos).filter((g) => g.length);
}

export async function hashFile(
  file: File,
  algorithms: HashAlgorithm[],
  onProgress?: (p: HashRunProgress) => void,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  if (signal?.aborted) throw new AbortedError();
  const lanes = planLanes(algorithms, Math.max(2, Math.min(navigator.hardwareConcurrency || 2, 4)));
  const reader = new Worker(new URL('../../workers/io/read.worker.ts', import.meta.url), { type: 'module', name: 'isoscope-read' });
  const workers = lanes.map(() => spawn());
  // Channel i runs into lane i; the last one runs from the last lane back to the reader.
  const channels = Array.from({ length: lanes.length + 1 }, () => new MessageChannel());
  const done = lanes.map(() => 0);
  const t0 = performance.now();
  const report = () => {
    const bytesDone = Math.min(...done);
    const secs = (performance.now() - t0) / 1000;
    const rate = secs > 0 ? bytesDone / secs : 0;
    onProgress?.({ bytesDone, bytesTotal: file.size, rate, eta: rate > 0 ? (file.size - bytesDone) / rate : null });
  };
  const stop = () => [reader, ...workers.map((w) => w.worker)].forEach((w) => w.terminate());
  try {
    // The reading thread and every lane race the abort signal together; any of them failing fails the run.
    const parts = await callWorker(
      [reader, ...workers.map((w) => w.worker)],
      stop,
      () => {
        const start: ReadStart = {
          blob: file,
          chunkSize: chunkFor(lanes.length),
          buffers: buffersFor(lanes.length),
          out: channels[0]!.port1,
          back: channels[lanes.length]!.port2,
        };
        reader.postMessage(start, [start.out, start.back]);
        return Promise.all(
          workers.map((w, i) =>
            w.api.hash(
              transfer(channels[i]!.port2, [channels[i]!.port2]),
              transfer(channels[i + 1]!.port1, [channels[i + 1]!.port1]),
              file.size,
              lanes[i]!,
              proxy((p: HashProgress) => {
                done[i] = p.bytesDone;
                report();
              }),
            ),
          ),
        );
      },
      { signal },
    );
    const out: Record<string, string> = {};
    for (const a of algorithms) for (const p of parts) if (p[a]) out[a] = p[a]!;
    return out;
  } finally {
    stop();
  }
}
