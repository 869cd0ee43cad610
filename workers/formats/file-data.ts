/**
 * A file's bytes as a ByteSource, whatever way its tree records them: in
 * extents of the image, embedded in its descriptor (UDF in-ICB data), or
 * compressed (zisofs). Every reader of a file's contents goes through here.
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
  if (stat.embedded) return new EmbeddedSource(stat.embedded, name);
  if (stat.compression?.method === 'zisofs') {
    const stored = new ExtentSource(image, stat.extents, name, stat.compression.storedSize);
    return new ZisofsSource(stored, stat.size, stat.extents[0]?.offset ?? null);
  }
  return new ExtentSource(image, stat.extents, name, stat.size);
}
