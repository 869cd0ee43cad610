/**
 * Our generated hash modules compiled, and run hot, before a hashing lane
 * needs them. A lane is a new worker each run: left to itself it would
 * generate and compile its module only once it is running (10–25 ms on two
 * cores) and hash its first megabytes in V8's baseline code (Liftoff) while
 * the optimised code is compiled in the background (its first 4 MiB chunk
 * took 30–45 ms, the others 12–15). The reading thread, whose script is
 * small and loads first, does both while the lanes' scripts load
 * (read.worker.ts): it compiles the modules, runs each one's compression
 * function over a few zero blocks (enough for V8 to start compiling its
 * optimised code), and the page posts the compiled modules with each lane's
 * work. A WebAssembly.Module posted to another worker shares its compiled
 * code, the optimised code too once ready, so the lane instantiates it at
 * once and hashes at full speed from its first chunk. Not the page: a
 * dynamic import there would add Vite's preload helper to the main bundle.
 */
import type { HashAlgorithm } from './hashers.ts';
import { DATA, type ModuleCache } from './block-hasher.ts';
import { md5Module } from './md5.ts';
import { sha1Module } from './sha1.ts';
import { sha1Md5Module } from './sha1-md5.ts';
import { sha256Module } from './sha256.ts';

/** Compiled modules by what they compute: a lane hashing SHA-1 and MD5 uses the stitched pair (wasm-hashers.ts). */
export type WarmModules = Partial<Record<'sha256' | 'sha1' | 'md5' | 'sha1+md5', WebAssembly.Module>>;
type Key = keyof WarmModules;

const caches = (): Record<Key, ModuleCache> => ({ sha256: sha256Module(), sha1: sha1Module(), md5: md5Module, 'sha1+md5': sha1Md5Module() });

/** The modules a lane hashing `algorithms` instantiates (as wasmHashSet chooses them). */
function keysFor(algorithms: readonly HashAlgorithm[]): Key[] {
  const stitch = algorithms.includes('sha1') && algorithms.includes('md5');
  const keys: Key[] = stitch ? ['sha1+md5'] : [];
  for (const a of algorithms) if (a === 'sha256' || (!stitch && (a === 'sha1' || a === 'md5'))) keys.push(a);
  return keys;
}

/**
 * Blocks a warming run compresses: V8 starts optimising a function once its
 * runs have used a budget proportional to the code executed (its tiering
 * budget); 64 KiB of blocks exhausts it for every module here and takes
 * well under a millisecond.
 */
const WARM_BLOCKS = 1024;

/** The modules for a lane hashing `algorithms`, compiled and run hot in this thread. Empty where none of ours is asked for. */
export async function warmModules(algorithms: readonly HashAlgorithm[]): Promise<WarmModules> {
  const all = caches();
  const out: WarmModules = {};
  await Promise.all(
    keysFor(algorithms).map(async (key) => {
      const module = await all[key]();
      const instance = await WebAssembly.instantiate(module);
      // Zero blocks in the block buffer; the chaining values are thrown away with the instance.
      (instance.exports.compress as (ptr: number, blocks: number) => void)(DATA, WARM_BLOCKS);
      out[key] = module;
    }),
  );
  return out;
}

/** Has this thread's hashers instantiate `modules` (posted from the thread that warmed them) rather than compile their own. */
export function seedModules(modules: WarmModules): void {
  const all = caches();
  for (const [key, module] of Object.entries(modules) as [Key, WebAssembly.Module][]) all[key].seed(module);
}
