/**
 * The blob table (wimlib's name; Microsoft's "lookup table"): every stream
 * stored in the WIM, by the SHA-1 of its data (wimlib src/blob_table.c).
 *
 * struct blob_descriptor_disk, 50 bytes, little-endian:
 *   +0   reshdr        24  resource header: u56 size in WIM, u8 flags,
 *                          u64 offset in WIM, u64 uncompressed size
 *   +24  part_number   u16 which part of a split WIM holds it (from 1)
 *   +26  refcnt        u32 references over all images
 *   +30  hash          20  SHA-1 of the uncompressed data
 *
 * Entries flagged METADATA are the images' metadata resources, assigned to
 * images in the order they appear (as WIMGAPI does, whatever the XML says).
 * In a solid WIM (version 3584) a run of entries flagged SOLID describes
 * solid resources (uncompressed size = 0x100000000, the resource entries)
 * and the blobs inside them: a blob's "offset" is its offset in the run's
 * resources laid end to end, its "size in WIM" its uncompressed size.
 * Entries with an all-zero hash or size 0, and repeated hashes, are
 * ignored, as wimlib ignores them.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields } from '../../io/bytes.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import { SOLID_COMPRESSION, SOLID_HEADER_SIZE, type ResourceSpec, type WimCompression } from './resource.ts';
import { parseResourceHeader, type ResourceHeader, type WimHeader } from './wim.ts';

export const BLOB_DESCRIPTOR_SIZE = 50;
/** The uncompressed size that marks a solid run's resource entries (wimlib SOLID_RESOURCE_MAGIC_NUMBER). */
const SOLID_RESOURCE_MAGIC = 0x100000000;
/** WIM_VERSION_SOLID: only WIMs of this version have solid resources. */
export const WIM_VERSION_SOLID = 0xe00;
/** 4 million blobs (200 MB of table): far beyond a real WIM (a Windows image has ~100 000). */
export const MAX_BLOBS = 4_000_000;

const RESHDR_COMPRESSED = 0x04;
const RESHDR_METADATA = 0x02;
const RESHDR_SOLID = 0x10;

export interface BlobDescriptor {
  /** Lowercase hex SHA-1 of the blob's data. */
  sha1: string;
  size: number;
  partNumber: number;
  refCount: number;
  /** The resource that holds it, and where its bytes start in the resource's uncompressed data. */
  resource: ResourceSpec;
  offsetInResource: number;
  /** Its index in the table (for messages). */
  entry: number;
}

export interface BlobTable {
  /** Every stream by SHA-1. */
  blobs: Map<string, BlobDescriptor>;
  /** The images' metadata resources, image 1 first. */
  metadata: BlobDescriptor[];
  /** Entries ignored, by reason (duplicates, empty, other parts). */
  ignored: { duplicate: number; empty: number; otherPart: number };
  entries: number;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += HEX[x];
  return s;
}

export function resourceSpec(h: ResourceHeader, header: WimHeader): ResourceSpec {
  const known: Record<string, WimCompression> = { XPRESS: 'XPRESS', LZX: 'LZX', LZMS: 'LZMS' };
  return {
    offsetInWim: h.offsetInWim,
    sizeInWim: h.sizeInWim,
    uncompressedSize: h.uncompressedSize,
    compression: h.flags & RESHDR_COMPRESSED ? (known[header.compression] ?? 'unknown') : 'none',
    // WIMs from before chunk sizes were recorded say 0: 32 KiB, the only size there was (wimlib header.c).
    chunkSize: header.chunkSize || 32768,
    solid: false,
  };
}

