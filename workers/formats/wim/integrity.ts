/**
 * WIM integrity table (wimlib src/integrity.c): SHA-1 of each chunk of the
 * WIM from the end of the header to the end of the blob table. Verified in
 * place, through the WIM's extents: nothing is extracted.
 *
 * On-disk layout (struct integrity_table_header, little-endian):
 *   +0  u32  size of the table in bytes (header and digests)
 *   +4  u32  number of entries (chunks)
 *   +8  u32  chunk size in bytes
 *   +12 u8[20] × entries  SHA-1 of each chunk
 *
 * A verifier must never pass bytes it did not hash: the covered range is
 * compared with the WIM's size before anything is read, every byte of it
 * must arrive, and "ok" is only said when every chunk was hashed and matched.
 */
import { sequentialChunks, type ByteSource } from '../../io/byte-source.ts';
import { Fields, HEX_PAIRS } from '../../io/bytes.ts';
import { FormatError } from '../../io/problems.ts';
import type { HasherFactory, HashProgress } from '../../hash/hashers.ts';
import { WIM_HEADER_SIZE, parseWimHeader } from './wim.ts';

/**
 * Entries a table may have: 20 MiB of digests. A real WIM has one per 10 MiB
 * chunk (wimlib's default, and Microsoft's), a few thousand at most.
 */
const MAX_INTEGRITY_ENTRIES = 1 << 20;
/** The covered range is read in pieces of this size, whatever the chunk size (a chunk may be 1 byte or 4 GiB). */
const READ_PIECE = 4 * 1024 * 1024;
/** Progress is reported at most once per this many bytes (and at the end). */
const PROGRESS_STEP = 4 * 1024 * 1024;

export interface IntegrityResult {
  chunks: number;
  chunkSize: number;
  /** Bytes hashed and found to match; equals the covered range only when ok. */
  checkedBytes: number;
  ok: boolean;
  /** First bad chunk: its index and byte offset in the WIM. */
  firstBad: null | { chunk: number; offset: number; expected: string; actual: string };
}

const digestHex = (table: Uint8Array, i: number): string => {
  let s = '';
  for (let j = i * 20; j < i * 20 + 20; j++) s += HEX_PAIRS[table[j]!];
  return s;
};

export async function verifyWimIntegrity(
  wim: ByteSource,
  sha1: HasherFactory,
  onProgress?: (p: HashProgress) => void,
  signal?: AbortSignal,
): Promise<IntegrityResult> {
  const head0 = await wim.read(0, WIM_HEADER_SIZE);
  if (head0.length < WIM_HEADER_SIZE) throw new FormatError('TRUNCATED', `${wim.name} is ${wim.size} bytes, shorter than a WIM header`, 'WIM header', 0);
  const header = parseWimHeader(new Fields(head0, 0, 'WIM header'));
  const res = header.integrityTable;
  if (res.sizeInWim === 0) throw new FormatError('WIM_NO_INTEGRITY', 'this WIM has no integrity table', 'WIM integrity table', null);
  if (res.sizeInWim < 12 || res.offsetInWim + res.sizeInWim > wim.size) {
    throw new FormatError(
      'WIM_INTEGRITY_RANGE',
      `the integrity table (${res.sizeInWim} bytes at ${res.offsetInWim}) lies outside the ${wim.size}-byte WIM`,
      'WIM integrity table',
      res.offsetInWim,
    );
  }
  const head = new Fields(await wim.read(res.offsetInWim, 12), res.offsetInWim, 'WIM integrity table');
  const entries = head.u32le(4),
    chunkSize = head.u32le(8);
  // The table covers the header's end to the blob table's end (integrity.c: check_wim_integrity).
  const end = header.blobTable.offsetInWim + header.blobTable.sizeInWim;
  if (end > wim.size) {
    throw new FormatError(
      'WIM_INTEGRITY_PAST_END',
      `the integrity table covers bytes up to ${end}, past the end of the ${wim.size}-byte WIM: the file is cut short or the table is forged; nothing is verified`,
      'WIM integrity table',
      res.offsetInWim,
    );
  }
  if (end <= WIM_HEADER_SIZE)
    throw new FormatError(
      'WIM_INTEGRITY_BAD',
      `the blob table ends at ${end}, inside the WIM header: the table covers nothing`,
      'WIM integrity table',
      res.offsetInWim,
    );
  const covered = end - WIM_HEADER_SIZE;
  if (chunkSize === 0 || entries > MAX_INTEGRITY_ENTRIES || entries !== Math.ceil(covered / chunkSize) || 12 + entries * 20 > res.sizeInWim) {
    throw new FormatError(
      'WIM_INTEGRITY_BAD',
      `integrity table of ${entries} entries of ${chunkSize} bytes does not cover the ${covered} bytes it should`,
      'WIM integrity table',
      res.offsetInWim,
    );
  }
  const table = await wim.read(res.offsetInWim + 12, entries * 20);
  if (table.length < entries * 20)
    throw new FormatError('TRUNCATED', 'the integrity table ends before its last digest', 'WIM integrity table', res.offsetInWim + 12 + table.length);

  const h = await sha1('sha1');
  let chunk = 0;
  let inChunk = 0; // bytes of the current chunk hashed so far
  let hashed = 0; // bytes of the covered range hashed so far
  let reported = 0;
  const chunkLength = (i: number) => Math.min(chunkSize, covered - i * chunkSize);
  for await (const piece of sequentialChunks(wim, WIM_HEADER_SIZE, covered, READ_PIECE)) {
    if (signal?.aborted) throw new DOMException('integrity check cancelled', 'AbortError');
    let at = 0;
    while (at < piece.length) {
      const take = Math.min(piece.length - at, chunkLength(chunk) - inChunk);
      h.update(piece.subarray(at, at + take));
      at += take;
      inChunk += take;
      if (inChunk === chunkLength(chunk)) {
        const actual = h.digest();
        const expected = digestHex(table, chunk);
        const offset = WIM_HEADER_SIZE + chunk * chunkSize;
        if (actual !== expected)
          return { chunks: entries, chunkSize, checkedBytes: offset - WIM_HEADER_SIZE, ok: false, firstBad: { chunk, offset, expected, actual } };
        h.reset();
        chunk++;
        inChunk = 0;
      }
    }
    hashed += piece.length;
    if (hashed - reported >= PROGRESS_STEP || hashed === covered) {
      reported = hashed;
      onProgress?.({ bytesDone: hashed, bytesTotal: covered });
    }
  }
  if (hashed !== covered || chunk !== entries) {
    // The source gave fewer bytes than its size promised (a disc cut short under the WIM's extents).
    throw new FormatError(
      'WIM_INTEGRITY_SHORT_READ',
      `only ${hashed} of the ${covered} bytes the integrity table covers could be read: nothing past byte ${WIM_HEADER_SIZE + hashed} was verified`,
      'WIM integrity table',
      WIM_HEADER_SIZE + hashed,
    );
  }
  return { chunks: entries, chunkSize, checkedBytes: covered, ok: true, firstBad: null };
}
