/**
 * Chunks of a file passed between threads over a MessagePort, with the
 * buffers handed back: the reading thread (read.worker.ts) sends each chunk
 * (transferred, not copied), the hashing lane hashes it and returns the
 * buffer to be filled again. A few buffers circulate; nothing is allocated
 * per chunk, so memory stays flat over a file of any size.
 */

/** Reader → lane. */
export type ChunkMessage = { chunk: Uint8Array<ArrayBuffer> } | { done: true } | { error: string };
/** Lane → reader: a buffer free again. */
export type ReturnMessage = { buffer: ArrayBuffer };

/** The chunks arriving on `port`, each valid until the next is asked for (its buffer then goes back). */
export async function* receiveChunks(port: MessagePort): AsyncGenerator<Uint8Array, void, void> {
  const inbox: ChunkMessage[] = [];
  let wake: (() => void) | null = null;
  port.onmessage = (e: MessageEvent<ChunkMessage>) => {
    inbox.push(e.data);
    wake?.();
  };
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((ok) => (wake = ok));
      wake = null;
      const m = inbox.shift()!;
      if ('error' in m) throw new Error(m.error);
      if ('done' in m) return;
      yield m.chunk;
      const back: ReturnMessage = { buffer: m.chunk.buffer };
      port.postMessage(back, [m.chunk.buffer]);
    }
  } finally {
    port.close();
  }
}

/** A lane's buffers, as the reading thread sees them: taken to send a chunk, back once hashed. */
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
  /** A free buffer, at once or when the lane hands one back (this is the back-pressure). */
  take(): ArrayBuffer | Promise<ArrayBuffer> {
    return this.free.pop() ?? new Promise<ArrayBuffer>((ok) => (this.waiting = ok));
  }
}
