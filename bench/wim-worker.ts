/**
 * A classic Web Worker bundled by bench/wim.ts (Vite, IIFE) and run in
 * Chromium: the WIM decoders on chunks fetched from the bench's loopback
 * server, timed inside the worker (performance.now around the loop, no
 * messaging counted). Messages: {id, op: 'load', name, alg, chunkSize}
 * fetches `/data/NAME.wchk` and `/data/NAME.raw`, decodes once and checks
 * every byte; {id, op: 'decode', name, passes} decodes every chunk `passes`
 * times and answers the milliseconds; {id, op: 'drop', name}.
 */
import type { ChunkDecoder } from '../workers/formats/wim/codec.ts';
import { decodeAll, firstDifference, makeDecoder, parseFramed, type Algorithm, type Chunk } from './wim-decode.ts';

interface Loaded {
  chunks: Chunk[];
  decoder: ChunkDecoder;
  out: Uint8Array;
}
const loaded = new Map<string, Loaded>();

type Message =
  | { id: number; op: 'load'; name: string; alg: Algorithm; chunkSize: number }
  | { id: number; op: 'decode'; name: string; passes: number }
  | { id: number; op: 'drop'; name: string };

async function answer(m: Message): Promise<unknown> {
  if (m.op === 'load') {
    const fetched = async (ext: string) => new Uint8Array(await (await fetch(`/data/${m.name}.${ext}`)).arrayBuffer());
    const chunks = parseFramed(await fetched('wchk'));
    const original = await fetched('raw');
    const decoder = makeDecoder(m.alg, m.chunkSize);
    const bad = firstDifference(decoder, chunks, m.chunkSize, original);
    if (bad >= 0) throw new Error(`${m.name}: decoded bytes differ from the original at ${bad}`);
    loaded.set(m.name, { chunks, decoder, out: new Uint8Array(m.chunkSize) });
    return original.length;
  }
  if (m.op === 'drop') return loaded.delete(m.name);
  const l = loaded.get(m.name);
  if (!l) throw new Error(`${m.name} is not loaded`);
  const t0 = performance.now();
  for (let p = 0; p < m.passes; p++) decodeAll(l.decoder, l.chunks, l.out);
  return performance.now() - t0;
}

self.onmessage = (e: MessageEvent<Message>) => {
  answer(e.data).then(
    (result) => self.postMessage({ id: e.data.id, result }),
    (err: unknown) => self.postMessage({ id: e.data.id, error: String((err as Error)?.stack ?? err) }),
  );
};
