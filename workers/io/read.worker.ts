/**
 * A reading thread for a hashing worker: streams a Blob through a small pool
 * of buffers and transfers each filled one to its parent, which hands it back
 * once hashed. Copying file data out of the browser costs about a third of
 * SHA-256's time; done here it overlaps the hashing instead of adding to it.
 *
 * Messages in: {blob, chunkSize, depth} to start, then {buffer} returns.
 * Messages out: {chunk} (transferred), {done}, or {error}.
 */
import { streamBlob } from './blob-stream.ts';

const pool: ArrayBuffer[] = [];
let waiting: ((b: ArrayBuffer) => void) | null = null;

function giveBack(buffer: ArrayBuffer): void {
  if (waiting) {
    const w = waiting;
    waiting = null;
    w(buffer);
  } else pool.push(buffer);
}
const takeBuffer = (): ArrayBuffer | Promise<ArrayBuffer> => pool.pop() ?? new Promise<ArrayBuffer>((ok) => (waiting = ok));

async function run(blob: Blob, chunkSize: number, depth: number): Promise<void> {
  for (let i = 0; i < depth; i++) pool.push(new ArrayBuffer(chunkSize));
  const chunks = streamBlob(blob, takeBuffer);
  if (!chunks) throw new Error('this browser cannot stream files');
  for await (const chunk of chunks) self.postMessage({ chunk }, [chunk.buffer]);
  self.postMessage({ done: true });
}

self.onmessage = (e: MessageEvent<{ blob?: Blob; chunkSize?: number; depth?: number; buffer?: ArrayBuffer }>) => {
  if (e.data.buffer) giveBack(e.data.buffer);
  else if (e.data.blob) run(e.data.blob, e.data.chunkSize!, e.data.depth!).catch((err: unknown) => self.postMessage({ error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }));
};
