/**
 * Browser hashers (no DOM, also run in Node): SHA-256 from our generated
 * WebAssembly (sha256.ts, faster than hash-wasm's in Chromium: bench/RESULTS.md),
 * the others from hash-wasm.
 */
import { createCRC32, createMD5, createSHA1, createSHA512 } from 'hash-wasm';
import type { HasherFactory } from './hashers.ts';
import { createSha256 } from './sha256.ts';

export const wasmHashers: HasherFactory = async (algorithm) => {
  if (algorithm === 'sha256') return createSha256();
  const h = await (algorithm === 'sha1' ? createSHA1() : algorithm === 'md5' ? createMD5() : algorithm === 'sha512' ? createSHA512() : createCRC32());
  h.init();
  return { update: (b) => void h.update(b), digest: () => h.digest('hex') };
};
