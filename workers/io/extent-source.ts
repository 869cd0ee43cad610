/**
 * A file inside an image as a ByteSource: its extents (from UDF or ISO 9660)
 * mapped onto the image's own source. Sparse extents read as zeros. Lets the
 * WIM reader work the same on a bare install.wim and on one inside a disc.
 */
import { assertReadArgs, clampRange, type ByteSource } from './byte-source.ts';

export interface FileExtent {
  /** Absolute offset in the parent, or null for a sparse run. */
  offset: number | null;
  length: number;
}

export class ExtentSource implements ByteSource {
  readonly size: number;
  /** Start of each extent within the file, for binary search. */
  private readonly starts: number[] = [];

  constructor(
    private readonly parent: ByteSource,
    private readonly extents: readonly FileExtent[],
    readonly name: string,
    size?: number,
  ) {
    let at = 0;
    for (const e of extents) {
      this.starts.push(at);
      at += e.length;
    }
    this.size = Math.min(size ?? at, at);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertReadArgs(offset, length);
    const n = clampRange(this.size, offset, length);
    const out = new Uint8Array(n);
    let done = 0;
    // First extent holding `offset`: binary search, then walk forward.
    let lo = 0,
      hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    for (let i = lo; i < this.extents.length && done < n; i++) {
      const e = this.extents[i]!;
      const within = offset + done - this.starts[i]!;
      if (within >= e.length) continue;
      const take = Math.min(e.length - within, n - done);
      if (e.offset !== null) {
        const bytes = await this.parent.read(e.offset + within, take);
        out.set(bytes, done);
        if (bytes.length < take) return out.subarray(0, done + bytes.length); // the parent image ends early
      }
      done += take;
    }
    return out;
  }
}
