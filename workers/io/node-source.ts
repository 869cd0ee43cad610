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
    return this.readInto(new Uint8Array(n), offset);
  }

  /** Fill `buf` from `offset`; shorter only at the end of the file. */
  private async readInto(buf: Uint8Array, offset: number): Promise<Uint8Array> {
    let done = 0;
    // A single pread may return short; loop, bounded by the bytes still wanted.
    while (done < buf.length) {
      const { bytesRead } = await this.handle.read(buf, done, buf.length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === buf.length ? buf : buf.subarray(0, done);
  }

  /**
   * Front to back through two buffers taken in turn: the next chunk is read
   * (in libuv's thread pool) while the caller hashes this one, and nothing is
   * allocated or zero-filled per chunk.
   */
  async *chunks(offset: number, length: number, chunkSize: number): AsyncGenerator<Uint8Array, void, void> {
    const end = offset + clampRange(this.size, offset, length);
    const buffers = [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
    const fill = (i: number, at: number) => this.readInto(buffers[i % 2]!.subarray(0, Math.min(chunkSize, end - at)), at);
    let at = offset;
    let next = at < end ? fill(0, at) : null;
    for (let i = 0; next; i++) {
      const bytes = await next;
      at += bytes.length;
      next = bytes.length > 0 && at < end ? fill(i + 1, at) : null;
      if (bytes.length > 0) yield bytes;
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
