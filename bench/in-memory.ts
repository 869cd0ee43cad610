/**
 * Bundled into a blank Chromium page by bench/run.ts: hash throughput on
 * bytes already in memory, our generated WebAssembly against hash-wasm's,
 * in the browser's own V8 (where the app runs), without any file reading.
 */
import { createMD5, createSHA1, createSHA256 } from 'hash-wasm';
import { createMd5 } from '../workers/hash/md5.ts';
import { createSha1 } from '../workers/hash/sha1.ts';
import { createSha1Md5 } from '../workers/hash/sha1-md5.ts';
import { createSha256 } from '../workers/hash/sha256.ts';

type Feed = { update(bytes: Uint8Array): unknown };
const hashWasm = (create: () => Promise<Feed & { init(): unknown }>) => async (): Promise<Feed[]> => {
  const h = await create();
  h.init();
  return [h];
};

/** Each contender: the hashers it feeds every chunk to. */
export const CONTENDERS: Record<string, () => Promise<Feed[]>> = {
  'ours sha256': async () => [await createSha256()],
  'ours sha256, no SIMD': async () => [await createSha256(false)],
  'hash-wasm sha256': hashWasm(createSHA256),
  'ours sha1': async () => [await createSha1()],
  'ours sha1, no SIMD': async () => [await createSha1(false)],
  'hash-wasm sha1': hashWasm(createSHA1),
  'ours md5': async () => [await createMd5()],
  'hash-wasm md5': hashWasm(createMD5),
  'ours sha1+md5 stitched': async () => [await createSha1Md5()],
  'ours sha1+md5 stitched, no SIMD': async () => [await createSha1Md5(false)],
  'ours sha1, then md5': async () => [await createSha1(), await createMd5()],
};

/** Best MB/s of `rounds` passes over `mib` MiB of random bytes, for each contender, rounds interleaved. */
export async function throughput(names: string[], mib: number, rounds: number): Promise<Record<string, number>> {
  const data = new Uint8Array(mib * 1024 * 1024);
  for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
  const bestMs: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) {
    for (const name of names) {
      const hashers = await CONTENDERS[name]!();
      const t0 = performance.now();
      for (let i = 0; i < data.length; i += 4 * 1024 * 1024) for (const h of hashers) h.update(data.subarray(i, i + 4 * 1024 * 1024));
      bestMs[name] = Math.min(bestMs[name] ?? Infinity, performance.now() - t0);
    }
  }
  return Object.fromEntries(names.map((n) => [n, data.length / 1e3 / bestMs[n]!]));
}
