/**
 * A file's bytes as a ByteSource, whatever way its tree records them: in
 * extents of the image, embedded in its descriptor (UDF in-ICB data),
 * compressed (zisofs), or as a stream inside another file (a WIM's blob).
 * Every reader of a file's contents goes through here.
 */
import type { ByteSource } from '../io/byte-source.ts';
import { ExtentSource } from '../io/extent-source.ts';
import type { FileStat } from './tree.ts';
import { ZisofsSource } from './iso9660/zisofs.ts';

class EmbeddedSource implements ByteSource {
  readonly size: number;
  constructor(
    private readonly bytes: Uint8Array,
    readonly name: string,
  ) {
    this.size = bytes.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.bytes.slice(offset, offset + length);
  }
}

export function fileData(image: ByteSource, stat: FileStat, name: string): ByteSource {
  if (stat.inside) return stat.inside.open(fileData(image, stat.inside.container, stat.inside.containerName));
  if (stat.embedded) return new EmbeddedSource(stat.embedded, name);
  if (stat.compression?.method === 'zisofs') {
    const stored = new ExtentSource(image, stat.extents, name, stat.compression.storedSize);
    return new ZisofsSource(stored, stat.size, stat.extents[0]?.offset ?? null);
  }
  return new ExtentSource(image, stat.extents, name, stat.size);
}

/**
 * Where byte `pos` of a file lies in the image, or null where it has no
 * place of its own (a sparse run, a byte of a compressed file): how problems
 * found inside a file (a WIM's tables, setup.exe's resources) name an image
 * offset.
 */
export function imageOffset(stat: FileStat, pos: number): number | null {
  if (stat.inside || stat.compression) return null;
  if (stat.embedded) return stat.embeddedAt !== undefined ? stat.embeddedAt + pos : null;
  let at = 0;
  for (const e of stat.extents) {
    if (pos < at + e.length) return e.offset === null ? null : e.offset + (pos - at);
    at += e.length;
  }
  return null;
}
