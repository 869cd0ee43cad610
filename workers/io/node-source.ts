/**
 * Node implementation of ByteSource over a file descriptor (CLI and tests).
 *
 * Metadata reads are synchronous: identification makes a few dozen reads of
 * a few KiB, and each asynchronous read is a round trip through libuv's
 * thread pool that costs many times a pread from the page cache; a CLI has
 * nothing else to do meanwhile. Streaming a
 * whole file (hashing) stays asynchronous, so the next chunk is read while
 * this one is hashed. node:fs/promises is not loaded at all (start-up time).
 */
import { closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import { basename } from 'node:path';
import { assertReadArgs, clampRange, type ByteSource } from './byte-source.ts';

export class NodeFileSource implements ByteSource {
  private constructor(
    private readonly fd: number,
    readonly name: string,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<NodeFileSource> {
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile() && !st.isBlockDevice()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTFILE' });
      return new NodeFileSource(fd, basename(path), st.size);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertReadArgs(offset, length);
    const buf = new Uint8Array(clampRange(this.size, offset, length));
    let done = 0;
    // A single pread may return short; loop, bounded by the bytes still wanted.
    while (done < buf.length) {
      const n = readSync(this.fd, buf, done, buf.length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done === buf.length ? buf : buf.subarray(0, done);
  }

  /** Fill `buf` from `offset` in the thread pool; shorter only at the end of the file. */
  private async readInto(buf: Uint8Array, offset: number): Promise<Uint8Array> {
    let done = 0;
    while (done < buf.length) {
      const n = await new Promise<number>((resolve, reject) =>
        read(this.fd, buf, done, buf.length - done, offset + done, (e, bytes) => (e ? reject(e) : resolve(bytes))),
      );
      if (n === 0) break;
      done += n;
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

  async close(): Promise<void> {
    closeSync(this.fd);
  }
}
