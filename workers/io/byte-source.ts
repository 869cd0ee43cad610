/**
 * The one way every reader touches an image: `read(offset, length)`.
 *
 * Readers never see a File, a FileHandle or a whole buffer; they ask for the
 * few kilobytes they need. Offsets are plain numbers: JavaScript numbers are
 * exact up to 2^53, far beyond any disc, and no reader applies 32-bit bit
 * operations to them.
 */
import { streamBlob } from './blob-stream.ts';
import type { ReadAccount } from './request.ts';

export interface ByteSource {
  /** File name as the user knows it (no path). */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /**
   * Read `length` bytes at `offset`. Returns fewer bytes only when the range
   * runs past the end of the source (a truncated image is normal input).
   * `account`: the request the read is for (request.ts); layers between a
   * request's view and the file pass it on, and the count of real reads at
   * the bottom (shared-image.ts) adds to it. Readers never pass one.
   */
  read(offset: number, length: number, account?: ReadAccount): Promise<Uint8Array>;
  /**
   * Optional, for reading a whole range front to back (hashing): successive
   * chunks of at most `chunkSize` bytes. A chunk may share its buffer with
   * the next one, so it is valid only until the next is asked for; this is
   * what lets a source reuse one buffer instead of allocating per chunk.
   */
  chunks?(offset: number, length: number, chunkSize: number): AsyncGenerator<Uint8Array, void, void>;
}

/** Largest single read any reader may request; a guard against corrupt lengths. */
const MAX_SINGLE_READ = 64 * 1024 * 1024;

export function assertReadArgs(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`bad read offset ${offset}`);
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`bad read length ${length}`);
  if (length > MAX_SINGLE_READ) throw new RangeError(`read of ${length} bytes exceeds the ${MAX_SINGLE_READ}-byte cap`);
}

/** Clamp a requested range to the source's size. */
export function clampRange(size: number, offset: number, length: number): number {
  if (offset >= size) return 0;
  return Math.min(length, size - offset);
}

/**
 * Front-to-back chunks of a range through `read`, the next one read while the
 * caller works on this one. For sources that cannot stream (see chunks()).
 */
async function* readAhead(src: ByteSource, offset: number, length: number, chunkSize: number): AsyncGenerator<Uint8Array, void, void> {
  const end = offset + clampRange(src.size, offset, length);
  let at = offset;
  let next = at < end ? src.read(at, Math.min(chunkSize, end - at)) : null;
  while (next) {
    const bytes = await next;
    at += bytes.length;
    next = bytes.length > 0 && at < end ? src.read(at, Math.min(chunkSize, end - at)) : null;
    if (bytes.length > 0) yield bytes;
  }
}

/** A range front to back: the source's own stream where it has one, else readAhead. */
export function sequentialChunks(src: ByteSource, offset: number, length: number, chunkSize: number): AsyncGenerator<Uint8Array, void, void> {
  return src.chunks ? src.chunks(offset, length, chunkSize) : readAhead(src, offset, length, chunkSize);
}

/** A File or Blob in the browser (or Node's Blob): slices are read lazily. */
export class BlobSource implements ByteSource {
  readonly name: string;
  readonly size: number;
  constructor(
    protected readonly blob: Blob,
    name?: string,
  ) {
    this.size = blob.size;
    this.name = name ?? ((blob as File).name || 'image');
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    assertReadArgs(offset, length);
    const n = clampRange(this.size, offset, length);
    if (n === 0) return new Uint8Array(0);
    // The whole file needs no slice (a Blob slice in a worker costs Chromium a round trip of its own: up to a
    // millisecond or two): a small image read whole at opening, and a folder's thousand of them, skip it.
    const whole = offset === 0 && n === this.size;
    return new Uint8Array(await (whole ? this.blob : this.blob.slice(offset, offset + n)).arrayBuffer());
  }

  /**
   * Streams the range through one reused buffer (a BYOB reader over
   * Blob.stream(), blob-stream.ts): nothing is allocated per chunk, so memory
   * stays flat over a 6 GB image. Falls back to slices where byte streams are
   * missing.
   */
  async *chunks(offset: number, length: number, chunkSize: number): AsyncGenerator<Uint8Array, void, void> {
    const end = offset + clampRange(this.size, offset, length);
    const stream = streamBlob(this.blob.slice(offset, end), (last) => last ?? new ArrayBuffer(chunkSize));
    if (stream) {
      yield* stream;
      return;
    }
    yield* readAhead(this, offset, end - offset, chunkSize);
  }
}

/** An in-memory buffer: for tests and for small nested images. */
export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(
    private readonly bytes: Uint8Array,
    readonly name = 'buffer',
  ) {
    this.size = bytes.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    assertReadArgs(offset, length);
    const n = clampRange(this.size, offset, length);
    return this.bytes.slice(offset, offset + n);
  }
}
