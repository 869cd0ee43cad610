/**
 * The worker entry: wires the readers to comlink and nothing else. The page
 * hands over a File; every byte is read here, in slices, through BlobSource.
 * Each file is opened once (a Disc) and kept for the session: the file
 * browser, the viewer and the WIM check are answered from it.
 */
import { expose, transfer, type ProxyOrClone } from 'comlink';
import { BlobSource } from './io/byte-source.ts';
import { openDisc, type Disc, type InspectOptions } from './core/disc.ts';
import type { Report } from './report/types.ts';
import type { TreeId } from './formats/tree.ts';
import { withHashes } from './report/provenance.ts';
import type { Provenance, ProvenanceSignal } from './report/types.ts';
import { insideSignals } from './report/inside-wim.ts';
import type { Hasher, HashProgress } from './hash/hashers.ts';
import { createSha1 } from './hash/sha1.ts';
import { createSha256 } from './hash/sha256.ts';
import { reportRow, type ReportRow } from './report/row.ts';
import { windowsSummary } from './report/describe.ts';
import type { SignatureCheck } from './hash/signed-checksums.ts';
import { fileStream, zipFiles, type ZipEntry } from './zip-files.ts';
import { verifyEditionSignatures, type EditionProgress } from './core/signatures.ts';
import { nestedTreeId } from './formats/tree.ts';
import type { EditionSignatures } from './report/signatures.ts';

/** Lists, keys and signatures are small; anything larger is not one. */
const MAX_SIGNED_INPUT = 16 * 1024 * 1024;
async function bytesOf(b: Blob, what: string): Promise<Uint8Array> {
  if (b.size > MAX_SIGNED_INPUT) throw new Error(`the ${what} is ${b.size} bytes: too large for a ${what}`);
  return new Uint8Array(await b.arrayBuffer());
}

/**
 * Calls that read the disc carry the page's id for them (`call`): `cancel(call)`
 * fires that request's signal, which stops it at its next read, and only it.
 */
export interface FolderRow {
  row: ReportRow;
  recognised: boolean;
  /** The first error, when not recognised. */
  error: string | null;
  label: string | null;
  summary: string | null;
  fingerprint: string;
}

export interface IsoscopeWorkerApi {
  /** Open `file` (again: a new inspection replaces the kept one); `onSection` (a comlink proxy) sees the report as it grows. */
  inspect(
    file: Blob,
    name: string,
    options?: Omit<InspectOptions, 'onSection' | 'signal'>,
    onSection?: (partial: Report) => void,
    call?: number,
  ): Promise<Report>;
  listTree(file: Blob, name: string, naming: TreeId, call?: number): ReturnType<Disc['tree']>;
  /** Where a file's bytes lie and its first `headBytes` (64 KiB by default; 0: only where it lies). */
  fileContents(file: Blob, name: string, naming: TreeId, path: string, call?: number, headBytes?: number): ReturnType<Disc['file']>;
  fileRange(file: Blob, name: string, naming: TreeId, path: string, offset: number, length: number, call?: number): ReturnType<Disc['fileRange']>;
  /** The install image's integrity table, checked in place (SHA-1 in WebAssembly). */
  verifyWim(file: Blob, name: string, onProgress?: ProxyOrClone<(p: HashProgress) => void>, call?: number): ReturnType<Disc['verifyWim']>;
  /** Stop the call with this id (its request settles as cancelled; nothing else stops). */
  cancel(call: number): void;
  /**
   * A folder's image as its table needs it: the compact row (report/row.ts), what history keeps of it, and the
   * file's fingerprint (SHA-256 of its first and last 64 KiB, as the page's lib/file-identity.ts computes it),
   * read through the same cache. The report itself stays here: a thousand of them crossing to the page cost
   * more than reading the images. The disc is not kept (a row opened is read again).
   */
  /**
   * Part of a folder scan's files, from `at` on (`id`: the page's number for the scan's list for this worker). Sent
   * once, in parts of a few dozen (src/lib/bridge.ts listSent), never one message per row.
   */
  folderFiles(id: number, at: number, files: Blob[]): void;
  /** The scan's files are no longer needed (another scan started, or the page let it go). */
  forgetFolder(id: number): void;
  /** File `index` of folder scan `folder` as its table row needs it (folderFiles first). */
  folderRow(folder: number, index: number, path: string, call?: number): Promise<FolderRow>;
  /** The images inside a file (install.wim's editions): index and label, each a tree `<naming>|<path>#<index>`. */
  images(file: Blob, name: string, naming: TreeId, path: string, call?: number): ReturnType<Disc['images']>;
  /** The provenance signals from inside the install image (its images' metadata and blob table; report/inside-wim.ts), and how many images were read. */
  inside(file: Blob, name: string, call?: number): Promise<{ signals: ProvenanceSignal[]; images: number; problems: Report['errors'] } | null>;
  /** Every stream of the install image checked against its SHA-1 (reads the whole WIM). */
  verifyStreams(file: Blob, name: string, onProgress?: ProxyOrClone<(p: HashProgress) => void>, call?: number): ReturnType<Disc['verifyStreams']>;
  /**
   * Every system file of image `image` of the install image checked against its own signature and the edition's
   * catalogs (core/signatures.ts; reads the whole edition). Cancelled (`cancel(call)`), it stops at its next read.
   */
  verifyEditionSignatures(
    file: Blob,
    name: string,
    image: number,
    onProgress?: ProxyOrClone<(p: EditionProgress) => void>,
    call?: number,
  ): Promise<EditionSignatures>;
  /** One file's bytes as a stream (transferred to the page, which writes it out): files the page cannot slice itself. */
  fileStream(file: Blob, name: string, naming: TreeId, path: string): Promise<{ stream: ReadableStream<Uint8Array>; bytes: number } | null>;
  /** The provenance section once hashes are known (the catalogue lives here, not in the page). */
  withHashes(provenance: Provenance, hashes: Record<string, string>): Provenance;
  /**
   * Warm the worker before the user picks a file: with `sample` (the app's
   * own sample image), inspect it once, so every reader's code is compiled
   * and the first real image is answered at full speed.
   */
  warm(sample?: Blob): Promise<Report | null>;
  /** Files of the open disc as one zip, streamed (the stream is transferred to the page, which writes it out). */
  zip(file: Blob, name: string, naming: TreeId, entries: ZipEntry[]): Promise<{ stream: ReadableStream<Uint8Array>; bytes: number }>;
  /**
   * A checksum list's OpenPGP signature, checked with the keys among `files` (told apart from the
   * signature by content, whatever their names). OpenPGP.js loads here, on the first call.
   */
  checkSignedList(list: Blob, files: Blob[]): Promise<SignatureCheck>;
}

