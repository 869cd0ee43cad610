/**
 * The WIM decoders' throughput loop, the same code in Node (bench/wim.ts)
 * and in a Chromium Web Worker (bench/wim-worker.ts): every chunk of a
 * framed file (tests/tools/wimlib-chunks.c's "WCHK" form, as wimlib's own
 * compressor wrote it) decoded into one reused chunk buffer, a chunk stored
 * raw copied, as wimlib-chunks' bench loop does with wimlib_decompress.
 * Nothing here may import Node's modules: it is bundled for the browser.
 */
import type { ChunkDecoder } from '../workers/formats/wim/codec.ts';
import { LzmsDecoder } from '../workers/formats/wim/lzms.ts';
import { LzxDecoder } from '../workers/formats/wim/lzx.ts';
import { XpressDecoder } from '../workers/formats/wim/xpress.ts';

export type Algorithm = 'lzx' | 'xpress' | 'lzms';

export interface Chunk {
  /** Uncompressed size. */
  size: number;
  /** As stored: compressed, or raw when stored.length === size. */
  stored: Uint8Array;
}

export function makeDecoder(alg: Algorithm, chunkSize: number): ChunkDecoder {
  return alg === 'lzx' ? new LzxDecoder(chunkSize) : alg === 'xpress' ? new XpressDecoder(chunkSize) : new LzmsDecoder(chunkSize);
}

/** The framed form back into chunks (as tests/helpers/wimlib-chunks.ts parseFramed, without Node's modules). */
export function parseFramed(framed: Uint8Array): Chunk[] {
  const view = new DataView(framed.buffer, framed.byteOffset, framed.byteLength);
  if (framed[0] !== 0x57 || framed[1] !== 0x43 || framed[2] !== 0x48 || framed[3] !== 0x4b) throw new Error('not framed chunks');
  const chunks: Chunk[] = [];
  for (let at = 4; at + 8 <= framed.length;) {
    const size = view.getUint32(at, true),
      stored = view.getUint32(at + 4, true);
    at += 8;
    chunks.push({ size, stored: framed.subarray(at, at + stored) });
    at += stored;
  }
  return chunks;
}

/** One pass over every chunk into `out` (a chunk's worth); calls `each` with every decoded chunk when given (to check them). */
export function decodeAll(decoder: ChunkDecoder, chunks: Chunk[], out: Uint8Array, each?: (bytes: Uint8Array, i: number) => void): number {
  let total = 0;
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    const dest = out.subarray(0, c.size);
    if (c.stored.length === c.size) dest.set(c.stored);
    else decoder.decompress(c.stored, dest, 0);
    each?.(dest, i);
    total += c.size;
  }
  return total;
}

/** Index of the first byte where decoding `chunks` differs from `original` (-1: identical). */
export function firstDifference(decoder: ChunkDecoder, chunks: Chunk[], chunkSize: number, original: Uint8Array): number {
  let bad = -1;
  const out = new Uint8Array(chunkSize);
  const total = decodeAll(decoder, chunks, out, (bytes, i) => {
    if (bad >= 0) return;
    const base = i * chunkSize;
    for (let j = 0; j < bytes.length; j++)
      if (bytes[j] !== original[base + j]) {
        bad = base + j;
        return;
      }
  });
  return bad >= 0 ? bad : total === original.length ? -1 : total;
}
