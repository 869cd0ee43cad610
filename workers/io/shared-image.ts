/**
 * An image opened once and read by many requests: the block cache and the
 * count of real reads are shared; each request reads through a view of its
 * own (`view`) that spends from its budget and counts into its own account.
 * Nothing a request brings is ever stored on the image.
 */
import { BlockCache } from './block-cache.ts';
import { clampRange, type ByteSource } from './byte-source.ts';
import { addRange, type ReadAccount, type Request } from './request.ts';

/** Counts the reads that reach the file, into the image's total and the reading request's account. */
class CountingSource implements ByteSource {
  readonly total: ReadAccount = { reads: 0, bytesRead: 0 };
  constructor(private readonly inner: ByteSource) {}
  get name(): string {
    return this.inner.name;
  }
  get size(): number {
    return this.inner.size;
  }
  async read(offset: number, length: number, account?: ReadAccount): Promise<Uint8Array> {
    const bytes = await this.inner.read(offset, length);
    this.total.reads += 1;
    this.total.bytesRead += bytes.length;
    if (account) {
      account.reads += 1;
      account.bytesRead += bytes.length;
      if (account.ranges) addRange(account.ranges, offset, bytes.length);
    }
    return bytes;
  }
}

export class SharedImage {
  private readonly cache: BlockCache;

  private constructor(
    private readonly counted: CountingSource,
    /** What the readers see: the file itself, or a layer over it (raw sectors' user data, sector-source.ts). */
    readonly source: ByteSource,
  ) {
    this.cache = new BlockCache(source);
  }

  static of(file: ByteSource): SharedImage {
    const counted = new CountingSource(file);
    return new SharedImage(counted, counted);
  }

  /**
   * The same file seen through `layer` (raw sectors mapped to their user
   * data, sector-source.ts), with a cache of its own and the same count of
   * real reads. The layer must pass each read's account on.
   */
  layered(layer: (file: ByteSource) => ByteSource): SharedImage {
    return new SharedImage(this.counted, layer(this.counted));
  }

  /** Fetch each range in one read, side by side, charged to `request` (see BlockCache.prefetch). */
  prefetch(request: Request, ranges: readonly [offset: number, length: number][]): void {
    for (const [offset, length] of ranges) {
      request.budget.read(clampRange(this.source.size, offset, length));
      this.cache.prefetch(offset, length, request.stats);
    }
  }

  get name(): string {
    return this.source.name;
  }
  get size(): number {
    return this.source.size;
  }

  /** The file's real reads so far, over every request. */
  get total(): Readonly<ReadAccount> {
    return this.counted.total;
  }

  /**
   * The image as one request reads it: every read spends from the request's
   * budget first (cache hits too, so work stays bounded), then is answered
   * from the shared cache; the reads that reach the file count into the
   * request's own account.
   */
  view(request: Request): ByteSource {
    const { cache, source } = this;
    return {
      name: source.name,
      size: source.size,
      read(offset: number, length: number): Promise<Uint8Array> {
        request.budget.read(clampRange(source.size, offset, length));
        return cache.read(offset, length, request.stats);
      },
    };
  }
}
