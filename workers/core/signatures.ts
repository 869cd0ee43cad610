/**
 * The full signature check of one edition of the install image (issue #23
 * §2): the catalogs of the edition (Windows/System32/CatRoot/{F750E6C3-…}/
 * *.cat, and any other *.cat under System32 and SysWOW64, such as a driver
 * package's in the DriverStore) read and verified to Microsoft's anchors,
 * then every system file read and checked: a PE image's own signature
 * (verified with verifyPeSignatures), else its Authenticode digest, or a
 * non-PE file's hash, against the verified catalogs' members
 * (formats/pe/file-check.ts).
 *
 * Which files are system files (isSystemFile, said in words by
 * report/signatures.ts SYSTEM_FILES_SCOPE): every file named as Windows
 * names executables and their resources, anywhere in the edition (they are
 * what runs, and what Windows signs, by its own signature or by catalog),
 * and every file under Windows/System32 and Windows/SysWOW64 (what the
 * catalogs in CatRoot list besides executables: .inf, .nls, .tlb, …), less
 * what Windows writes there itself at install or at run time (registry
 * hives and logs in config/, the catalogs and catroot2's database, LogFiles/,
 * winevt/, *.log, *.etl), which no catalog can list. Data elsewhere (the
 * component manifests of WinSxS, whose catalogs are in WinSxS/Catalogs, user
 * profiles, Program Files' data) is not checked.
 *
 * Reading: the whole of every system file, once per distinct contents (a
 * WIM stores hard links, System32's files and their WinSxS twins, once: the
 * verdict applies to every path). For an edition of a WIM, the WIM file is
 * read through the Disc (disc.source of install.wim, one request with the
 * data budget) in its own order: resources by their place in the file, the
 * blobs of one resource in theirs, each resource's chunks decompressed once
 * for all its blobs (a solid install.esd holds thousands of files per 64 MiB
 * chunk: read file by file, each would decompress its chunk again). Any
 * other tree (or a file the WIM's blob table does not hold) is read file by
 * file through disc.source. An explicit action: progress
 * (bytes done of the total, and a time estimate from the speed measured so
 * far), cancel (the AbortSignal: the result is then 'cancelled', with what
 * was checked until then) and a bounded list of the files that are not
 * signed by Microsoft.
 */
import type { ByteSource } from '../io/byte-source.ts';
import { ProblemLog, type Problem } from '../io/problems.ts';
import type { HasherFactory } from '../hash/hashers.ts';
import { wasmHashers } from '../hash/wasm-hashers.ts';
import {
  CatalogIndex,
  checkCatalog,
  countingSource,
  examineFile,
  judgeFile,
  memorySource,
  type FileExamination,
  type FileJudgement,
} from '../formats/pe/file-check.ts';
import { WimArchive } from '../formats/wim/archive.ts';
import { ResourceReader, type ResourceSpec } from '../formats/wim/resource.ts';
import { parseTreeId, type TreeId } from '../formats/tree.ts';
import type { VerifyOptions } from '../formats/pe/verify.ts';
import type { FileEntry } from '../report/types.ts';
import {
  catalogReport,
  EMPTY_VERDICTS,
  editionWords,
  SIGNATURE_NOTE,
  signedFile,
  SYSTEM_FILES_SCOPE,
  type EditionSignatures,
  type SignedFile,
} from '../report/signatures.ts';
import type { Disc } from './disc.ts';

/** What the check needs of a Disc: an image's file list and one file's bytes. */
export type EditionDisc = Pick<Disc, 'tree' | 'source'>;

export interface EditionProgress {
  phase: 'catalogs' | 'files';
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  msElapsed: number;
  /** Time left at the speed measured so far; null until a second or 1% has gone by. */
  msLeft: number | null;
  bytesPerSecond: number | null;
}