/** The files opened this session, by what tells them apart (the page sends a new copy of the File object with each call). */
const discs = new Map<string, Promise<Disc>>();
const MAX_DISCS = 8;
const keyOf = (file: Blob, name: string) => `${name}\u0000${file.size}\u0000${(file as File).lastModified ?? 0}`;

function keep(key: string, disc: Promise<Disc>): Promise<Disc> {
  discs.delete(key);
  discs.set(key, disc);
  disc.catch(() => discs.delete(key));
  if (discs.size > MAX_DISCS) discs.delete(discs.keys().next().value!);
  return disc;
}
function discOf(file: Blob, name: string): Promise<Disc> {
  const key = keyOf(file, name);
  return discs.get(key) ?? keep(key, openDisc(new BlobSource(file, name)));
}

/** The SHA-256 that fingerprints folder rows (first and last 64 KiB), made once. */
let fingerprintHasher: Promise<Hasher> | undefined;

/** Folder scans' files, by the page's number for each scan (api.folderFiles). */
const folders = new Map<number, Blob[]>();

/** The signal of each call in flight, by the page's id for it. */
const running = new Map<number, AbortController>();
async function withCall<T>(call: number | undefined, work: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (call === undefined) return work(undefined);
  const ctl = new AbortController();
  running.set(call, ctl);
  try {
    return await work(ctl.signal);
  } finally {
    running.delete(call);
  }
}

