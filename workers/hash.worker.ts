/**
 * A hashing lane: wires hashChunks (WebAssembly hashers) over the chunks
 * coming round the ring from the reading thread (chunk-port.ts) to comlink
 * (the WIM integrity check runs in the inspection worker, on the disc it has
 * open). The page runs one lane per core in one ring,
 * so several algorithms run side by side (src/lib/hash-bridge.ts).
 */
import { expose } from 'comlink';
import { receiveChunks } from './io/chunk-port.ts';
import { hashChunks, type HashAlgorithm, type HashProgress } from './hash/hashers.ts';
import { wasmHashSet } from './hash/wasm-hashers.ts';

export interface HashWorkerApi {
  /** Digests of the `size` bytes arriving on `input` (from the reader or the lane before), each chunk passed on to `output`. */
  hash(
    input: MessagePort,
    output: MessagePort,
    size: number,
    algorithms: HashAlgorithm[],
    onProgress?: (p: HashProgress) => void,
  ): Promise<Record<string, string>>;
}

const api: HashWorkerApi = {
  async hash(input, output, size, algorithms, onProgress) {
    let last = 0;
    return hashChunks(receiveChunks(input, output), size, algorithms, wasmHashSet, {
      // Progress at most four times a second: each report crosses to the page and repaints it, on a machine whose cores the lanes want.
      onProgress: (p) => {
        const t = Date.now();
        if (onProgress && (t - last >= 250 || p.bytesDone === p.bytesTotal)) {
          last = t;
          void onProgress(p);
        }
      },
    });
  },
};

expose(api);
