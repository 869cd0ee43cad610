/**
 * The 2048-byte user data of a disc image stored with whole sectors (raw
 * 2352-byte sectors with sync, header and error correction, or 2336-byte
 * Mode 2 sectors): every reader sees a plain image of 2048-byte sectors, and
 * each read becomes one read of the raw sectors it spans.
 */
import { assertReadArgs, clampRange, type ByteSource } from './byte-source.ts';
import type { ReadAccount } from './request.ts';

const USER = 2048;

export interface SectorMapping {
  /** Offset in the file of the first sector (a track's start). */
  start: number;
  /** Bytes per sector in the file: 2352, 2336 or 2048. */
  sectorBytes: number;
  /** Offset of the user data inside each sector (16 Mode 1, 24 Mode 2 Form 1 raw, 8 Mode 2 in 2336). */
  dataOffset: number;
  /** Sectors mapped. */
  sectors: number;
}

export class SectorMappedSource implements ByteSource {
  readonly size: number;

  constructor(
    private readonly inner: ByteSource,
    readonly mapping: SectorMapping,
  ) {
    this.size = mapping.sectors * USER;
  }

  get name(): string {
    return this.inner.name;
  }

  async read(offset: number, length: number, account?: ReadAccount): Promise<Uint8Array> {
    assertReadArgs(offset, length);
    const n = clampRange(this.size, offset, length);
    if (n === 0) return new Uint8Array(0);
    const { start, sectorBytes, dataOffset } = this.mapping;
    const first = Math.floor(offset / USER);
    const last = Math.floor((offset + n - 1) / USER);
    const raw = await this.inner.read(start + first * sectorBytes, (last - first + 1) * sectorBytes, account);
    const out = new Uint8Array(n);
    let done = 0;
    for (let s = first; s <= last && done < n; s++) {
      const from = (s === first ? offset - first * USER : 0) + (s - first) * sectorBytes + dataOffset;
      const take = Math.min(n - done, USER - (s === first ? offset - first * USER : 0));
      if (from + take > raw.length) {
        // The file ends inside this sector: what is there is returned, as a short read.
        if (from < raw.length) {
          out.set(raw.subarray(from), done);
          done += raw.length - from;
        }
        return out.subarray(0, done);
      }
      out.set(raw.subarray(from, from + take), done);
      done += take;
    }
    return out;
  }
}
