/**
 * The one typed bridge between the page and the worker (after squoosh's
 * worker-bridge): it owns the worker; aborting a call terminates the worker,
 * every other call in flight on it rejects at once with WorkerStoppedError,
 * and the next call starts a fresh one. Long jobs (the WIM check) run on a
 * bridge of their own (`jobBridge`), so cancelling one never stops the page's
 * inspection or its file browser.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { SignatureCheck } from '../../workers/hash/signed-checksums.ts';
import type { ZipEntry } from '../../workers/zip-files.ts';
import type { IsoscopeWorkerApi } from '../../workers/isoscope.worker.ts';
import type { InspectOptions } from '../../workers/core/disc.ts';
import type { Report } from '../../workers/report/types.ts';
import type { TreeId } from '../../workers/formats/tree.ts';
import type { Provenance } from '../../workers/report/types.ts';
import type { HashProgress } from '../../workers/hash/hashers.ts';
import type { EditionProgress } from '../../workers/core/signatures.ts';
import type { EditionSignatures } from '../../workers/report/signatures.ts';
import { AbortedError, callWorker } from './worker-call.ts';

export { AbortedError, TimeoutError, WorkerError, WorkerStoppedError } from './worker-call.ts';

/** A folder scan's files (those one worker reads), sent to it once, in parts (a File posted alone is far dearer to clone). */
export interface FolderList {
  id: number;
  files: readonly File[];
}

/** Files of a folder list posted to a worker in one message (listSent). */
const FOLDER_PART = 64;

export class WorkerBridge {
  private worker: Worker | null = null;
  private api: Remote<IsoscopeWorkerApi> | null = null;
  /** Aborted when this worker is terminated: the calls still in flight on it reject then. */
  private life: AbortController | null = null;

  private start(): { api: Remote<IsoscopeWorkerApi>; worker: Worker; stopped: AbortSignal } {
    if (!this.api || !this.worker || !this.life) {
      this.worker = new Worker(new URL('../../workers/isoscope.worker.ts', import.meta.url), { type: 'module', name: 'isoscope' });
      this.api = wrap<IsoscopeWorkerApi>(this.worker);
      this.life = new AbortController();
    }
    return { api: this.api, worker: this.worker, stopped: this.life.signal };
  }

  /**
   * Start the worker before anything is asked of it (when the page loads), so
   * the first image's report does not wait for the worker's script to load
   * and compile.
   */
  warm(sample?: Blob): Promise<Report | null> {
    return this.start()
      .api.warm(sample)
      .then(
        (r) => r,
        () => null,
      );
  }