export interface EditionSignatureOptions {
  /** The hashers (default: the WebAssembly ones, as in the worker; the CLI passes node:crypto's). */
  hashers?: HasherFactory;
  /** Anchors trusted besides Microsoft's (never counted as Microsoft's). */
  extraAnchors?: readonly Uint8Array[];
  /** Now, ms since 1970 (tests). */
  now?: number;
  signal?: AbortSignal;
  onProgress?: (p: EditionProgress) => void;
  /** At most one progress call per this many ms, besides the first and the last (default 100). */
  progressInterval?: number;
  /** At most this many files listed (the counts cover all); default 1000. */
  maxListed?: number;
  /** Files read at once (reads overlap hashing); default 4. */
  concurrency?: number;
  /** The image's label, for the result ("2 · Windows 7 ULTIMATE"). */
  label?: string;
  /**
   * The WIM file itself when the disc is a bare WIM (tree ids "|/#n": the Disc gives no source for its own image file);
   * without it such an edition is read file by file.
   */
  wimFile?: ByteSource;
}

const CATROOT = /^\/?windows\/system32\/catroot\/\{f750e6c3-38ee-11d1-85e5-00c04fc295ee\}\/[^/]+\.cat$/i;
const SYSTEM_DIRS = /^\/?windows\/(system32|syswow64)\//i;
/** What Windows writes under System32 and SysWOW64 itself: no catalog lists it. */
const WRITTEN_BY_WINDOWS = /^\/?windows\/(system32|syswow64)\/(config|catroot|catroot2|logfiles|winevt)\/|\.(log|etl)$/i;
const EXECUTABLE = /\.(exe|dll|sys|efi|mui|ocx|cpl|drv|scr|com|ax|acm|tsp|winmd|mun)$/i;
const REPARSE_POINT = 0x400;

/** A catalog the check reads: CatRoot's, and any other *.cat under System32 and SysWOW64. */
export function isEditionCatalog(path: string): boolean {
  return /\.cat$/i.test(path) && (CATROOT.test(path) || SYSTEM_DIRS.test(path)) && !/\/catroot2\//i.test(path);
}

/** A system file, as the check counts them (see the top of this file). */
export function isSystemFile(path: string): boolean {
  if (/\.cat$/i.test(path)) return false;
  if (EXECUTABLE.test(path)) return true;
  return SYSTEM_DIRS.test(path) && !WRITTEN_BY_WINDOWS.test(path);
}

const VERDICT_ORDER: SignedFile['verdict'][] = [
  'changed-after-signing',
  'embedded-invalid',
  'catalog-not-microsoft',
  'unreadable',
  'not-in-catalog',
  'signed-not-microsoft',
  'embedded',
  'catalog',
];
const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
const isCancel = (e: unknown, signal?: AbortSignal): boolean =>
  !!signal?.aborted || (e instanceof DOMException && e.name === 'AbortError') || (e as { code?: string })?.code === 'BUDGET_CANCELLED';

/** One distinct contents, and every path that holds it. */
interface Contents {
  paths: string[];
  size: number;
  /** The path to read it through: the one whose directories are quickest to walk (fewest entries on the way). */
  read: string;
  /** The WIM's SHA-1 of its data, when the tree records it. */
  sha1: string | null;
}

function regularFile(f: FileEntry): boolean {
  if (f.dir || f.symlink !== undefined) return false;
  const d = f.details;
  return !d || (d.reparseTag === undefined && (d.attributes & REPARSE_POINT) === 0);
}

/** Group files by contents (the WIM's SHA-1 of their data), choosing the path each is read through. */
function byContents(files: readonly FileEntry[], all: readonly FileEntry[]): Contents[] {
  // Listing a directory costs its entries (disc.source walks the path): prefer paths through small directories.
  const entries = new Map<string, number>();
  for (const f of all) {
    const dir = f.path.slice(0, f.path.lastIndexOf('/'));
    entries.set(dir, (entries.get(dir) ?? 0) + 1);
  }
  const cost = (path: string) => {
    let n = 0;
    for (let i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) n += entries.get(path.slice(0, i)) ?? 0;
    return n + (entries.get(path.slice(0, path.lastIndexOf('/'))) ?? 0);
  };
  const groups = new Map<string, Contents>();
  for (const f of files) {
    const key = f.details?.sha1 ? `sha1:${f.details.sha1}` : f.size === 0 ? 'empty' : `path:${f.path}`;
    const g = groups.get(key);
    if (g) {
      g.paths.push(f.path);
      if (cost(f.path) < cost(g.read)) g.read = f.path;
    } else groups.set(key, { paths: [f.path], size: f.size, read: f.path, sha1: f.details?.sha1 ?? null });
  }
  return [...groups.values()];
}

