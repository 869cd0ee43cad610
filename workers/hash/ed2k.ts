/**
 * eDonkey2000's hash ("ed2k"), the one ed2k links carry: the file in parts of
 * 9,728,000 bytes (9500 KiB), each part's MD4, then the MD4 of those digests
 * one after another; a file of a single part less than 9,728,000 bytes long
 * (the empty file too) is its MD4 alone. MD4 is hash-wasm's (RFC 1320); only
 * the parts are ours.
 *
 * A file whose size is an exact multiple of the part size: eMule's convention,
 * which `rhash --ed2k` follows ("eMule-compatible", librhash/ed2k.c) and which
 * the links MSDN's archived listing and forums give were made with: the part
 * list ends with the MD4 of an empty part after the last full one, so a file
 * of exactly 9,728,000 bytes has two parts and is MD4(MD4(data) ‖ MD4("")).
 * The other convention, which leaves the empty part out (rhash's source calls
 * it eDonkey's), differs from it only for such files.
 *
 * Streaming, in flat memory: a part's digest goes into the outer MD4 as soon
 * as the part is complete, so nothing grows with the file.
 */
import type { Hasher } from './hashers.ts';

/** Bytes in a part: 9500 KiB. */
export const ED2K_PART = 9_728_000;

export async function createEd2k(): Promise<Hasher> {
  // Imported on first use, as wasm-hashers.ts does for CRC-32 and SHA-512.
  const { createMD4 } = await import('hash-wasm');
  const [part, outer] = await Promise.all([createMD4(), createMD4()]);
  /** Bytes of the current part hashed so far (always less than a part). */
  let inPart = 0;
  /** Parts complete and fed to the outer MD4. */
  let parts = 0;
  const reset = () => {
    part.init();
    outer.init();
    inPart = 0;
    parts = 0;
  };
  reset();
  return {
    update(bytes) {
      let i = 0;
      // A part is closed the moment it is full (eMule's convention: see above).
      while (bytes.length - i >= ED2K_PART - inPart) {
        const take = ED2K_PART - inPart;
        part.update(bytes.subarray(i, i + take));
        i += take;
        outer.update(part.digest('binary'));
        part.init();
        inPart = 0;
        parts++;
      }
      if (i < bytes.length) {
        part.update(bytes.subarray(i));
        inPart += bytes.length - i;
      }
    },
    digest() {
      if (parts === 0) return part.digest('hex');
      // The last part: the remainder, or an empty part when the size is a multiple of the part size.
      outer.update(part.digest('binary'));
      return outer.digest('hex');
    },
    reset,
  };
}
