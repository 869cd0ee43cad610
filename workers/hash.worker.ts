/**
 * A hashing worker: wires hashSource (WebAssembly hashers) and the WIM integrity check
 * to comlink. The page starts one per algorithm so that several algorithms
 * run side by side on several cores.
 */
import { expose } from 'comlink';
import { BlobSource } from './io/byte-source.ts';
import { ThreadedBlobSource } from './io/threaded-blob-source.ts';
import { hashSource, type HashAlgorithm, type HashProgress } from './hash/hashers.ts';
import { wasmHashers, wasmHashSet } from './hash/wasm-hashers.ts';
import { checkWimIntegrity } from './inspect.ts';
import type { Report } from './report/types.ts';

export interface HashWorkerApi {
  hash(file: Blob, algorithms: HashAlgorithm[], onProgress?: (p: HashProgress) => void, chunkSize?: number): Promise<Record<string, string>>;
  verifyWim(file: Blob, name: string, onProgress?: (p: HashProgress) => void): Promise<Pick<Report, 'wimIntegrity' | 'errors' | 'warnings'>>;
}

const api: HashWorkerApi = {
  async hash(file, algorithms, onProgress, chunkSize) {
    let last = 0;
    return hashSource(new ThreadedBlobSource(file), algorithms, wasmHashSet, {
      chunkSize,
      // Progress at most every 100 ms: messages are not free.
      onProgress: (p) => {
        const t = Date.now();
        if (onProgress && (t - last > 100 || p.bytesDone === p.bytesTotal)) {
          last = t;
          void onProgress(p);
        }
      },
    });
  },
  async verifyWim(file, name, onProgress) {
    const report = { errors: [], warnings: [], stats: { reads: 0, bytesRead: 0, ms: 0 } } as unknown as Report;
    await checkWimIntegrity(new BlobSource(file, name), report, wasmHashers, onProgress);
    return { wimIntegrity: report.wimIntegrity, errors: report.errors, warnings: report.warnings };
  },
};

expose(api);