/** How contents are read: `groups` to read one after the other (they share a resource's decompressed chunks), groups side by side. */
interface ContentSource {
  groups(contents: readonly Contents[]): Contents[][];
  open(c: Contents): Promise<ByteSource>;
  /** Bytes of the disc's file read (compressed, for a WIM), when known. */
  readonly storedBytes: number | null;
}

/** File by file, through disc.source (each walks the path to the file: fine for a disc's tree, slow for large directories). */
function fileByFile(disc: EditionDisc, treeId: TreeId, signal: AbortSignal | undefined): ContentSource {
  return {
    groups: (contents) => contents.map((c) => [c]),
    open: async (c) => {
      if (c.size === 0) return memorySource(new Uint8Array(0), c.read);
      const src = await disc.source(treeId, c.read, signal);
      if (!src) throw Object.assign(new Error(`${c.read} is not in the image`), { code: 'FILE_NOT_FOUND' });
      return src;
    },
    storedBytes: null,
  };
}

/** Decompressed-chunk readers kept at once: one per lane is in use, the rest are dropped oldest first. */
const KEPT_READERS = 8;

/**
 * In the WIM's own order: the WIM file read through the Disc (its container's tree and path, from the tree id), its
 * blob table read again here (the Disc's is private to it; a few MB), and each contents found there by its SHA-1.
 * Null when the tree is not an image of a WIM the Disc can give a source for.
 */
async function inWimOrder(disc: EditionDisc, treeId: TreeId, options: EditionSignatureOptions): Promise<ContentSource | null> {
  const nested = parseTreeId(treeId);
  if (!nested) return null;
  const file = nested.parent === '' ? (options.wimFile ?? null) : await disc.source(nested.parent, nested.path, options.signal);
  if (!file) return null;
  const wim = countingSource(file);
  const archive = await WimArchive.open(wim, new ProblemLog());
  const perFile = fileByFile(disc, treeId, options.signal);
  const readers = new Map<ResourceSpec, ResourceReader>();
  const blob = (c: Contents) => (c.sha1 ? archive.table.blobs.get(c.sha1) : undefined);
  return {
    groups(contents) {
      const byResource = new Map<ResourceSpec, Contents[]>();
      const alone: Contents[][] = [];
      for (const c of contents) {
        const b = blob(c);
        if (!b) alone.push([c]);
        else byResource.set(b.resource, [...(byResource.get(b.resource) ?? []), c]);
      }
      const ordered = [...byResource].sort((a, b) => a[0].offsetInWim - b[0].offsetInWim);
      return [...ordered.map(([, list]) => list.sort((a, b) => blob(a)!.offsetInResource - blob(b)!.offsetInResource)), ...alone];
    },
    async open(c) {
      const b = blob(c);
      if (!b) return perFile.open(c);
      let r = readers.get(b.resource);
      if (!r) {
        r = new ResourceReader(wim, b.resource, archive.decoders, c.read);
        readers.set(b.resource, r);
        if (readers.size > KEPT_READERS) readers.delete(readers.keys().next().value!);
      }
      const reader = r;
      const name = c.read.slice(c.read.lastIndexOf('/') + 1);
      return {
        name,
        size: b.size,
        read: (offset: number, length: number) => reader.read(b.offsetInResource + offset, Math.max(0, Math.min(length, b.size - offset))),
      };
    },
    get storedBytes() {
      return wim.bytesRead;
    },
  };
}

/**
 * Check every system file of the edition `treeId` (nestedTreeId(install image, n)) against its own signature and the
 * edition's catalogs. Never rejects on the image's account: a cancel gives status 'cancelled', a tree that cannot be
 * read 'failed', each with what was found.
 */
