/** Node implementation of ByteSource over a file handle (CLI and tests). */
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { assertReadArgs, clampRange, type ByteSource } from './byte-source.ts';

export class NodeFileSource implements ByteSource {
  private constructor(
    private readonly handle: FileHandle,
    readonly name: string,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<NodeFileSource> {
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat();
      if (!st.isFile() && !st.isBlockDevice()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTFILE' });
      return new NodeFileSource(handle, basename(path), st.size);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertReadArgs(offset, length);
    const n = clampRange(this.size, offset, length);
    const buf = new Uint8Array(n);
    let done = 0;
    // A single pread may return short; loop, bounded by the bytes still wanted.
    while (done < n) {
      const { bytesRead } = await this.handle.read(buf, done, n - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === n ? buf : buf.subarray(0, done);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
