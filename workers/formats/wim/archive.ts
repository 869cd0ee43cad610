/**
 * A WIM opened for its contents: the header and XML (wim.ts), the blob
 * table (blob-table.ts), and on demand each image's metadata resource
 * (metadata.ts), checked against its SHA-1 in the blob table. What is read
 * is kept as data (the table, parsed metadata) and shared by every request;
 * bytes are always read through the source a request passes in.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import type { Hasher } from '../../hash/hashers.ts';
import { readBlobTable, type BlobDescriptor, type BlobTable } from './blob-table.ts';
import { MAX_METADATA_BYTES, parseMetadata, type WimMetadata } from './metadata.ts';
import { DecoderPool, ResourceReader } from './resource.ts';
import { readWim, type WimInfo } from './wim.ts';

/** Bytes of a blob: a window onto its resource (a solid resource holds many blobs). */
class BlobSource implements ByteSource {
  constructor(
    private readonly resource: ResourceReader,
    private readonly blob: BlobDescriptor,
    readonly name: string,
  ) {}
  get size(): number {
    return this.blob.size;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    const n = Math.max(0, Math.min(length, this.blob.size - offset));
    return this.resource.read(this.blob.offsetInResource + offset, n);
  }
}

export class WimArchive {
  private readonly metadata = new Map<number, WimMetadata>();
  readonly decoders = new DecoderPool();

  private constructor(
    readonly info: WimInfo,
    readonly table: BlobTable,
  ) {}

  /** Read the header, XML and blob table of `wim`. */
  static async open(wim: ByteSource, log: ProblemLog): Promise<WimArchive> {
    const info = await readWim(wim, log);
    const table = await readBlobTable(wim, info.header, log);
    return new WimArchive(info, table);
  }

  get imageCount(): number {
    return this.table.metadata.length;
  }

  /** A blob's bytes, read from `wim` (null when the table has no such blob, e.g. it lies in another part of a split WIM). */
  blob(wim: ByteSource, sha1: string, name: string): ByteSource | null {
    const b = this.table.blobs.get(sha1);
    return b ? this.blobSource(wim, b, name) : null;
  }

  blobSource(wim: ByteSource, b: BlobDescriptor, name: string): ByteSource {
    return new BlobSource(new ResourceReader(wim, b.resource, this.decoders, name), b, name);
  }

  /**
   * Image `index`'s metadata (1-based), read from `wim` once and kept. Its
   * SHA-1 is checked against the blob table's before it is parsed.
   */
  async image(wim: ByteSource, index: number, sha1: () => Promise<Hasher>, log: ProblemLog): Promise<WimMetadata> {
    const kept = this.metadata.get(index);
    if (kept) return kept;
    const blob = this.table.metadata[index - 1];
    const structure = `WIM image ${index} metadata`;
    if (!blob)
      throw new FormatError('WIM_NO_METADATA', `the blob table has no metadata resource for image ${index} (it has ${this.imageCount})`, structure, null);
    if (blob.size > MAX_METADATA_BYTES || blob.size > 512 * Math.max(wim.size, 1))
      throw new FormatError(
        'WIM_METADATA_TOO_LARGE',
        `image ${index}'s metadata resource is ${blob.size} bytes; isoscope reads at most ${MAX_METADATA_BYTES} (and 512 × the WIM's size, as wimlib)`,
        structure,
        blob.resource.offsetInWim,
      );
    const bytes = await this.blobSource(wim, blob, structure).read(0, blob.size);
    if (bytes.length !== blob.size)
      throw new FormatError(
        'TRUNCATED',
        `image ${index}'s metadata resource could only be read to ${bytes.length} of ${blob.size} bytes`,
        structure,
        blob.resource.offsetInWim,
      );
    const h = await sha1();
    h.update(bytes);
    const actual = h.digest();
    if (actual !== blob.sha1)
      throw new FormatError(
        'WIM_METADATA_HASH',
        `image ${index}'s metadata resource has SHA-1 ${actual}; the blob table says ${blob.sha1}: it is damaged`,
        structure,
        blob.resource.offsetInWim,
      );
    const parsed = parseMetadata(bytes, log, blob.resource.offsetInWim, structure);
    if (!log.budget.exceeded) this.metadata.set(index, parsed);
    return parsed;
  }
}
