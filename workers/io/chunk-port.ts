/**
 * Chunks of a file passed round a ring of threads over MessagePorts: the
 * reading thread (read.worker.ts) fills a buffer and sends the chunk to the
 * first hashing lane; each lane hashes it and passes it on to the next, the
 * last lane hands it back to the reader to be filled again. Every hop is a
 * transfer, never a copy, so two lanes cost one read and no memcpy; a few
 * buffers circulate and nothing is allocated per chunk, so memory stays flat
 * over a file of any size.
 */

/** What travels round the ring: a chunk, the end, or why it ended early. Each stage passes every message on. */
export type ChunkMessage = { chunk: Uint8Array<ArrayBuffer> } | { done: true } | { error: string };

/** Sends `m` on, transferring a chunk's buffer. */
export function passOn(port: MessagePort, m: ChunkMessage): void {
  port.postMessage(m, 'chunk' in m ? [m.chunk.buffer] : []);
}

/**
 * The chunks arriving on `input`, each valid until the next is asked for: it
 * is then passed on to `output` (the next lane, or the reader for the last).
 */
export async function* receiveChunks(input: MessagePort, output: MessagePort): AsyncGenerator<Uint8Array, void, void> {
  const inbox: ChunkMessage[] = [];
  let wake: (() => void) | null = null;
  input.onmessage = (e: MessageEvent<ChunkMessage>) => {
    inbox.push(e.data);
    wake?.();
  };
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((ok) => (wake = ok));
      wake = null;
      const m = inbox.shift()!;
      if ('error' in m) {
        passOn(output, m);
        throw new Error(m.error);
      }
      if ('done' in m) {
        passOn(output, m);
        return;
      }
      yield m.chunk;
      passOn(output, m);
    }
  } finally {
    input.close();
    output.close();
  }
}

/** The reader's buffers: taken to be filled, back once the last lane has hashed them. */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  private waiting: ((b: ArrayBuffer) => void) | null = null;
  constructor(size: number, count: number) {
    for (let i = 0; i < count; i++) this.free.push(new ArrayBuffer(size));
  }
  give(buffer: ArrayBuffer): void {
    const w = this.waiting;
    this.waiting = null;
    if (w) w(buffer);
    else this.free.push(buffer);
  }
  /** A free buffer, at once or when the ring hands one back (this is the back-pressure). */
  take(): ArrayBuffer | Promise<ArrayBuffer> {
    return this.free.pop() ?? new Promise<ArrayBuffer>((ok) => (this.waiting = ok));
  }
}
