/**
 * Browser hashers (no DOM, also run in Node): SHA-256, SHA-1 and MD5 from our
 * generated WebAssembly (sha256.ts, sha1.ts, md5.ts: faster than hash-wasm's
 * in Chromium, bench/RESULTS.md), CRC-32 and SHA-512 from hash-wasm, eD2k's
 * over hash-wasm's MD4 (ed2k.ts). Where a set asks for both SHA-1 and MD5,
 * one stitched function computes the pair.
 */
import { eachAlone, type HasherFactory, type HashSet, type HashSetFactory } from './hashers.ts';
import { createEd2k } from './ed2k.ts';
import { createMd5 } from './md5.ts';
import { createSha1 } from './sha1.ts';
import { createSha1Md5 } from './sha1-md5.ts';
import { createSha256 } from './sha256.ts';

export const wasmHashers: HasherFactory = async (algorithm) => {
  if (algorithm === 'sha256') return createSha256();
  if (algorithm === 'sha1') return createSha1();
  if (algorithm === 'md5') return createMd5();
  if (algorithm === 'ed2k') return createEd2k();
  // Imported when first asked for: hash-wasm is a few hundred KiB of script that every CLI start would otherwise load.
  const { createCRC32, createSHA512 } = await import('hash-wasm');
  const h = await (algorithm === 'sha512' ? createSHA512() : createCRC32());
  h.init();
  return { update: (b) => void h.update(b), digest: () => h.digest('hex'), reset: () => void h.init() };
};

export const wasmHashSet: HashSetFactory = async (algorithms) => {
  const stitch = algorithms.includes('sha1') && algorithms.includes('md5');
  const alone = algorithms.filter((a) => !stitch || (a !== 'sha1' && a !== 'md5'));
  const rest = await eachAlone(wasmHashers)(alone);
  if (!stitch) return rest;
  const pair = await createSha1Md5();
  const set: HashSet = {
    update(bytes) {
      pair.update(bytes);
      rest.update(bytes);
    },
    digests() {
      const [sha1, md5] = pair.digests() as [string, string];
      return { ...rest.digests(), sha1, md5 };
    },
  };
  return set;
};
