/**
 * Node's hashers: OpenSSL through node:crypto (SHA-NI where the CPU has it),
 * zlib's CRC-32, and eD2k's over hash-wasm's MD4 (ed2k.ts: OpenSSL 3 keeps
 * MD4 in its legacy provider, which Node does not load), loaded only when asked for.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { eachAlone, type Hasher, type HasherFactory } from './hashers.ts';

export const nodeHashers: HasherFactory = async (algorithm) => {
  if (algorithm === 'ed2k') return (await import('./ed2k.ts')).createEd2k();
  if (algorithm === 'crc32') {
    let value = 0;
    const h: Hasher = {
      update: (b) => void (value = crc32(b, value)),
      digest: () => (value >>> 0).toString(16).padStart(8, '0'),
      reset: () => void (value = 0),
    };
    return h;
  }
  let h = createHash(algorithm);
  return { update: (b) => void h.update(b), digest: () => h.digest('hex'), reset: () => void (h = createHash(algorithm)) };
};

export const nodeHashSet = eachAlone(nodeHashers);
