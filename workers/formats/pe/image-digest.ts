/**
 * The Authenticode image digest of a PE file ("Windows Authenticode Portable
 * Executable Signature Format", §"Calculating the PE Image Hash"), streamed
 * from a ByteSource in pieces with the project's own hashers (workers/hash:
 * Node passes node:crypto's, the worker its WebAssembly ones).
 *
 * What is hashed, in this order:
 *  1. the headers from offset 0 to SizeOfHeaders, less the optional
 *     header's CheckSum (4 bytes) and the Certificate Table entry of the
 *     data directory (8 bytes);
 *  2. each section with raw data, sorted by PointerToRawData ascending,
 *     SizeOfRawData bytes from PointerToRawData;
 *  3. the trailing data: when the file is longer than SUM_OF_BYTES_HASHED
 *     (SizeOfHeaders plus every section's SizeOfRawData), the
 *     FILE_SIZE − (CertificateTable.Size + SUM_OF_BYTES_HASHED) bytes from
 *     offset SUM_OF_BYTES_HASHED (the document's step 15; the certificate
 *     table itself, at the end of the file, is not hashed);
 *  4. for a file without a certificate table whose size is not a multiple
 *     of 8, zero bytes up to the next multiple of 8: what a signing tool
 *     pads the file with before it appends the table (PE/COFF §4.7: entries
 *     are quadword-aligned), so an unsigned file hashes as its signed copy
 *     will. Windows computes catalog and AppLocker hashes of unsigned files
 *     this way (System Informer issue #3073/#3074 compares with
 *     Get-AppLockerFileInformation), and osslsigncode (extract-data, verify
 *     -catalog) too.
 *
 * Reads: the whole file but its certificate table, front to back in
 * CHUNK-sized pieces; at most one piece is held at a time.
 */
import { sequentialChunks, type ByteSource } from '../../io/byte-source.ts';
import { Fields } from '../../io/bytes.ts';
import { FormatError } from '../../io/format-error.ts';
import type { HashAlgorithm, HasherFactory } from '../../hash/hashers.ts';
import type { PeHeader } from './pe.ts';

const CHUNK = 1024 * 1024;
const MAX_SECTIONS = 96;
/** Data directory 4 (PE/COFF §3.4.3). */
const CERTIFICATE_TABLE = 4;

export interface ImageDigestPlan {
  /** [offset, length] ranges of the file, hashed in this order. */
  ranges: [number, number][];
  /** Bytes of the file hashed in all. */
  bytes: number;
  /** Zero bytes hashed after the ranges (step 4: an unsigned file padded to a multiple of 8). */
  padding: number;
}

