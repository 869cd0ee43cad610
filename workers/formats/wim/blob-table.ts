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
 * ignored, as wimlib ignores them; so are metadata entries past the
 * header's image count (read_blob_table: "more metadata resources than
 * images"). An entry whose numbers cannot be represented (beyond 2^53) is
 * left out with a warning at it, where wimlib refuses the whole table: the
 * other entries, and the images, still read.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields } from '../../io/bytes.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import { SOLID_COMPRESSION, SOLID_HEADER_SIZE, type ResourceSpec, type WimCompression } from './resource.ts';
import { sha1At } from './sha1-hex.ts';
import { MAX_IMAGES, parseResourceHeader, type ResourceHeader, type WimHeader } from './wim.ts';

const BLOB_DESCRIPTOR_SIZE = 50;
/** The uncompressed size that marks a solid run's resource entries (wimlib SOLID_RESOURCE_MAGIC_NUMBER). */
const SOLID_RESOURCE_MAGIC = 0x100000000;
/** WIM_VERSION_SOLID: only WIMs of this version have solid resources. */
const WIM_VERSION_SOLID = 0xe00;
/** 4 million blobs (200 MB of table): far beyond a real WIM (a Windows image has ~100 000). */
const MAX_BLOBS = 4_000_000;

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

const ZERO_SHA1 = '0'.repeat(40);
const KNOWN_COMPRESSION: Record<string, WimCompression> = { XPRESS: 'XPRESS', LZX: 'LZX', LZMS: 'LZMS' };

function resourceSpec(h: ResourceHeader, header: WimHeader): ResourceSpec {
  return {
    offsetInWim: h.offsetInWim,
    sizeInWim: h.sizeInWim,
    uncompressedSize: h.uncompressedSize,
    compression: h.flags & RESHDR_COMPRESSED ? (KNOWN_COMPRESSION[header.compression] ?? 'unknown') : 'none',
    // A header chunk size of 0 is read as 32 KiB, Microsoft's size (wimlib refuses such a compressed WIM: wim.c wim_chunk_size_valid).
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
  const maxImages = Math.min(header.imageCount, MAX_IMAGES);
  let extraMetadata = 0;

  // The solid resources of the current run, in order, with where each starts in the run's concatenation.
  let run: SolidRun | null = null;
  for (let i = 0; i < entries; i++) {
    const at = i * BLOB_DESCRIPTOR_SIZE;
    let reshdr: ResourceHeader;
    try {
      reshdr = parseResourceHeader(f, at);
    } catch (e) {
      // A size or offset beyond 2^53 (VALUE_TOO_LARGE): this entry cannot be used; the others can.
      if (!(e instanceof FormatError)) throw e;
      log.warn(e.code, `blob table entry ${i} is left out: ${e.message}`, structure, e.offset);
      if (!(solidAllowed && f.u8(at + 7) & RESHDR_SOLID)) run = null;
      continue;
    }
    const partNumber = f.u16le(at + 24);
    const refCount = f.u32le(at + 26);
    const sha1 = sha1At(f.raw(at + 30, 20), 0) ?? ZERO_SHA1;
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
    if (sha1 === ZERO_SHA1 || size === 0) {
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
      // ... and those past the header's image count (blob_table.c: "Found more metadata resources than images").
      if (table.metadata.length >= maxImages) {
        if (extraMetadata++ === 0)
          log.warn(
            'WIM_METADATA_EXTRA',
            `the header counts ${header.imageCount} images${header.imageCount > MAX_IMAGES ? ` (isoscope reads at most ${MAX_IMAGES})` : ''}; metadata entries from entry ${i} on are ignored, as wimlib ignores them`,
            structure,
            f.base + at,
          );
        continue;
      }
      table.metadata.push(blob);
    } else if (table.blobs.has(sha1)) table.ignored.duplicate++;
    else table.blobs.set(sha1, blob);
  }
  if (extraMetadata > 1)
    log.warn('WIM_METADATA_EXTRA', `${extraMetadata} metadata entries past the header's ${header.imageCount} images were ignored`, structure, res.offsetInWim);
  return table;
}

/** The solid resources of one run, in order, each with where it starts in the run's resources laid end to end (ascending). */
type SolidRun = { spec: ResourceSpec; start: number }[];

/**
 * The solid resources of the run starting at entry `first`: each one's own
 * header says its size, chunk size and compression. A resource whose header
 * cannot be read or used ends the run there (the blobs past it cannot be
 * placed: each is left out with a warning); one of an unknown compression
 * stays in the run, so that its blobs are placed and their reads say why
 * they cannot be decoded.
 */
async function readSolidRun(wim: ByteSource, f: Fields, first: number, entries: number, log: ProblemLog): Promise<SolidRun> {
  const run: SolidRun = [];
  let start = 0;
  for (let i = first; i < entries; i++) {
    const at = i * BLOB_DESCRIPTOR_SIZE;
    if (!(f.u8(at + 7) & RESHDR_SOLID)) break;
    let h: ResourceHeader;
    try {
      h = parseResourceHeader(f, at);
    } catch {
      continue; // left out, with its warning, by readBlobTable
    }
    if (h.uncompressedSize !== SOLID_RESOURCE_MAGIC) continue;
    const head = await wim.read(h.offsetInWim, SOLID_HEADER_SIZE);
    if (head.length < SOLID_HEADER_SIZE) {
      log.warn('TRUNCATED', `solid resource ${run.length + 1} of the run at entry ${first} lies past the end of the WIM`, 'WIM solid resource', h.offsetInWim);
      break;
    }
    const hf = new Fields(head, h.offsetInWim, 'WIM solid resource header');
    const format = hf.u32le(12);
    const compression = SOLID_COMPRESSION[format];
    if (!compression)
      log.warn(
        'WIM_COMPRESSION',
        `solid resource ${run.length + 1} of the run at entry ${first} names compression format ${format}, which no WIM reader knows`,
        'WIM solid resource header',
        h.offsetInWim + 12,
      );
    let uncompressedSize: number;
    try {
      uncompressedSize = hf.u64le(0);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      log.warn(
        e.code,
        `solid resource ${run.length + 1} of the run at entry ${first}: ${e.message}; the run's blobs from there on cannot be placed`,
        'WIM solid resource header',
        e.offset,
      );
      break;
    }
    const spec: ResourceSpec = {
      offsetInWim: h.offsetInWim,
      sizeInWim: h.sizeInWim,
      uncompressedSize,
      chunkSize: hf.u32le(8),
      compression: compression ?? 'unknown',
      solid: true,
    };
    run.push({ spec, start });
    start += spec.uncompressedSize;
  }
  return run;
}

/**
 * The resource of `run` that holds `size` bytes at `offset` of the run's
 * resources laid end to end. The starts ascend, so the one to try is the
 * last starting at or before `offset`: a binary search, where wimlib's
 * assign_blob_to_solid_resource walks the run ("slow in the degenerate case
 * where the number of solid resources in the run is huge", its comment
 * says: a table of many resources and many blobs cost their product).
 */
function placeInRun(run: SolidRun, offset: number, size: number): { resource: ResourceSpec; offsetInResource: number } | null {
  let lo = 0,
    hi = run.length - 1,
    found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (run[mid]!.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const r = run[found];
  if (r && offset + size <= r.start + r.spec.uncompressedSize) return { resource: r.spec, offsetInResource: offset - r.start };
  return null;
}
