/**
 * Reading a Blob front to back through caller-supplied buffers: a BYOB
 * reader over Blob.stream(). In Chromium this reads a cached file faster
 * than slice().arrayBuffer() (about 750 against 450 MB/s for 8 MiB pieces)
 * and allocates nothing per chunk.
 */

/**
 * Chunks of `blob`, each read into the buffer `nextBuffer` hands out (given
 * the buffer of the chunk before, which the caller may reuse once it is done
 * with that chunk). Null where the browser has no byte streams.
 */
export function streamBlob(
  blob: Blob,
  nextBuffer: (last: ArrayBuffer | null) => ArrayBuffer | Promise<ArrayBuffer>,
): AsyncGenerator<Uint8Array<ArrayBuffer>, void, void> | null {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = blob.stream().getReader({ mode: 'byob' });
  } catch {
    return null;
  }
  // `min` asks for a full buffer where supported; elsewhere chunks are just smaller.
  const read = reader.read.bind(reader) as (
    view: Uint8Array<ArrayBuffer>,
    options?: { min: number },
  ) => Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>>>;
  return (async function* () {
    let last: ArrayBuffer | null = null;
    try {
      for (;;) {
        const buffer = await nextBuffer(last);
        const { value, done } = await read(new Uint8Array(buffer), { min: buffer.byteLength });
        // A read that meets the end of the stream comes back done *with* its last bytes (Streams §4.7.4).
        if (value && value.byteLength > 0) yield value;
        if (done || !value) return;
        last = value.buffer; // the stream hands the buffer back (as a new ArrayBuffer)
      }
    } finally {
      reader.releaseLock();
    }
  })();
}