/** Read and index the blob table of one WIM (one part of a split WIM). */
export async function readBlobTable(wim: ByteSource, header: WimHeader, log: ProblemLog): Promise<BlobTable> {
  const res = header.blobTable;
  const structure = 'WIM blob table';
  if (res.flags & RESHDR_COMPRESSED)
    throw new FormatError('WIM_BLOB_TABLE_COMPRESSED', 'the blob table is compressed, which no WIM writer does', structure, res.offsetInWim);
  const entries = Math.floor(res.uncompressedSize / BLOB_DESCRIPTOR_SIZE);
  if (entries > MAX_BLOBS)
    throw new FormatError('WIM_BLOB_TABLE_TOO_LARGE', `the blob table lists ${entries} blobs; isoscope reads at most ${MAX_BLOBS}`, structure, res.offsetInWim);
  if (res.offsetInWim + entries * BLOB_DESCRIPTOR_SIZE > wim.size)
    throw new FormatError(
      'WIM_BLOB_TABLE_PAST_END',
      `the blob table (${res.uncompressedSize} bytes at ${res.offsetInWim}) runs past the end of the ${wim.size}-byte WIM`,
      structure,
      res.offsetInWim,
    );
  const bytes = await wim.read(res.offsetInWim, entries * BLOB_DESCRIPTOR_SIZE);
  const f = new Fields(bytes, res.offsetInWim, structure);
  const solidAllowed = header.version === WIM_VERSION_SOLID;
  const table: BlobTable = { blobs: new Map(), metadata: [], ignored: { duplicate: 0, empty: 0, otherPart: 0 }, entries };

  // The solid resources of the current run, in order, with where each starts in the run's concatenation.
  let run: { spec: ResourceSpec; start: number }[] | null = null;
  for (let i = 0; i < entries; i++) {
    const at = i * BLOB_DESCRIPTOR_SIZE;
    const reshdr = parseResourceHeader(f, at);
    const partNumber = f.u16le(at + 24);
    const refCount = f.u32le(at + 26);
    const sha1 = hex(f.raw(at + 30, 20));
    const solid = solidAllowed && (reshdr.flags & RESHDR_SOLID) !== 0;
    let resource: ResourceSpec;
    let offsetInResource = 0;
    let size: number;
    if (solid) {
      run ??= await readSolidRun(wim, f, i, entries, log);
      if (reshdr.uncompressedSize === SOLID_RESOURCE_MAGIC) continue; // a resource entry, not a blob
      const placed = placeInRun(run, reshdr.offsetInWim, reshdr.sizeInWim);
      if (!placed) {
        log.warn('WIM_BLOB_OUTSIDE_SOLID', `blob ${sha1} (entry ${i}) lies outside the solid resources of its run`, structure, f.base + at);
        continue;
      }
      ({ resource, offsetInResource } = placed);
      size = reshdr.sizeInWim;
    } else {
      run = null;
      if (!(reshdr.flags & RESHDR_COMPRESSED) && reshdr.sizeInWim !== reshdr.uncompressedSize) {
        log.warn(
          'WIM_BLOB_SIZES',
          `entry ${i} is stored uncompressed but its sizes differ (${reshdr.sizeInWim} and ${reshdr.uncompressedSize})`,
          structure,
          f.base + at,
        );
        continue;
      }
      resource = resourceSpec(reshdr, header);
      size = reshdr.uncompressedSize;
    }
    if (/^0+$/.test(sha1) || size === 0) {
      table.ignored.empty++;
      continue;
    }
    if (partNumber !== header.partNumber) {
      table.ignored.otherPart++;
      continue;
    }
    const blob: BlobDescriptor = { sha1, size, partNumber, refCount, resource, offsetInResource, entry: i };
    if (reshdr.flags & RESHDR_METADATA) {
      // wimlib ignores metadata entries nothing references (WAIK 2.1's WinPE WIMs carry them).
      if (refCount === 0) continue;
      table.metadata.push(blob);
    } else if (table.blobs.has(sha1)) table.ignored.duplicate++;
    else table.blobs.set(sha1, blob);
  }
  return table;
}

/** The solid resources of the run starting at entry `first`: each one's own header says its size, chunk size and compression. */
async function readSolidRun(wim: ByteSource, f: Fields, first: number, entries: number, log: ProblemLog): Promise<{ spec: ResourceSpec; start: number }[]> {
  const run: { spec: ResourceSpec; start: number }[] = [];
  let start = 0;
  for (let i = first; i < entries; i++) {
    const at = i * BLOB_DESCRIPTOR_SIZE;
    const h = parseResourceHeader(f, at);
    if (!(h.flags & RESHDR_SOLID)) break;
    if (h.uncompressedSize !== SOLID_RESOURCE_MAGIC) continue;
    const head = await wim.read(h.offsetInWim, SOLID_HEADER_SIZE);
    if (head.length < SOLID_HEADER_SIZE) {
      log.warn('TRUNCATED', `solid resource ${run.length + 1} of the run at entry ${first} lies past the end of the WIM`, 'WIM solid resource', h.offsetInWim);
      break;
    }
    const hf = new Fields(head, h.offsetInWim, 'WIM solid resource header');
    const compression = SOLID_COMPRESSION[hf.u32le(12)];
    if (!compression)
      throw new FormatError('WIM_COMPRESSION', `solid resource compression format ${hf.u32le(12)} is unknown`, 'WIM solid resource header', h.offsetInWim + 12);
    const spec: ResourceSpec = {
      offsetInWim: h.offsetInWim,
      sizeInWim: h.sizeInWim,
      uncompressedSize: hf.u64le(0),
      chunkSize: hf.u32le(8),
      compression,
      solid: true,
    };
    run.push({ spec, start });
    start += spec.uncompressedSize;
  }
  return run;
}

function placeInRun(run: { spec: ResourceSpec; start: number }[], offset: number, size: number): { resource: ResourceSpec; offsetInResource: number } | null {
  for (const r of run) {
    if (offset >= r.start && offset + size <= r.start + r.spec.uncompressedSize) return { resource: r.spec, offsetInResource: offset - r.start };
  }
  return null;
}
