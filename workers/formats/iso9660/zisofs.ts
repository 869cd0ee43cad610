/**
 * zisofs: files stored compressed on ISO 9660, marked by a Rock Ridge ZF
 * entry (mkzftree, genisoimage -z, xorriso --zisofs; read by Linux's isofs,
 * libarchive and xorriso). The layout, as zisofs-tools' README and Linux's
 * fs/isofs/compress.c define it:
 *
 *   0  magic              8  37 E4 53 96 C9 DB D6 07
 *   8  uncompressed size  4  little-endian
 *  12  header size / 4    1  (4: a 16-byte header)
 *  13  log2 block size    1  15, 16 or 17
 *  14  reserved           2
 *  header size: the block pointers, (blocks + 1) little-endian 32-bit offsets
 *  from the file's start; block i is the zlib stream in [ptr[i], ptr[i+1]),
 *  and an empty one stands for a block of zeros.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { assertReadArgs, clampRange } from '../../io/byte-source.ts';
import { Fields } from '../../io/bytes.ts';
import { FormatError } from '../../io/format-error.ts';
import { inflateZlib } from '../../io/inflate.ts';
import { PromiseCache } from '../../io/promise-cache.ts';

const MAGIC = [0x37, 0xe4, 0x53, 0x96, 0xc9, 0xdb, 0xd6, 0x07];
/** Blocks kept decompressed (a viewer reads the same ones again and again). */
const BLOCKS_KEPT = 8;

interface Layout {
  blockSize: number;
  pointers: number[];
}

/** A compressed file's uncompressed bytes. Its header and block pointers are read and checked on the first read. */
export class ZisofsSource implements ByteSource {
  private readonly blocks = new PromiseCache<number, Uint8Array>(BLOCKS_KEPT);
  private layout: Promise<Layout> | null = null;

  /**
   * `stored`: the file's bytes as recorded; `size`: Rock Ridge ZF's
   * uncompressed size (the file's own header must repeat it); `imageOffset`:
   * where the file starts in the image, for problem offsets.
   */
  constructor(
    private readonly stored: ByteSource,
    readonly size: number,
    private readonly imageOffset: number | null,
  ) {}

  get name(): string {
    return this.stored.name;
  }

  private at(n: number): number | null {
    return this.imageOffset === null ? null : this.imageOffset + n;
  }

  private async load(): Promise<Layout> {
    const { stored, size } = this;
    const head = await stored.read(0, 16);
    const f = new Fields(head, this.at(0) ?? 0, 'zisofs header');
    if (head.length < 16 || MAGIC.some((b, i) => head[i] !== b))
      throw new FormatError(
        'ZISOFS_BAD_HEADER',
        `${stored.name}: no zisofs header where Rock Ridge ZF says the file is compressed`,
        'zisofs header',
        this.at(0),
      );
    const headerSize = f.u8(12) * 4;
    const log2 = f.u8(13);
    const ownSize = f.u32le(8);
    if (log2 < 15 || log2 > 17)
      throw new FormatError('ZISOFS_BAD_HEADER', `${stored.name}: zisofs block size 2^${log2} (15–17 are defined)`, 'zisofs header', this.at(13));
    if (ownSize !== size)
      throw new FormatError('ZISOFS_BAD_HEADER', `${stored.name}: the zisofs header says ${ownSize} bytes, Rock Ridge ZF ${size}`, 'zisofs header', this.at(8));
    const blockSize = 2 ** log2;
    const count = Math.ceil(size / blockSize);
    const tableBytes = (count + 1) * 4;
    if (headerSize + tableBytes > stored.size)
      throw new FormatError(
        'ZISOFS_BAD_POINTERS',
        `${stored.name}: ${count} block pointers do not fit in the ${stored.size} stored bytes`,
        'zisofs block pointers',
        this.at(headerSize),
      );
    const table = new Fields(await stored.read(headerSize, tableBytes), this.at(headerSize) ?? 0, 'zisofs block pointers');
    const pointers: number[] = [];
    for (let i = 0; i <= count; i++) {
      const p = table.u32le(i * 4);
      if (p > stored.size || (i > 0 && p < pointers[i - 1]!) || p < headerSize + tableBytes)
        throw new FormatError(
          'ZISOFS_BAD_POINTERS',
          `${stored.name}: block pointer ${i} (${p}) is out of order or outside the stored data`,
          'zisofs block pointers',
          this.at(headerSize + i * 4),
        );
      pointers.push(p);
    }
    return { blockSize, pointers };
  }

  private block(layout: Layout, i: number): Promise<Uint8Array> {
    return this.blocks.getOrMake(i, () => this.inflate(layout, i));
  }

  private async inflate(layout: Layout, i: number): Promise<Uint8Array> {
    const want = Math.min(layout.blockSize, this.size - i * layout.blockSize);
    const from = layout.pointers[i]!,
      to = layout.pointers[i + 1]!;
    if (to === from) return new Uint8Array(want); // a block of zeros is stored as nothing
    const data = await inflateZlib(await this.stored.read(from, to - from), layout.blockSize, 'zisofs block', this.at(from));
    if (data.length !== want)
      throw new FormatError('ZISOFS_SHORT_BLOCK', `${this.name}: block ${i} inflates to ${data.length} bytes, not ${want}`, 'zisofs block', this.at(from));
    return data;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertReadArgs(offset, length);
    const n = clampRange(this.size, offset, length);
    if (n === 0) return new Uint8Array(0);
    this.layout ??= this.load();
    const layout = await this.layout;
    const out = new Uint8Array(n);
    for (let done = 0; done < n;) {
      const at = offset + done;
      const i = Math.floor(at / layout.blockSize);
      const block = await this.block(layout, i);
      const from = at - i * layout.blockSize;
      const take = Math.min(n - done, block.length - from);
      out.set(block.subarray(from, from + take), done);
      done += take;
    }
    return out;
  }
}
