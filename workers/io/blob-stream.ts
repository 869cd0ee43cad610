/**
 * Reading a Blob front to back through caller-supplied buffers: a BYOB
 * reader over Blob.stream(). In Chromium this reads a cached file faster
 * than slice().arrayBuffer() (bench/RESULTS.md, "Figures behind choices in
 * the code") and allocates nothing per chunk.
 */

/**
 * A read that has not answered in this long is taken as stalled. A 4 MiB read
 * of a cached file takes milliseconds. Chromium's Blob stream of a large file
 * has been seen to stop answering for good after about 35 s of reading (the
 * read never settles, nothing else is busy: tests of this module and the bench
 * reproduce it on a 12 GB file); reading on from the same offset through a
 * new stream of `blob.slice(offset)` carries on.
 */
const STALL_MS = 5_000;
/** Resumes allowed in one pass before it is reported as an error rather than retried again. */
const MAX_RESUMES = 16;

const STALLED = Symbol('stalled');

/**
 * Chunks of `blob`, each read into the buffer `nextBuffer` hands out (given
 * the buffer of the chunk before, which the caller may reuse once it is done
 * with that chunk). Null where the browser has no byte streams.
 */
export function streamBlob(
  blob: Blob,
  nextBuffer: (last: ArrayBuffer | null) => ArrayBuffer | Promise<ArrayBuffer>,
  stallMs = STALL_MS,
): AsyncGenerator<Uint8Array<ArrayBuffer>, void, void> | null {
  type Read = (view: Uint8Array<ArrayBuffer>, options?: { min: number }) => Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>>>;
  const open = (from: number): { reader: ReadableStreamBYOBReader; read: Read } => {
    const reader = (from === 0 ? blob : blob.slice(from)).stream().getReader({ mode: 'byob' });
    // `min` asks for a full buffer where supported; elsewhere chunks are just smaller.
    return { reader, read: reader.read.bind(reader) };
  };
  let current: { reader: ReadableStreamBYOBReader; read: Read };
  try {
    current = open(0);
  } catch {
    return null;
  }
  const readOrStall = (view: Uint8Array<ArrayBuffer>) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<typeof STALLED>((ok) => (timer = setTimeout(() => ok(STALLED), stallMs)));
    return Promise.race([current.read(view, { min: view.byteLength }), stalled]).finally(() => clearTimeout(timer));
  };
  return (async function* () {
    let last: ArrayBuffer | null = null;
    let offset = 0;
    let resumes = 0;
    let buffer: ArrayBuffer | null = null;
    try {
      for (;;) {
        buffer ??= await nextBuffer(last);
        // Read before the read: the read transfers the buffer into the stream (detaching it here).
        const size: number = buffer.byteLength;
        const got = await readOrStall(new Uint8Array(buffer));
        if (got === STALLED) {
          if (++resumes > MAX_RESUMES) throw new Error(`reading stopped answering ${MAX_RESUMES} times (last at byte ${offset} of ${blob.size})`);
          // The stuck read keeps its buffer: a new one of the same size takes its place.
          void current.reader.cancel().catch(() => undefined);
          current = open(offset);
          buffer = new ArrayBuffer(size);
          continue;
        }
        const { value, done } = got;
        buffer = null;
        // A read that meets the end of the stream comes back done *with* its last bytes (Streams §4.7.4).
        if (value && value.byteLength > 0) {
          offset += value.byteLength;
          yield value;
        }
        if (done || !value) return;
        last = value.buffer; // the stream hands the buffer back (as a new ArrayBuffer)
      }
    } finally {
      try {
        current.reader.releaseLock();
      } catch {
        // A reader with a read still pending (a stalled one) may refuse; it is dropped either way.
      }
    }
  })();
}
