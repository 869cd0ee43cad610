/**
 * The one reading thread of a hashing run: streams the File once into a few
 * buffers and sends each chunk round the ring of hashing lanes
 * (chunk-port.ts); the last lane hands the buffer back to be filled again.
 * In Chromium reading is dear: its CPU per byte across the browser and
 * renderer threads is of the order of SHA-256's, so reading once per lane
 * would cost about as much as a lane's own hashing, and even a copy per extra
 * lane is worth saving on a two-core machine (the figures: bench/RESULTS.md,
 * "Figures behind choices in the code").
 *
 * Message in: a ReadStart per run; the thread may serve several runs.
 */
import { streamBlob } from './blob-stream.ts';
import { BufferPool, passOn, type ChunkMessage } from './chunk-port.ts';

export interface ReadStart {
  blob: Blob;
  chunkSize: number;
  /** Buffers in the ring: enough that no lane waits for another (hash-bridge.ts chooses). */
  buffers: number;
  /** To the first lane. */
  out: MessagePort;
  /** From the last lane: buffers back. */
  back: MessagePort;
}

async function run({ blob, chunkSize, buffers, out, back }: ReadStart): Promise<void> {
  const pool = new BufferPool(chunkSize, buffers);
  back.onmessage = (e: MessageEvent<ChunkMessage>) => {
    if ('chunk' in e.data) return pool.give(e.data.chunk.buffer);
    // The end (or an error) has been all the way round: the run is over.
    back.close();
    out.close();
  };
  try {
    const chunks = streamBlob(blob, () => pool.take());
    if (!chunks) throw new Error('this browser cannot stream files');
    for await (const chunk of chunks) passOn(out, { chunk });
    passOn(out, { done: true });
  } catch (err) {
    passOn(out, { error: `reading ${(blob as File).name || 'the file'}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}` });
  }
}

self.onmessage = (e: MessageEvent<ReadStart>) => void run(e.data);
