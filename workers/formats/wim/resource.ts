/**
 * A WIM resource read in place: any byte range of its uncompressed data,
 * decompressing only the chunks the range touches.
 *
 * Layouts (wimlib src/resource.c, include/wimlib/resource.h; the WIM white
 * paper "Windows Imaging File Format", §"Resources"):
 *
 *  - Uncompressed (resource header flag COMPRESSED clear): the data itself,
 *    size in the WIM = uncompressed size.
 *  - Compressed, not solid: a chunk table, then the chunks. The data is cut
 *    into chunks of the header's chunk size (32 KiB for Microsoft's WIMs),
 *    the last one shorter. The table holds the offset of every chunk but the
 *    first (which starts at 0), relative to the end of the table, as u32, or
 *    u64 when the uncompressed size is over 4 GiB. A chunk's stored size is
 *    the next chunk's offset minus its own (the last one's runs to the end
 *    of the resource); a chunk stored with its full uncompressed size did
 *    not shrink and is kept raw.
 *  - Solid (flag SOLID, WIM version 3584, install.esd): the resource starts
 *    with its own 16-byte header — u64 uncompressed size, u32 chunk size,
 *    u32 compression format (1 XPRESS, 2 LZX, 3 LZMS) — then one u32 stored
 *    size per chunk (every chunk, the first too), then the chunks.
 *
 * Memory is bounded by one chunk's window (the decoder's buffers and a few
 * decompressed chunks kept for sequential reads), never by the resource.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { FormatError } from '../../io/problems.ts';
import type { ChunkDecoder } from './codec.ts';
import { LzmsDecoder } from './lzms.ts';
import { LzxDecoder } from './lzx.ts';
import { XpressDecoder } from './xpress.ts';

/** 'unknown': the WIM's header names no compression a WIM reader knows (no compression bit set, or only the reserved one); such chunks cannot be read. */
export type WimCompression = 'none' | 'XPRESS' | 'LZX' | 'LZMS' | 'unknown';

/** Where a resource is and how it is stored (a resource header, or a solid resource's own header). */
export interface ResourceSpec {
  /** Offset of the resource in the WIM file (its chunk table, for a compressed one). */
  offsetInWim: number;
  /** Bytes the resource occupies in the WIM. */
  sizeInWim: number;
  uncompressedSize: number;
  compression: WimCompression;
  chunkSize: number;
  /** The solid layout (16-byte header, a stored size per chunk). */
  solid: boolean;
}

/** The solid resource header's compression format numbers (wimlib blob_table.c: the same as WIMGAPI's). */
export const SOLID_COMPRESSION: Record<number, WimCompression> = { 0: 'none', 1: 'XPRESS', 2: 'LZX', 3: 'LZMS' };
/** Size of a solid resource's own header (struct alt_chunk_table_header_disk). */
export const SOLID_HEADER_SIZE = 16;

/** Chunk sizes a decoder accepts: powers of two from 4 KiB (XPRESS) to 64 MiB (LZMS, Microsoft's limit). */
const MIN_CHUNK = 1 << 12;
const MAX_CHUNK = 1 << 26;
/**
 * Chunk tables larger than this are refused: 8 MiB of entries is a million
 * chunks (8-byte entries, over 4 GiB), a resource of 32 GiB in Microsoft's
 * 32 KiB chunks, far beyond any file of a Windows image. The table is read
 * whole and kept as offsets (twice its size): a lying one costs at most this.
 */
const MAX_CHUNK_TABLE_BYTES = 8 * 1024 * 1024;
/** Decompressed chunks kept for the next read (sequential reads of small pieces hit them). */
const KEPT_CHUNKS = 4;
/** Above this chunk size only one decompressed chunk is kept (a solid LZMS chunk is up to 64 MiB). */
const LARGE_CHUNK = 4 * 1024 * 1024;

/** The chunk sizes each format allows in a WIM (wimlib.h, enum wimlib_compression_type). */
const CHUNK_LIMITS: Record<'XPRESS' | 'LZX' | 'LZMS', [number, number]> = { XPRESS: [1 << 12, 1 << 16], LZX: [1 << 15, 1 << 21], LZMS: [1 << 15, 1 << 26] };