const api: IsoscopeWorkerApi = {
  inspect: (file, name, options, onSection, call) =>
    withCall(call, async (signal) => {
      // A cancelled opening is not kept: the next call opens the file again.
      const disc = keep(keyOf(file, name), openDisc(new BlobSource(file, name), { ...options, onSection, signal }));
      const { report } = await disc;
      if (signal?.aborted) discs.delete(keyOf(file, name));
      return report;
    }),
  listTree: (file, name, naming, call) => withCall(call, async (signal) => (await discOf(file, name)).tree(naming, signal)),
  fileContents: (file, name, naming, path, call, headBytes) =>
    withCall(call, async (signal) => (await discOf(file, name)).file(naming, path, headBytes, signal)),
  fileRange: (file, name, naming, path, offset, length, call) =>
    withCall(call, async (signal) => {
      const bytes = await (await discOf(file, name)).fileRange(naming, path, offset, length, signal);
      return bytes ? transfer(bytes, [bytes.buffer]) : null;
    }),
  cancel: (call) => running.get(call)?.abort(),
  folderFiles: (id, at, files) => {
    const list = folders.get(id) ?? [];
    folders.set(id, list);
    for (const [i, f] of files.entries()) list[at + i] = f;
  },
  forgetFolder: (id) => void folders.delete(id),
  folderRow: (folder, index, path, call) =>
    withCall(call, async (signal) => {
      const file = folders.get(folder)?.[index];
      if (!file) throw new Error(`folder scan ${folder} has no file ${index} here (its list was not sent to this worker)`);
      const name = (file as File).name ?? path;
      const disc = await openDisc(new BlobSource(file, name), { signal, verifySignatures: false });
      const r = disc.report;
      const edge = 64 * 1024;
      const parts = file.size <= 2 * edge ? [await disc.bytes(0, file.size)] : await Promise.all([disc.bytes(0, edge), disc.bytes(file.size - edge, edge)]);
      // One hasher for every row (each made anew was a WebAssembly instance and its memory per image); used without a
      // pause between reset and digest, so rows in flight never share it midway.
      const h = await (fingerprintHasher ??= createSha256());
      h.reset();
      for (const p of parts) h.update(p);
      return {
        row: reportRow(r, path),
        recognised: r.recognised,
        error: r.recognised ? null : (r.errors[0]?.message ?? 'not recognised'),
        label: r.volume?.label ?? null,
        summary: r.windows ? windowsSummary(r.windows) : (r.os?.headline ?? null),
        fingerprint: h.digest(),
      };
    }),
  images: (file, name, naming, path, call) => withCall(call, async (signal) => (await discOf(file, name)).images(naming, path, signal)),
  inside: (file, name, call) =>
    withCall(call, async (signal) => {
      // The facts list every file of every image: the signals, not the facts, cross to the page.
      const { facts, problems } = await (await discOf(file, name)).inside(signal);
      return facts ? { signals: insideSignals(facts), images: facts.images.length, problems } : null;
    }),
  verifyStreams: (file, name, onProgress, call) =>
    withCall(call, async (signal) => (await discOf(file, name)).verifyStreams(() => createSha1(), onProgress ? (p) => void onProgress(p) : undefined, signal)),
  verifyEditionSignatures: (file, name, image, onProgress, call) =>
    withCall(call, async (signal) => {
      const disc = await discOf(file, name);
      const at = disc.installImage();
      if (!at) throw new Error('this disc holds no install image (sources/install.wim, .esd, .swm) whose editions could be checked');
      const { images } = await disc.images(at.parent, at.path, signal);
      const img = images.find((i) => i.index === image);
      if (!img) throw new Error(`the install image has no image ${image} (it has ${images.length})`);
      return verifyEditionSignatures(disc, nestedTreeId(at.parent, at.path, image), {
        label: img.label,
        signal,
        progressInterval: 200,
        onProgress: onProgress ? (p) => void onProgress(p) : undefined,
        // A bare WIM is the file itself (the Disc gives no source for its own image file).
        wimFile: at.parent === '' ? new BlobSource(file, name) : undefined,
      });
    }),
  async fileStream(file, name, naming, path) {
    const disc = await discOf(file, name);
    const head = await disc.file(naming, path, 0);
    if (!head) return null;
    const stream = fileStream(disc, naming, { path, size: head.size });
    return transfer({ stream, bytes: head.size }, [stream]);
  },
  async zip(file, name, naming, entries) {
    const zip = zipFiles(await discOf(file, name), naming, entries);
    return transfer(zip, [zip.stream]);
  },
  async checkSignedList(list, files) {
    const { checkSignedList, openPgpKind } = await import('./hash/signed-checksums.ts');
    const given = await Promise.all(files.slice(0, 16).map((f) => bytesOf(f, 'signature or key file')));
    const signature = given.find((b) => openPgpKind(b) === 'signature') ?? null;
    const keys = given.filter((b) => openPgpKind(b) !== 'signature');
    if (!keys.length) return { status: 'unreadable', reason: 'No public key was given: add the publisher’s key file (.asc, .gpg) beside the signature.' };
    return checkSignedList(await bytesOf(list, 'checksum list'), signature, keys);
  },
  verifyWim: (file, name, onProgress, call) =>
    withCall(call, async (signal) => (await discOf(file, name)).verifyWim(() => createSha1(), onProgress ? (p) => void onProgress(p) : undefined, signal)),
  withHashes: (provenance, hashes) => withHashes(provenance, hashes),
  async warm(sample) {
    // The sample's report goes back: the page renders it once, out of sight, to compile its views too.
    if (!sample) return null;
    return (await openDisc(new BlobSource(sample, 'sample.iso'), { files: true }).catch(() => null))?.report ?? null;
  },
};

expose(api);
