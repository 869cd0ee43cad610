/**
 * WIM integrity table (wimlib integrity.c): SHA-1 of each chunk of the WIM from
 * the end of the header to the end of the blob table. Verified in place,
 * through the WIM's extents: nothing is extracted.
 *
 * Layout: u32 size of table, u32 number of entries, u32 chunk size, then
 * `entries` SHA-1 digests of 20 bytes.
 */
import type { ByteSource } from '../io/byte-source.ts';
import { Fields } from '../io/bytes.ts';
import { FormatError } from '../report/problems.ts';
import type { HasherFactory, HashProgress } from '../hash/hashers.ts';
import { WIM_HEADER_SIZE, parseWimHeader } from './wim.ts';

const MAX_ENTRIES = 10_000_000;

export interface IntegrityResult {
  chunks: number;
  chunkSize: number;
  checkedBytes: number;
  ok: boolean;
  /** First bad chunk: its index and byte offset in the WIM. */
  firstBad: null | { chunk: number; offset: number; expected: string; actual: string };
}

export async function verifyWimIntegrity(wim: ByteSource, sha1: HasherFactory, onProgress?: (p: HashProgress) => void, signal?: AbortSignal): Promise<IntegrityResult> {
  const header = parseWimHeader(new Fields(await wim.read(0, WIM_HEADER_SIZE), 0, 'WIM header'));
  const res = header.integrityTable;
  if (res.sizeInWim === 0) throw new FormatError('WIM_NO_INTEGRITY', 'this WIM has no integrity table', 'WIM integrity table', null);
  if (res.offsetInWim + res.sizeInWim > wim.size || res.sizeInWim < 12) throw new FormatError('WIM_INTEGRITY_RANGE', 'the integrity table lies outside the WIM', 'WIM integrity table', res.offsetInWim);
  const head = new Fields(await wim.read(res.offsetInWim, 12), res.offsetInWim, 'WIM integrity table');
  const entries = head.u32le(4), chunkSize = head.u32le(8);
  const end = header.blobTable.offsetInWim + header.blobTable.sizeInWim;
  const checked = end - WIM_HEADER_SIZE;
  if (chunkSize === 0 || entries > MAX_ENTRIES || entries !== Math.ceil(checked / chunkSize) || 12 + entries * 20 > res.sizeInWim) {
    throw new FormatError('WIM_INTEGRITY_BAD', `integrity table of ${entries} entries of ${chunkSize} bytes does not cover the ${checked} bytes it should`, 'WIM integrity table', res.offsetInWim);
  }
  const digests = await wim.read(res.offsetInWim + 12, entries * 20);
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  for (let i = 0; i < entries; i++) {
    if (signal?.aborted) throw new DOMException('integrity check cancelled', 'AbortError');
    const offset = WIM_HEADER_SIZE + i * chunkSize;
    const len = Math.min(chunkSize, end - offset);
    const h = await sha1('sha1');
    h.update(await wim.read(offset, len));
    const actual = h.digest();
    const expected = hex(digests.subarray(i * 20, i * 20 + 20));
    onProgress?.({ bytesDone: offset + len - WIM_HEADER_SIZE, bytesTotal: checked });
    if (actual !== expected) return { chunks: entries, chunkSize, checkedBytes: offset - WIM_HEADER_SIZE, ok: false, firstBad: { chunk: i, offset, expected, actual } };
  }
  return { chunks: entries, chunkSize, checkedBytes: checked, ok: true, firstBad: null };
}