function decoderFor(compression: WimCompression, chunkSize: number): ChunkDecoder {
  if (compression !== 'XPRESS' && compression !== 'LZX' && compression !== 'LZMS')
    throw new FormatError('WIM_COMPRESSION', `compression "${compression}" cannot be decoded`, 'WIM resource', null);
  const [min, max] = CHUNK_LIMITS[compression];
  if (chunkSize < min || chunkSize > max)
    throw new FormatError('WIM_CHUNK_SIZE', `${compression} chunks of ${chunkSize} bytes: ${compression} allows ${min} to ${max}`, 'WIM resource', null);
  return compression === 'XPRESS' ? new XpressDecoder(chunkSize) : compression === 'LZX' ? new LzxDecoder(chunkSize) : new LzmsDecoder(chunkSize);
}

/** Decoders are large (tables sized for the largest chunk): one per compression and chunk size, shared by every resource of a WIM. */
export class DecoderPool {
  private readonly decoders = new Map<string, ChunkDecoder>();
  get(compression: WimCompression, chunkSize: number): ChunkDecoder {
    const key = `${compression}/${chunkSize}`;
    let d = this.decoders.get(key);
    if (!d) {
      d = decoderFor(compression, chunkSize);
      this.decoders.set(key, d);
    }
    return d;
  }
}

/** Where each chunk is stored: offsets relative to the first chunk's byte, and the first chunk's offset in the WIM. */
interface ChunkLayout {
  chunks: number;
  /** Absolute offset in the WIM of chunk 0. */
  dataStart: number;
  /** Start of each chunk relative to dataStart, plus the end of the last one (chunks + 1 entries). */
  starts: Float64Array;
}

export class ResourceReader implements ByteSource {
  readonly size: number;
  private layout: Promise<ChunkLayout> | null = null;
  private readonly kept = new Map<number, Uint8Array>();

  /**
   * `wim`: the WIM file; `spec`: the resource; `at`: maps an offset in the
   * WIM to one in the image, for errors (identity for a bare WIM; null where
   * the WIM's bytes have no place of their own in the image).
   */
  constructor(
    private readonly wim: ByteSource,
    readonly spec: ResourceSpec,
    private readonly decoders: DecoderPool,
    readonly name: string,
    private readonly at: (offsetInWim: number) => number | null = (o) => o,
  ) {
    this.size = spec.uncompressedSize;
  }

  private fail(code: string, message: string, offsetInWim: number): FormatError {
    return new FormatError(code, message, 'WIM resource', this.at(offsetInWim));
  }

  private chunkLayout(): Promise<ChunkLayout> {
    this.layout ??= this.readLayout();
    return this.layout;
  }

