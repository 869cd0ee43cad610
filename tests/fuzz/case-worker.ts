/** Runs fuzz cases in a worker thread so that the runner can time out a hang and survive a crash. */
import { parentPort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { mutateOrAmplify, rng, runCase, structureRanges } from './mutator.ts';

const cache = new Map<string, { bytes: Uint8Array; ranges: [number, number][] }>();

type Batch = { path: string; name: string; seed: number; count: number };

/** One batch of mutants of one base image; a throw here ends the worker, which the parent reports as a fault. */
async function runBatch(msg: Batch): Promise<void> {
  let base = cache.get(msg.path);
  if (!base) {
    const bytes = new Uint8Array(readFileSync(msg.path));
    base = { bytes, ranges: await structureRanges(bytes, msg.name) };
    cache.set(msg.path, base);
  }
  const random = rng(msg.seed);
  for (let i = 0; i < msg.count; i++) {
    const m = mutateOrAmplify(base.bytes, base.ranges, random);
    parentPort!.postMessage({ type: 'start', index: i });
    const r = await runCase(m.bytes, msg.name);
    if (r.faults.length || r.ms > 2000) parentPort!.postMessage({ type: 'fault', index: i, description: m.description, faults: r.faults, ms: r.ms });
  }
  parentPort!.postMessage({ type: 'done' });
}

parentPort!.on('message', (msg: Batch) => void runBatch(msg));

parentPort!.postMessage({ type: 'ready' });