  /** Kill the worker: whatever it was doing stops now, and every call still waiting on it rejects (WorkerStoppedError). */
  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    const life = this.life;
    this.life = null;
    life?.abort();
  }

  private calls = 0;

  /**
   * Run one call through callWorker. Abort asks the worker to stop this call
   * alone (its request's signal fires there; the other calls go on), and
   * terminates the worker only if the call has not ended after a grace
   * period. The time limit or a worker failure terminates the worker; the
   * next call starts a fresh one.
   */
  private run<T>(signal: AbortSignal | undefined, timeoutMs: number, call: (api: Remote<IsoscopeWorkerApi>, id: number) => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(new AbortedError());
    const { api, worker, stopped } = this.start();
    const id = ++this.calls;
    return callWorker(
      [worker],
      () => this.worker === worker && this.terminate(),
      () => call(api, id),
      { signal, timeoutMs, workerStopped: stopped, cancel: () => void api.cancel(id).catch(() => undefined) },
    );
  }

  /** Match hashes against the catalogue in the worker: parsing and indexing it on the page would be a long task. */
  withHashes(provenance: Provenance, hashes: Record<string, string>, signal?: AbortSignal): Promise<Provenance> {
    return this.run(signal, 30_000, (api) => api.withHashes(provenance, hashes));
  }

  /** Files of the disc the worker has open, as a zip stream (made there, read here as it is written out). */
  zip(file: File, naming: TreeId, entries: ZipEntry[], signal?: AbortSignal) {
    return this.run(signal, 60_000, (api) => api.zip(file, file.name, naming, entries) as Promise<{ stream: ReadableStream<Uint8Array>; bytes: number }>);
  }

  /** A checksum list's OpenPGP signature checked with the user's key (the library loads in the worker on first use). */
  checkSignedList(list: Blob, files: Blob[], signal?: AbortSignal) {
    // comlink's Remote<> spreads a union result over Promise<…> | Promise<…>: it is one Promise<SignatureCheck>.
    return this.run<SignatureCheck>(signal, 60_000, (api) => api.checkSignedList(list, files));
  }

  /** Every entry of one tree of the file the worker has open (it opens it again if it was restarted). */
  listTree(file: File, naming: TreeId, signal?: AbortSignal) {
    return this.run(signal, 60_000, (api, id) => api.listTree(file, file.name, naming, id));
  }

  fileContents(file: File, naming: TreeId, path: string, signal?: AbortSignal, headBytes?: number) {
    return this.run(signal, 30_000, (api, id) => api.fileContents(file, file.name, naming, path, id, headBytes));
  }
  /** A piece of a file's uncompressed bytes (compressed files are saved this way). */
  fileRange(file: File, naming: TreeId, path: string, offset: number, length: number, signal?: AbortSignal) {
    return this.run(signal, 60_000, (api, id) => api.fileRange(file, file.name, naming, path, offset, length, id));
  }

  /**
   * Folder lists the current worker holds (a worker started afresh holds none), sent once, FOLDER_PART files at a
   * time: the first clone of a File costs the page a fraction of a millisecond (Chromium registers its blob with
   * the browser process), so a whole folder in one message was a long task. Each part waits for the worker's answer
   * to the one before, so the page gets its turns in between, and a row waits only for its own part.
   */
  private lists: { worker: Worker; sent: Map<number, Promise<void>[]> } | null = null;

  private listSent(api: Remote<IsoscopeWorkerApi>, list: FolderList, index: number): Promise<void> {
    const worker = this.worker!;
    if (this.lists?.worker !== worker) this.lists = { worker, sent: new Map() };
    let parts = this.lists.sent.get(list.id);
    if (!parts) {
      parts = [];
      let previous: Promise<void> = Promise.resolve();
      for (let at = 0; at < list.files.length; at += FOLDER_PART) {
        const files = list.files.slice(at, at + FOLDER_PART);
        previous = previous.then(() => api.folderFiles(list.id, at, files));
        parts.push(previous);
      }
      this.lists.sent.set(list.id, parts);
    }
    return parts[Math.floor(index / FOLDER_PART)] ?? Promise.resolve();
  }

  /** File `index` of a folder's list as its table needs it: its row, what history keeps, its fingerprint (the report stays in the worker). */
  folderRow(list: FolderList, index: number, path: string, signal?: AbortSignal) {
    return this.run(signal, 30_000, async (api, id) => {
      await this.listSent(api, list, index);
      return api.folderRow(list.id, index, path, id);
    });
  }

  /** The worker may let a folder's files go (another folder was chosen). */
  forgetFolder(list: FolderList): void {
    if (!this.lists?.sent.delete(list.id) || !this.api) return;
    void this.api.forgetFolder(list.id).catch(() => undefined);
  }

  /** The images inside a file (install.wim's editions): each one's index and label. */
  images(file: File, naming: TreeId, path: string, signal?: AbortSignal) {
    return this.run(signal, 60_000, (api, id) => api.images(file, file.name, naming, path, id));
  }

  /** The signals from inside the install image (its images' metadata and blob table: a few MB), for "Genuine?". */
  inside(file: File, signal?: AbortSignal) {
    return this.run(signal, 300_000, (api, id) => api.inside(file, file.name, id));
  }

  /** Every stream of the install image checked against its SHA-1: reads the whole WIM, so no time limit; cancel with `signal`. */
  verifyStreams(file: File, onProgress?: (p: HashProgress) => void, signal?: AbortSignal) {
    return this.run(signal, 24 * 3600_000, (api, id) => api.verifyStreams(file, file.name, onProgress && proxy(onProgress), id));
  }

  /**
   * Every system file of edition `image` checked against its own signature and the edition's catalogs: reads the whole
   * edition, so no time limit; cancel with `signal` (that call alone stops).
   */
  verifyEditionSignatures(file: File, image: number, onProgress?: (p: EditionProgress) => void, signal?: AbortSignal): Promise<EditionSignatures> {
    return this.run(signal, 24 * 3600_000, (api, id) => api.verifyEditionSignatures(file, file.name, image, onProgress && proxy(onProgress), id));
  }

  /** One file's bytes as a stream made in the worker (compressed files, raw-sector images, files inside a WIM). */
  fileStream(file: File, naming: TreeId, path: string, signal?: AbortSignal) {
    return this.run(
      signal,
      60_000,
      (api) => api.fileStream(file, file.name, naming, path) as Promise<{ stream: ReadableStream<Uint8Array>; bytes: number } | null>,
    );
  }

  /** install.wim's integrity table, checked in the worker that has the disc open; no time limit (it reads the whole WIM), cancel with `signal`. */
  verifyWim(file: File, onProgress?: (p: HashProgress) => void, signal?: AbortSignal) {
    return this.run(signal, 24 * 3600_000, (api, id) => api.verifyWim(file, file.name, onProgress && proxy(onProgress), id));
  }

  /**
   * Inspection is bounded by the readers; the time limit is the last line of
   * defence. `onSection` sees the report as it grows (each call its own task,
   * so the page renders section by section).
   */
  inspect(
    file: File,
    options: Omit<InspectOptions, 'onSection'> = {},
    signal?: AbortSignal,
    timeoutMs = 30_000,
    onSection?: (partial: Report) => void,
  ): Promise<Report> {
    return this.run(signal, timeoutMs, (api, id) => api.inspect(file, file.name, options, onSection && proxy(onSection), id));
  }
}

/** The page's own bridge: the app and its panels share one worker, which keeps the open discs. */
export const appBridge = new WorkerBridge();

/** Long jobs (the WIM check) on a worker of their own: it opens the disc again (a few KiB), and cancelling the job stops nothing else. */
export const jobBridge = new WorkerBridge();
