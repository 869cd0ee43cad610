/**
 * A WIM opened for its contents: the header and XML (wim.ts), the blob
 * table (blob-table.ts), and on demand each image's metadata resource
 * (metadata.ts), checked against its SHA-1 in the blob table. What is read
 * is kept as data (the table, parsed metadata, and an image's refusal) and
 * shared by every request; bytes are always read through the source a
 * request passes in.
 *
 * Every problem is placed in the image: the archive is opened with the map
 * from offsets in the WIM to offsets in the image (the WIM's extents on a
 * disc; identity for a bare WIM), and everything it logs or throws, and
 * every resource it reads, goes through that map.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { BudgetExceeded } from '../../io/budget.ts';
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
    protected readonly blob: BlobDescriptor,
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

/**
 * A blob whose reads from its start, in order, to its end are checked
 * against its SHA-1 as they go, as wimlib-imagex extract checks every
 * stream: the read that completes the blob fails with WIM_STREAM_DAMAGED
 * when the bytes are not the blob table's, so that a saved or extracted file
 * is never damaged in silence. Reads in any other order (a viewer's ranges)
 * are not checked, and nothing says they were.
 */
class CheckedBlobSource extends BlobSource {
  private next = 0;
  private hasher: Promise<Hasher> | null = null;
  private outOfOrder = false;
  constructor(
    resource: ResourceReader,
    blob: BlobDescriptor,
    name: string,
    private readonly sha1: () => Promise<Hasher>,
    /** Where the blob's resource lies in the image, for the problem's offset. */
    private readonly at: number | null,
  ) {
    super(resource, blob, name);
  }
  override async read(offset: number, length: number): Promise<Uint8Array> {
    const bytes = await super.read(offset, length);
    if (this.outOfOrder || bytes.length === 0) return bytes;
    if (offset !== this.next) {
      this.outOfOrder = true;
      return bytes;
    }
    this.next += bytes.length;
    const h = await (this.hasher ??= this.sha1());
    h.update(bytes);
    if (this.next === this.blob.size && !this.outOfOrder) {
      const actual = h.digest();
      if (actual !== this.blob.sha1)
        throw new FormatError(
          'WIM_STREAM_DAMAGED',
          `${this.name}: its data has SHA-1 ${actual}, not the blob table's ${this.blob.sha1} (the bytes read are not the file's)`,
          'WIM streams',
          this.at,
        );
    }
    return bytes;
  }
}

/** Offset in the WIM → offset in the image (null: no place of its own). */
export type WimOffsetMap = (offsetInWim: number) => number | null;

/** `e` with its offset (an offset in the WIM) placed in the image. */
function placed(e: unknown, at: WimOffsetMap): unknown {
  if (!(e instanceof FormatError) || e instanceof BudgetExceeded || e.offset === null) return e;
  return new FormatError(e.code, e.message, e.structure, at(e.offset));
}

/**
 * Entries of parsed images kept between requests (the most recently used
 * images first): two editions of a Windows image, and never all of a WIM of
 * many (eight editions of 120 000 entries kept 390 MiB). An image dropped is
 * read again when asked for.
 */
const KEPT_DENTRIES = 500_000;

export class WimArchive {
  /** Parsed images, least recently used first. */
  private readonly metadata = new Map<number, WimMetadata>();
  /** Images refused for their structure (not for a request's budget): asked again, refused again without reading. */
  private readonly refused = new Map<number, FormatError>();
  readonly decoders = new DecoderPool();

  private constructor(
    readonly info: WimInfo,
    readonly table: BlobTable,
    /** Where an offset in the WIM lies in the image. */
    readonly at: WimOffsetMap,
  ) {}

  /** Read the header, XML and blob table of `wim`; `at` places offsets in the WIM in the image. */
  static async open(wim: ByteSource, log: ProblemLog, at: WimOffsetMap = (o) => o): Promise<WimArchive> {
    const inWim = log.within(at);
    try {
      const info = await readWim(wim, inWim);
      const table = await readBlobTable(wim, info.header, inWim);
      return new WimArchive(info, table, at);
    } catch (e) {
      throw placed(e, at);
    }
  }

  get imageCount(): number {
    return this.table.metadata.length;
  }

  /**
   * A file's bytes, read from `wim` (null when the table has no such blob, e.g. it lies in another part of a split WIM):
   * read in order from start to end, they are checked against the blob's SHA-1 (CheckedBlobSource).
   */
  blob(wim: ByteSource, sha1: string, name: string, hasher: () => Promise<Hasher>): ByteSource | null {
    const b = this.table.blobs.get(sha1);
    return b ? new CheckedBlobSource(this.resourceReader(wim, b, name), b, name, hasher, this.at(b.resource.offsetInWim)) : null;
  }

