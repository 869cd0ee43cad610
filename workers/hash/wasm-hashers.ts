/** Browser hashers: hash-wasm's WebAssembly implementations (no DOM, also runs in Node). */
import { createCRC32, createMD5, createSHA1, createSHA256, createSHA512 } from 'hash-wasm';
import type { HasherFactory } from './hashers.ts';

export const wasmHashers: HasherFactory = async (algorithm) => {
  const h = await (algorithm === 'sha256'
    ? createSHA256()
    : algorithm === 'sha1'
      ? createSHA1()
      : algorithm === 'md5'
        ? createMD5()
        : algorithm === 'sha512'
          ? createSHA512()
          : createCRC32());
  h.init();
  return { update: (b) => void h.update(b), digest: () => h.digest('hex') };
};
