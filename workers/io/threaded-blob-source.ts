/**
 * A BlobSource whose front-to-back reading (chunks) runs on its own thread
 * (read.worker.ts), so a hashing worker spends its time hashing. Random
 * reads are BlobSource's. Where workers cannot start workers, it reads in
 * this thread like BlobSource.
 */
import { BlobSource, clampRange } from './byte-source.ts';

/** Buffers in flight between the reading thread and this one: one being hashed, the rest being filled. */
const DEPTH = 3;

export class ThreadedBlobSource extends BlobSource {
  override async *chunks(offset: number, length: number, chunkSize: number): AsyncGenerator<Uint8Array, void, void> {
    if (typeof Worker === 'undefined') {
      yield* super.chunks(offset, length, chunkSize);
      return;
    }
    const end = offset + clampRange(this.size, offset, length);
    const reader = new Worker(new URL('./read.worker.ts', import.meta.url), { type: 'module', name: 'isoscope-read' });
    const inbox: { chunk?: Uint8Array<ArrayBuffer>; done?: boolean; error?: string }[] = [];
    let wake: (() => void) | null = null;
    reader.onmessage = (e) => {
      inbox.push(e.data);
      wake?.();
    };
    reader.onerror = (e) => {
      inbox.push({ error: e.message || 'the reading thread failed' });
      wake?.();
    };
    try {
      reader.postMessage({ blob: this.blob.slice(offset, end), chunkSize, depth: DEPTH });
      for (;;) {
        while (inbox.length === 0) await new Promise<void>((ok) => (wake = ok));
        wake = null;
        const m = inbox.shift()!;
        if (m.error) throw new Error(`reading ${this.name}: ${m.error}`);
        if (m.done || !m.chunk) return;
        yield m.chunk;
        // Hashed: hand the buffer back to be filled again.
        reader.postMessage({ buffer: m.chunk.buffer }, [m.chunk.buffer]);
      }
    } finally {
      reader.terminate();
    }
  }
}
