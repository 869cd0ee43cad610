/**
 * `npm run fuzz -- --minutes 10`: mutation fuzzing for as long as asked.
 * Cases run in a worker thread with a heap cap (an unbounded allocation
 * kills the worker, not the runner) and a watchdog (a case over 5 s is a
 * hang). Each failing input is saved to tests/fixtures/bad/found/.
 */
import { Worker } from 'node:worker_threads';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mutateOrAmplify, rng, structureRanges } from './mutator.ts';

const args = process.argv.slice(2);
const minutes = Number(args[args.indexOf('--minutes') + 1] ?? 1) || 1;
const seed0 = Number(args.includes('--seed') ? args[args.indexOf('--seed') + 1] : Date.now() % 1e9);
const FIXTURES = resolve(import.meta.dirname, '../fixtures');
const FOUND = join(FIXTURES, 'bad/found');
const images = readdirSync(FIXTURES).filter((n) => n.endsWith('.iso') && !/grub|memtest/.test(n));
const deadline = Date.now() + minutes * 60_000;
const BATCH = 200;

async function newWorker(): Promise<Worker> {
  const w = new Worker(new URL('./case-worker.mjs', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 768 } });
  // Post nothing before the worker has its listener: wait for its 'ready'.
  await new Promise<void>((ok, fail) => {
    w.once('message', (m: { type: string }) => (m.type === 'ready' ? ok() : fail(new Error(`unexpected ${m.type}`))));
    w.once('error', fail);
  });
  return w;
}

/** Rebuild a case from (image, seed, index) and save it. */
async function save(name: string, seed: number, index: number, why: string): Promise<void> {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, name)));
  const ranges = await structureRanges(bytes, name);
  const random = rng(seed);
  let m = mutateOrAmplify(bytes, ranges, random);
  for (let i = 0; i < index; i++) m = mutateOrAmplify(bytes, ranges, random);
  mkdirSync(FOUND, { recursive: true });
  const file = join(FOUND, `${name.replace(/\.iso$/, '')}-seed${seed}-case${index}.iso`);
  writeFileSync(file, m.bytes);
  writeFileSync(file + '.txt', `${why}\nmutation: ${m.description}\n`);
  console.log(`  saved ${file}`);
}

let total = 0,
  failures = 0,
  batch = 0;
console.log(`fuzzing ${images.length} fixtures for ${minutes} min from seed ${seed0}`);
while (Date.now() < deadline) {
  const name = images[batch % images.length]!;
  const seed = seed0 + batch++;
  // A fresh worker per batch: a crash or a kill never leaks into the next one.
  const worker = await newWorker();
  const result = await new Promise<{ ran: number; faults: { index: number; why: string }[] }>((done) => {
    const faults: { index: number; why: string }[] = [];
    let current = -1;
    let watchdog: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(watchdog);
      void worker.terminate();
      done({ ran: current + 1, faults });
    };
    // 5 s per case; the first also covers loading the fixture.
    const arm = (ms = 5000) => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        faults.push({ index: current, why: current < 0 ? 'the worker did not start' : 'hang: no result within 5 s' });
        finish();
      }, ms);
    };
    worker.on('message', (m: { type: string; index: number; description?: string; faults?: string[]; ms?: number }) => {
      if (m.type === 'start') {
        current = m.index;
        arm();
      } else if (m.type === 'fault') faults.push({ index: m.index, why: `${m.faults!.join('; ') || `slow: ${m.ms!.toFixed(0)} ms`} (${m.description})` });
      else if (m.type === 'done') finish();
    });
    worker.on('error', (e) => {
      faults.push({ index: current, why: `worker died (unbounded allocation?): ${e.message}` });
      finish();
    });
    arm(60_000);
    worker.postMessage({ path: join(FIXTURES, name), name, seed, count: BATCH });
  });
  if (result.ran === 0 && result.faults.length) throw new Error(`the fuzz worker could not run: ${result.faults[0]!.why}`);
  total += result.ran;
  for (const f of result.faults) {
    failures++;
    console.log(`FAULT ${name} seed ${seed} case ${f.index}: ${f.why}`);
    if (f.index >= 0) await save(name, seed, f.index, f.why);
  }
}
console.log(`${total} cases, ${failures} faults`);
process.exitCode = failures ? 1 : 0;