  /** `reader`: the resource's reader to share (blobs of one solid resource read in turn decompress each chunk once). */
  blobSource(wim: ByteSource, b: BlobDescriptor, name: string, reader?: ResourceReader): ByteSource {
    return new BlobSource(reader ?? this.resourceReader(wim, b, name), b, name);
  }

  /** A reader of the resource that holds blob `b`, to share between the blobs it holds. */
  resourceReader(wim: ByteSource, b: BlobDescriptor, name = `resource at ${b.resource.offsetInWim}`): ResourceReader {
    return new ResourceReader(wim, b.resource, this.decoders, name, this.at);
  }

  /**
   * Image `index`'s metadata (1-based), read from `wim` once and kept. Its
   * SHA-1 is checked against the blob table's before it is parsed. `log`
   * takes image offsets (the archive places its own). `keep: false` reads an
   * image that was not kept without keeping it (a walk over every image, as
   * the provenance signals make, holds one image at a time).
   */
  async image(wim: ByteSource, index: number, sha1: () => Promise<Hasher>, log: ProblemLog, { keep = true } = {}): Promise<WimMetadata> {
    // Images with the same metadata resource (the same SHA-1) are the same tree: wimlib-imagex append writes one per
    // image, identical when the same files are captured again. Each is the first one's, parsed and kept once, so that a
    // table of a thousand entries naming one resource costs one parse, not a thousand.
    const same = this.sameTreeAs(index);
    if (same !== index) return this.image(wim, same, sha1, log, { keep });
    const kept = this.metadata.get(index);
    if (kept) {
      this.metadata.delete(index);
      this.metadata.set(index, kept);
      return kept;
    }
    const refused = this.refused.get(index);
    if (refused) throw refused;
    try {
      const parsed = await this.readImage(wim, index, sha1, log);
      if (keep && !log.budget.exceeded) this.keep(index, parsed);
      return parsed;
    } catch (e) {
      // A structural refusal stands for every later request (the bytes do not change); a request's budget or cancel does not.
      if (e instanceof FormatError && !(e instanceof BudgetExceeded) && !log.budget.exceeded) this.refused.set(index, e);
      throw e;
    }
  }

  private keep(index: number, parsed: WimMetadata): void {
    this.metadata.set(index, parsed);
    let total = 0;
    for (const m of this.metadata.values()) total += m.dentries.length;
    for (const [i, m] of this.metadata) {
      if (total <= KEPT_DENTRIES || i === index) break;
      this.metadata.delete(i);
      total -= m.dentries.length;
    }
  }

  /** The first image (1-based) of each metadata resource's SHA-1. */
  private firstImages: Map<string, number> | null = null;
  private metadataIndexBySha1(): Map<string, number> {
    if (!this.firstImages) {
      this.firstImages = new Map();
      this.table.metadata.forEach((m, i) => this.firstImages!.has(m.sha1) || this.firstImages!.set(m.sha1, i + 1));
    }
    return this.firstImages;
  }

  /** The first image whose metadata resource is image `index`'s (itself, unless an earlier image has the same SHA-1). */
  sameTreeAs(index: number): number {
    const blob = this.table.metadata[index - 1];
    return blob ? (this.metadataIndexBySha1().get(blob.sha1) ?? index) : index;
  }

  private async readImage(wim: ByteSource, index: number, sha1: () => Promise<Hasher>, log: ProblemLog): Promise<WimMetadata> {
    const blob = this.table.metadata[index - 1];
    const structure = `WIM image ${index} metadata`;
    if (!blob)
      throw new FormatError('WIM_NO_METADATA', `the blob table has no metadata resource for image ${index} (it has ${this.imageCount})`, structure, null);
    const at = this.at(blob.resource.offsetInWim);
    if (blob.size > MAX_METADATA_BYTES || blob.size > 512 * Math.max(wim.size, 1))
      throw new FormatError(
        'WIM_METADATA_TOO_LARGE',
        `image ${index}'s metadata resource is ${blob.size} bytes; isoscope reads at most ${MAX_METADATA_BYTES} (and 512 × the WIM's size, as wimlib)`,
        structure,
        at,
      );
    const bytes = await this.blobSource(wim, blob, structure).read(0, blob.size);
    if (bytes.length !== blob.size)
      throw new FormatError('TRUNCATED', `image ${index}'s metadata resource could only be read to ${bytes.length} of ${blob.size} bytes`, structure, at);
    const h = await sha1();
    h.update(bytes);
    const actual = h.digest();
    if (actual !== blob.sha1)
      throw new FormatError(
        'WIM_METADATA_HASH',
        `image ${index}'s metadata resource has SHA-1 ${actual}; the blob table says ${blob.sha1}: it is damaged`,
        structure,
        at,
      );
    return parseMetadata(bytes, log, at, structure);
  }
}
