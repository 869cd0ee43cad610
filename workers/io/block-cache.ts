/**
 * Small reads through aligned blocks kept for the inspection. Readers ask
 * for metadata in pieces of a few hundred bytes to a few KiB (a descriptor, a
 * continuation area, a file entry), often next to each other; each read of a
 * File or a file handle costs far more than its bytes (a Blob slice in the
 * browser, a thread-pool round trip in Node). Reading whole aligned blocks
 * and answering neighbours from them turns a directory of file entries, or a
 * chain of continuation areas packed into a few sectors, into a few reads.
 *
 * Reads larger than a block (a WIM's XML, a directory of megabytes) go
 * straight through: they are already one read each. So do the first
 * `PASS_THROUGH` reads: identification makes a few dozen reads of exactly
 * what it needs, and reading blocks around them would only add bytes; a
 * walk that keeps asking for small pieces (a directory tree, a continuation
 * chain) is what blocks are for. The disc's start, read at once when it is
 * opened (`prefetch`), is kept as blocks too.
 */
import { assertReadArgs, clampRange, type ByteSource } from './byte-source.ts';
import type { ReadAccount } from './request.ts';
import { PromiseCache } from './promise-cache.ts';

const BLOCK = 16 * 1024;
const MAX_BLOCKS = 256; // 4 MiB: a small image read whole at opening stays whole
const PASS_THROUGH = 64;

export class BlockCache implements ByteSource {
  private readonly blocks = new PromiseCache<number, Uint8Array>(MAX_BLOCKS);
  private requests = 0;
  constructor(private readonly inner: ByteSource) {}
  get name(): string {
    return this.inner.name;
  }
  get size(): number {
    return this.inner.size;
  }

  /** `account`: the request whose read fills a missing block is charged for it (a block read for another request in flight is shared, not counted twice). */
  private block(index: number, account?: ReadAccount): Promise<Uint8Array> {
    return this.blocks.getOrMake(index, () => this.inner.read(index * BLOCK, BLOCK, account));
  }

  /**
   * Read `length` bytes at `offset` (block-aligned) in one read of the file
   * and keep them as blocks: the region where a disc keeps its descriptors,
   * anchors and first directories, fetched at once instead of in a dozen
   * round trips (each read of a File in a browser is one). Later reads
   * inside it wait for it and are answered from it.
   */
  prefetch(offset: number, length: number, account?: ReadAccount): void {
    const n = clampRange(this.size, offset, length);
    const first = Math.floor(offset / BLOCK),
      count = Math.ceil(n / BLOCK);
    if (n === 0 || count > MAX_BLOCKS) return;
    const whole = this.inner.read(first * BLOCK, n, account);
    for (let i = 0; i < count; i++) {
      const block = whole.then((b) => b.subarray(i * BLOCK, (i + 1) * BLOCK));
      // Kept, not awaited: later reads wait for it (the cache drops it if it fails).
      void this.blocks.set(first + i, block);
    }
  }

  /** Whether every block of blocks first..last is kept (or on its way). */
  private holds(first: number, last: number): boolean {
    for (let b = first; b <= last; b++) if (!this.blocks.has(b)) return false;
    return true;
  }

  async read(offset: number, length: number, account?: ReadAccount): Promise<Uint8Array> {
    assertReadArgs(offset, length);
    const n = clampRange(this.size, offset, length);
    if (n === 0) return new Uint8Array(0);
    const first = Math.floor(offset / BLOCK),
      last = Math.floor((offset + n - 1) / BLOCK);
    if (!this.holds(first, last) && (++this.requests <= PASS_THROUGH || n > BLOCK || last - first > 1)) return this.inner.read(offset, length, account);
    const out = new Uint8Array(n);
    let done = 0;
    for (let b = first; b <= last; b++) {
      const bytes = await this.block(b, account);
      const from = offset + done - b * BLOCK;
      const take = Math.min(n - done, bytes.length - from);
      if (take <= 0) break;
      out.set(bytes.subarray(from, from + take), done);
      done += take;
    }
    return done === n ? out : out.subarray(0, done);
  }
}