/** Which bytes the Authenticode digest covers (what `imageDigest` hashes), from the headers alone. */
export async function imageDigestRanges(src: ByteSource, header: PeHeader): Promise<ImageDigestPlan> {
  const h = header.head;
  const opt = header.optionalHeaderAt;
  const fail = (code: string, message: string, at: number): never => {
    throw new FormatError(code, `${src.name}: ${message}`, 'PE image digest', at);
  };
  if (opt + 64 > h.length) fail('PE_HEADERS_TRUNCATED', 'the optional header is cut short', opt);
  const checksumAt = opt + 64; // CheckSum: offset 64 of the optional header in PE32 and PE32+ alike (PE/COFF §3.4.2)
  const sizeOfHeaders = h.u32le(opt + 60);
  const certEntryAt = header.dataDirectoriesAt + CERTIFICATE_TABLE * 8;
  const hasCertEntry = header.dataDirectoryCount > CERTIFICATE_TABLE && certEntryAt + 8 <= opt + header.optionalHeaderSize;
  const certSize = hasCertEntry && h.u32le(certEntryAt) !== 0 ? h.u32le(certEntryAt + 4) : 0;
  const lastSkip = hasCertEntry ? certEntryAt + 8 : checksumAt + 4;
  if (sizeOfHeaders < lastSkip || sizeOfHeaders > src.size)
    fail(
      'PE_BAD_SIZE_OF_HEADERS',
      `SizeOfHeaders ${sizeOfHeaders} does not cover the optional header (${lastSkip}) or runs past the file (${src.size})`,
      opt + 60,
    );
  const ranges: [number, number][] = [[0, checksumAt]];
  if (hasCertEntry) ranges.push([checksumAt + 4, certEntryAt - (checksumAt + 4)], [certEntryAt + 8, sizeOfHeaders - (certEntryAt + 8)]);
  else ranges.push([checksumAt + 4, sizeOfHeaders - (checksumAt + 4)]);

  // The section table follows the optional header; readPeHeader kept up to 4 KiB of headers, read it again if it is longer.
  const tableAt = opt + header.optionalHeaderSize;
  // The COFF header's NumberOfSections as written (readPeHeader caps its own count, which would hash too little).
  const sectionCount = h.u16le(header.peAt + 6);
  if (sectionCount > MAX_SECTIONS) fail('PE_TOO_MANY_SECTIONS', `${sectionCount} sections (more than ${MAX_SECTIONS})`, header.peAt + 6);
  const tableBytes = sectionCount * 40;
  const table = tableAt + tableBytes <= h.length ? h : new Fields(await src.read(0, tableAt + tableBytes), 0, 'PE section table');
  if (tableAt + tableBytes > table.length) fail('PE_HEADERS_TRUNCATED', 'the section table is cut short', tableAt);
  const sections: { at: number; size: number; entry: number }[] = [];
  for (let i = 0; i < sectionCount; i++) {
    const e = tableAt + i * 40;
    const size = table.u32le(e + 16);
    const at = table.u32le(e + 20);
    if (size === 0) continue;
    if (at + size > src.size) fail('PE_SECTION_PAST_END', `section ${i + 1}'s ${size} raw bytes at ${at} run past the file's ${src.size}`, e + 16);
    sections.push({ at, size, entry: i });
  }
  sections.sort((a, b) => a.at - b.at || a.entry - b.entry);
  let sum = sizeOfHeaders;
  for (const s of sections) {
    ranges.push([s.at, s.size]);
    sum += s.size;
  }
  if (src.size > sum) {
    const extra = src.size - (certSize + sum);
    if (extra < 0) fail('PE_BAD_TRAILING_DATA', `the certificate table (${certSize} bytes) is larger than what follows the sections`, certEntryAt);
    if (extra > 0) ranges.push([sum, extra]);
  }
  const padding = certSize === 0 && src.size % 8 ? 8 - (src.size % 8) : 0;
  return { ranges, bytes: ranges.reduce((n, [, l]) => n + l, 0), padding };
}

/** The Authenticode digest (lower-case hex) of the PE image `src` with `algorithm`, through `hashers`. */
export async function imageDigest(
  src: ByteSource,
  header: PeHeader,
  algorithm: Extract<HashAlgorithm, 'sha1' | 'sha256'>,
  hashers: HasherFactory,
  signal?: AbortSignal,
): Promise<{ digest: string; bytes: number }> {
  const plan = await imageDigestRanges(src, header);
  const hasher = await hashers(algorithm);
  for (const [offset, length] of plan.ranges) {
    let done = 0;
    for await (const piece of sequentialChunks(src, offset, length, CHUNK)) {
      if (signal?.aborted) throw new DOMException('image digest cancelled', 'AbortError');
      hasher.update(piece);
      done += piece.length;
    }
    if (done !== length)
      throw new FormatError('PE_DIGEST_SHORT_READ', `${src.name}: read ${done} of ${length} bytes at ${offset}`, 'PE image digest', offset + done);
  }
  if (plan.padding) hasher.update(new Uint8Array(plan.padding));
  return { digest: hasher.digest(), bytes: plan.bytes };
}
