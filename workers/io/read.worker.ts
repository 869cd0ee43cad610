/**
 * The one reading thread of a hashing run: streams the File once and hands
 * every chunk to each hashing lane (chunk-port.ts), so two lanes cost one
 * read. In Chromium reading is dear: 1.5–2.9 ns of CPU per byte across the
 * browser and renderer threads against SHA-256's ≈ 3.6, so reading twice
 * would cost more than a lane's own hashing. The first lane gets the buffer
 * the stream filled; the others a copy (a memcpy, ≈ 0.1 ns per byte).
 *
 * Message in: {blob, chunkSize, depth, lanes: MessagePort[]}; the lanes'
 * ports then carry chunks out and buffers back.
 */
import { streamBlob } from './blob-stream.ts';
import { BufferPool, type ChunkMessage, type ReturnMessage } from './chunk-port.ts';

export interface ReadStart {
  blob: Blob;
  chunkSize: number;
  /** Buffers per lane: one being hashed, the rest filled and waiting. */
  depth: number;
  lanes: MessagePort[];
}

async function run({ blob, chunkSize, depth, lanes }: ReadStart): Promise<void> {
  const pools = lanes.map((port) => {
    const pool = new BufferPool(chunkSize, depth);
    port.onmessage = (e: MessageEvent<ReturnMessage>) => pool.give(e.data.buffer);
    return pool;
  });
  const send = (port: MessagePort, m: ChunkMessage, transfer: Transferable[] = []) => port.postMessage(m, transfer);
  try {
    const chunks = streamBlob(blob, () => pools[0]!.take());
    if (!chunks) throw new Error('this browser cannot stream files');
    for await (const chunk of chunks) {
      for (let i = 1; i < lanes.length; i++) {
        const copy = new Uint8Array(await pools[i]!.take(), 0, chunk.length);
        copy.set(chunk);
        send(lanes[i]!, { chunk: copy }, [copy.buffer]);
      }
      send(lanes[0]!, { chunk }, [chunk.buffer]);
    }
    for (const port of lanes) send(port, { done: true });
  } catch (err) {
    const error = `reading ${(blob as File).name || 'the file'}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
    for (const port of lanes) send(port, { error });
  }
}

self.onmessage = (e: MessageEvent<ReadStart>) => void run(e.data);