  private async readLayout(): Promise<ChunkLayout> {
    const { spec } = this;
    if (spec.offsetInWim + spec.sizeInWim > this.wim.size)
      throw this.fail(
        'WIM_RESOURCE_PAST_END',
        `the resource (${spec.sizeInWim} bytes at ${spec.offsetInWim}) runs past the end of the ${this.wim.size}-byte WIM`,
        spec.offsetInWim,
      );
    const cs = spec.chunkSize;
    if (!Number.isInteger(Math.log2(cs)) || cs < MIN_CHUNK || cs > MAX_CHUNK)
      throw this.fail('WIM_CHUNK_SIZE', `chunk size ${cs} is not a power of two from ${MIN_CHUNK} to ${MAX_CHUNK}`, spec.offsetInWim);
    // Which decoder and chunk sizes the format allows, checked here so that the refusal is placed at the resource.
    if (spec.compression !== 'XPRESS' && spec.compression !== 'LZX' && spec.compression !== 'LZMS') {
      if (spec.compression !== 'none')
        throw this.fail('WIM_COMPRESSION', `the resource's compression ("${spec.compression}") cannot be decoded`, spec.offsetInWim);
    } else {
      const [min, max] = CHUNK_LIMITS[spec.compression];
      if (cs < min || cs > max)
        throw this.fail('WIM_CHUNK_SIZE', `${spec.compression} chunks of ${cs} bytes: ${spec.compression} allows ${min} to ${max}`, spec.offsetInWim);
    }
    const chunks = Math.ceil(spec.uncompressedSize / cs);
    const entrySize = spec.solid ? 4 : spec.uncompressedSize > 0xffffffff ? 8 : 4;
    const entries = spec.solid ? chunks : Math.max(0, chunks - 1);
    const tableBytes = entries * entrySize;
    const tableAt = spec.offsetInWim + (spec.solid ? SOLID_HEADER_SIZE : 0);
    const dataStart = tableAt + tableBytes;
    const end = spec.offsetInWim + spec.sizeInWim;
    if (tableBytes > MAX_CHUNK_TABLE_BYTES || dataStart > end)
      throw this.fail('WIM_CHUNK_TABLE', `a chunk table of ${entries} entries does not fit the resource's ${spec.sizeInWim} bytes`, tableAt);
    const table = await this.wim.read(tableAt, tableBytes);
    if (table.length < tableBytes) throw this.fail('TRUNCATED', 'the chunk table lies past the end of the WIM', tableAt);
    const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
    const starts = new Float64Array(chunks + 1);
    const dataBytes = end - dataStart;
    if (spec.solid) {
      // Stored sizes, one per chunk: the starts are their running sum.
      for (let i = 0; i < chunks; i++) starts[i + 1] = starts[i]! + view.getUint32(i * 4, true);
    } else {
      for (let i = 1; i < chunks; i++) starts[i] = entrySize === 4 ? view.getUint32((i - 1) * 4, true) : Number(view.getBigUint64((i - 1) * 8, true));
      starts[chunks] = dataBytes;
    }
    for (let i = 0; i < chunks; i++) {
      const stored = starts[i + 1]! - starts[i]!;
      const usize = Math.min(cs, spec.uncompressedSize - i * cs);
      if (stored <= 0 || stored > usize || starts[i + 1]! > dataBytes)
        throw this.fail(
          'WIM_CHUNK_TABLE',
          `chunk ${i} is stored in ${stored} bytes at +${starts[i]}: it must be 1 to ${usize} bytes within the resource's ${dataBytes} bytes of chunks`,
          tableAt + (spec.solid ? i : Math.max(0, i - 1)) * entrySize,
        );
    }
    return { chunks, dataStart, starts };
  }

  /** Chunk `i`, decompressed (the last one may be shorter than the chunk size). */
  private async chunk(layout: ChunkLayout, i: number): Promise<Uint8Array> {
    const hit = this.kept.get(i);
    if (hit) return hit;
    const { spec } = this;
    const usize = Math.min(spec.chunkSize, spec.uncompressedSize - i * spec.chunkSize);
    const from = layout.dataStart + layout.starts[i]!;
    const stored = layout.starts[i + 1]! - layout.starts[i]!;
    const input = await this.wim.read(from, stored);
    if (input.length < stored) throw this.fail('TRUNCATED', `chunk ${i} lies past the end of the WIM`, from);
    let out: Uint8Array;
    if (stored === usize) out = input;
    else {
      out = new Uint8Array(usize);
      // The decoder names bytes by their offset in the WIM; its errors are placed in the image here.
      try {
        this.decoders.get(spec.compression, spec.chunkSize).decompress(input, out, from);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        throw new FormatError(e.code, e.message, e.structure, this.at(e.offset ?? from));
      }
    }
    if (this.kept.size >= (spec.chunkSize > LARGE_CHUNK ? 1 : KEPT_CHUNKS)) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(i, out);
    return out;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const n = Math.max(0, Math.min(length, this.size - offset));
    if (n === 0) return new Uint8Array(0);
    if (this.spec.compression === 'none' && !this.spec.solid) return this.wim.read(this.spec.offsetInWim + offset, n);
    const layout = await this.chunkLayout();
    const cs = this.spec.chunkSize;
    const first = Math.floor(offset / cs),
      last = Math.floor((offset + n - 1) / cs);
    if (first === last) {
      const c = await this.chunk(layout, first);
      // A whole chunk (a metadata resource in one 64 MiB LZMS chunk) is handed over, not copied: it leaves the cache instead.
      if (offset === first * cs && n === c.length) {
        this.kept.delete(first);
        return c;
      }
      return c.slice(offset - first * cs, offset - first * cs + n);
    }
    const out = new Uint8Array(n);
    let done = 0;
    for (let i = first; i <= last; i++) {
      const c = await this.chunk(layout, i);
      const from = i === first ? offset - first * cs : 0;
      const take = Math.min(c.length - from, n - done);
      out.set(c.subarray(from, from + take), done);
      done += take;
    }
    return out;
  }
}
