/**
 * zlib (RFC 1950) decompression with a bound on the output, through the
 * platform's DecompressionStream ("deflate" is the zlib-wrapped format; the
 * browser and Node 18+ both have it). A stream that would inflate past
 * `maxBytes` is cut there and reported: a few kilobytes must not become
 * gigabytes.
 */
import { FormatError } from './format-error.ts';

export async function inflateZlib(data: Uint8Array, maxBytes: number, structure: string, offset: number | null): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
  const reader = stream.getReader();
  const out = new Uint8Array(maxBytes);
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (length + value.length > maxBytes) {
        await reader.cancel();
        throw new FormatError('INFLATE_TOO_LARGE', `${structure}: inflates past the ${maxBytes} bytes it may hold`, structure, offset);
      }
      out.set(value, length);
      length += value.length;
    }
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError('INFLATE_FAILED', `${structure}: the compressed data is damaged (${(e as Error).message})`, structure, offset);
  }
  return out.subarray(0, length);
}
