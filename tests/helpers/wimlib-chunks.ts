/**
 * wimlib's own chunk compressors and decompressors (tests/tools/wimlib-chunks.c,
 * built against Debian's libwim-dev): the independent implementation the WIM
 * decoders are compared with, chunk by chunk, and benchmarked against.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export type WimAlgorithm = 'xpress' | 'lzx' | 'lzms';

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE = resolve(ROOT, 'tests/tools/wimlib-chunks.c');
const BINARY = resolve(ROOT, '.tmp/wimlib-chunks');

/** The helper binary, compiled on first use (again when its source is newer). */
export function wimlibChunksBinary(): string {
  if (!existsSync(BINARY) || statSync(BINARY).mtimeMs < statSync(SOURCE).mtimeMs) {
    mkdirSync(resolve(ROOT, '.tmp'), { recursive: true });
    execFileSync('gcc', ['-O2', '-o', BINARY, SOURCE, '-lwim'], { stdio: 'inherit' });
  }
  return BINARY;
}

export interface WimlibChunk {
  /** The chunk's uncompressed size. */
  size: number;
  /** As stored: compressed, or the raw bytes when compression did not shrink it (stored.length === size). */
  stored: Uint8Array;
}

/** `data` cut into chunks of `chunkSize` and compressed by wimlib's compressor (level 0: its default). */
export function wimlibCompress(alg: WimAlgorithm, chunkSize: number, data: Uint8Array, level = 0): WimlibChunk[] {
  const framed = execFileSync(wimlibChunksBinary(), ['compress', alg, String(chunkSize), String(level)], { input: data, maxBuffer: 1 << 30 });
  return parseFramed(framed);
}

/** The framed form (see wimlib-chunks.c) back into chunks. */
export function parseFramed(framed: Uint8Array): WimlibChunk[] {
  const view = new DataView(framed.buffer, framed.byteOffset, framed.byteLength);
  if (String.fromCharCode(...framed.subarray(0, 4)) !== 'WCHK') throw new Error('not framed chunks');
  const chunks: WimlibChunk[] = [];
  for (let at = 4; at + 8 <= framed.length;) {
    const size = view.getUint32(at, true),
      stored = view.getUint32(at + 4, true);
    at += 8;
    chunks.push({ size, stored: framed.subarray(at, at + stored) });
    at += stored;
  }
  return chunks;
}

/** Chunks back into the framed form (to hand mutated chunks to wimlib, or to benchmark it). */
export function frame(chunks: WimlibChunk[]): Uint8Array {
  const total = 4 + chunks.reduce((n, c) => n + 8 + c.stored.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set([0x57, 0x43, 0x48, 0x4b]);
  let at = 4;
  for (const c of chunks) {
    view.setUint32(at, c.size, true);
    view.setUint32(at + 4, c.stored.length, true);
    out.set(c.stored, at + 8);
    at += 8 + c.stored.length;
  }
  return out;
}

/** wimlib's single-thread decompression speed over these chunks, `repeat` passes (MB/s, 10^6 bytes). */
export function wimlibDecompressSpeed(alg: WimAlgorithm, chunkSize: number, chunks: WimlibChunk[], repeat = 3): number {
  const out = execFileSync(wimlibChunksBinary(), ['bench', alg, String(chunkSize), String(repeat)], { input: frame(chunks), maxBuffer: 1 << 30 });
  return (JSON.parse(out.toString()) as { mbPerSecond: number }).mbPerSecond;
}