export async function verifyEditionSignatures(disc: EditionDisc, treeId: TreeId, options: EditionSignatureOptions = {}): Promise<EditionSignatures> {
  const t0 = now();
  const { signal } = options;
  const hashers = options.hashers ?? wasmHashers;
  const maxListed = options.maxListed ?? 1000;
  const verify: VerifyOptions = { extraAnchors: options.extraAnchors, now: options.now, signal };
  const problems: Problem[] = [];
  const verdicts = EMPTY_VERDICTS();
  const byAnchor: Record<string, number> = {};
  const failing: SignedFile[] = [];
  const others: SignedFile[] = [];
  const counts = { systemFiles: 0, checked: 0, signedByMicrosoft: 0, embedded: 0, byCatalog: 0, datesNotChecked: 0, notSigned: 0, claimsMicrosoftButFails: 0 };
  const index = new CatalogIndex();
  let bytesRead = 0;
  let bytesTotal = 0;
  let bytesDone = 0;
  let contentsRead = 0;
  let status: EditionSignatures['status'] = 'complete';
  let stored = (): number | null => null;

  const result = (): EditionSignatures => {
    const ms = Math.round((now() - t0) * 100) / 100;
    // Those failing a claim to be Microsoft's first, then by verdict and path: the same list whatever order the reads finished in.
    const order = (a: SignedFile, b: SignedFile) =>
      VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    const files = [...failing.sort(order), ...others.sort(order)].slice(0, maxListed);
    const notMicrosoft = index.catalogs.filter((c) => !c.microsoft);
    const e = { ...counts, status, catalogs: status === 'complete' ? index.catalogs.length : undefined };
    return {
      status,
      tree: treeId,
      image: parseTreeId(treeId)?.index ?? null,
      label: options.label ?? null,
      scope: SYSTEM_FILES_SCOPE,
      words: editionWords(e),
      note: SIGNATURE_NOTE,
      ...counts,
      verdicts,
      byAnchor,
      files,
      filesOmitted: counts.notSigned - files.length,
      catalogs: {
        total: index.catalogs.length,
        microsoft: index.catalogs.length - notMicrosoft.length,
        members: index.memberCount,
        claimsMicrosoftButFails: notMicrosoft.filter((c) => c.claimsMicrosoft && c.status !== 'valid').length,
        notMicrosoft: notMicrosoft.slice(0, maxListed).map(catalogReport),
        omitted: Math.max(0, notMicrosoft.length - maxListed),
      },
      bytesRead,
      storedBytesRead: stored(),
      bytesTotal,
      contentsRead,
      ms,
      bytesPerSecond: ms > 0 ? Math.round((bytesRead / ms) * 1000) : null,
      problems: problems.slice(0, 100),
    };
  };

  // The edition's files, from its metadata (no file's data).
  let listed: Awaited<ReturnType<EditionDisc['tree']>>;
  try {
    listed = await disc.tree(treeId, signal);
  } catch (e) {
    status = isCancel(e, signal) ? 'cancelled' : 'failed';
    problems.push({ code: (e as { code?: string }).code ?? 'INTERNAL', message: (e as Error).message, structure: 'signatures', offset: null });
    return result();
  }
  problems.push(...listed.problems);
  if (signal?.aborted) {
    status = 'cancelled';
    return result();
  }
  if (!listed.files.length) {
    status = 'failed';
    return result();
  }
  const regular = listed.files.filter(regularFile);
  const catalogs = byContents(
    regular.filter((f) => isEditionCatalog(f.path)),
    listed.files,
  );
  const system = regular.filter((f) => isSystemFile(f.path));
  const contents = byContents(system, listed.files);
  counts.systemFiles = system.length;
  bytesTotal = [...catalogs, ...contents].reduce((n, c) => n + c.size, 0);
  const filesTotal = catalogs.length + contents.length;
  let filesDone = 0;
  let lastReport = 0;
  const progress = (phase: EditionProgress['phase'], force = false) => {
    if (!options.onProgress) return;
    const t = now();
    if (!force && t - lastReport < (options.progressInterval ?? 100)) return;
    lastReport = t;
    const msElapsed = t - t0;
    const speed = msElapsed > 0 ? bytesDone / msElapsed : 0;
    const measured = msElapsed >= 1000 || bytesDone >= bytesTotal / 100;
    options.onProgress({
      phase,
      bytesDone,
      bytesTotal,
      filesDone,
      filesTotal,
      msElapsed: Math.round(msElapsed),
      msLeft: measured && speed > 0 ? Math.round((bytesTotal - bytesDone) / speed) : null,
      bytesPerSecond: measured && speed > 0 ? Math.round(speed * 1000) : null,
    });
  };
  progress('catalogs', true);

  /** Run `work` over `items`, `concurrency` at a time, stopping at a cancel. */
  const pool = async <T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> => {
    let next = 0;
    const lane = async () => {
      while (next < items.length && status === 'complete') {
        const item = items[next++]!;
        if (signal?.aborted) {
          status = 'cancelled';
          return;
        }
        try {
          await work(item);
        } catch (e) {
          if (isCancel(e, signal)) status = 'cancelled';
          else throw e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  };
  // The WIM in its own order when the tree is a WIM's image, else file by file.
  let source: ContentSource = fileByFile(disc, treeId, signal);
  try {
    source = (await inWimOrder(disc, treeId, options)) ?? source;
  } catch (e) {
    if (isCancel(e, signal)) {
      status = 'cancelled';
      return result();
    }
    problems.push({
      code: (e as { code?: string }).code ?? 'INTERNAL',
      message: `the WIM could not be read in its own order (${(e as Error).message}): file by file`,
      structure: 'signatures',
      offset: null,
    });
  }
  stored = () => source.storedBytes;
  const unreadable = (path: string, e: unknown) => {
    if (isCancel(e, signal)) throw e;
    problems.push({ code: (e as { code?: string }).code ?? 'INTERNAL', message: `${path}: ${(e as Error).message}`, structure: 'signatures', offset: null });
  };

  // 1. The catalogs, each read whole and verified.
  await pool(source.groups(catalogs), 2, async (group) => {
    for (const c of group) {
      if (signal?.aborted) throw new DOMException('signature check cancelled', 'AbortError');
      try {
        const { info, catalog, bytesRead: n } = await checkCatalog(await source.open(c), c.read, verify);
        bytesRead += n;
        index.add(info, catalog);
      } catch (e) {
        unreadable(c.read, e);
      }
      bytesDone += c.size;
      filesDone++;
      progress('catalogs');
    }
  });

  // 2. Every system file, once per contents.
  const tally = (path: string, size: number, j: FileJudgement, sameAs: string[]) => {
    counts.checked++;
    verdicts[j.verdict]++;
    if (j.microsoft) {
      counts.signedByMicrosoft++;
      if (j.verdict === 'embedded') counts.embedded++;
      else counts.byCatalog++;
      if (!j.datesChecked) counts.datesNotChecked++;
      const anchor = j.verdict === 'embedded' ? j.signature?.anchor : j.catalog?.best?.anchor;
      const name = anchor ? (anchor.root ?? anchor.name) : 'unknown';
      byAnchor[name] = (byAnchor[name] ?? 0) + 1;
      return;
    }
    counts.notSigned++;
    if (j.claimsMicrosoftButFails) counts.claimsMicrosoftButFails++;
    const list = j.claimsMicrosoftButFails ? failing : others;
    if (list.length < maxListed) {
      const f = signedFile(path, size, j);
      if (sameAs.length) f.sameContentsAs = sameAs.slice(0, 16);
      list.push(f);
    }
  };
  const examine = async (c: Contents) => {
    let ex: FileExamination | null = null;
    let error: string | null = null;
    let done = 0;
    try {
      ex = await examineFile(await source.open(c), {
        hashers,
        algorithms: index.algorithms,
        verify,
        signal,
        onBytes: (n) => {
          done += n;
          bytesDone += n;
          progress('files');
        },
      });
      bytesRead += ex.bytesRead;
      contentsRead++;
    } catch (e) {
      unreadable(c.read, e);
      error = (e as Error).message;
    }
    bytesDone += c.size - Math.min(done, c.size);
    filesDone++;
    for (const path of c.paths) {
      const name = path.slice(path.lastIndexOf('/') + 1);
      tally(
        path,
        c.size,
        judgeFile(name, ex, index, error),
        c.paths.filter((p) => p !== path),
      );
    }
    progress('files');
  };
  if (status === 'complete')
    await pool(source.groups(contents), options.concurrency ?? 4, async (group) => {
      for (const c of group) {
        if (signal?.aborted) throw new DOMException('signature check cancelled', 'AbortError');
        await examine(c);
      }
    });
  progress('files', true);
  return result();
}
