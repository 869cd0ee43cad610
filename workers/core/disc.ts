/**
 * A disc opened once (pdf.js's document model): the stages read the
 * descriptors and make the report at `open`; every later question — another
 * tree for the file browser, one file's bytes, the WIM integrity check — is a
 * request of its own (io/request.ts): its own budget, log and read counts,
 * reading the shared image (its block cache) through its own view, with the
 * disc's trees re-bound to that view (TreeReader.on). Nothing of one request
 * is stored where another would see it, so requests may run side by side.
 * The worker keeps one Disc per file for the session; the CLI uses the same.
 */
import type { ByteSource } from '../io/byte-source.ts';
import { DATA_BUDGET, FILES_BUDGET, QUICK_BUDGET, WIM_BUDGET, type BudgetLimits } from '../io/budget.ts';
import { Request, type ReadAccount } from '../io/request.ts';
import { fileData } from '../formats/file-data.ts';
import { findEntry, nestedTreeId, parseTreeId, type FileStat, type TreeId, type TreeReader } from '../formats/tree.ts';
import type { NestedTrees } from '../formats/tree-format.ts';
import { locateInstallImage } from '../formats/windows/identify.ts';
import { verifyWimIntegrity } from '../formats/wim/integrity.ts';
import type { HasherFactory, HashProgress } from '../hash/hashers.ts';
import type { FileEntry, Report } from '../report/types.ts';
import { guard, type InspectionContext, type InspectOptions } from './context.ts';
import { finish, inspectDisc, now } from './inspect.ts';
import { looksLikeWim } from './stages/windows.ts';
import { listFiles, treeWith } from './walk.ts';
import { insideFacts } from './inside.ts';
import { verifyStreams } from './verify-streams.ts';
import { WimArchive } from '../formats/wim/archive.ts';
import type { InsideFacts } from '../report/inside-wim.ts';
import { NESTED_TREE_FORMATS } from './tree-formats.ts';

export type { InspectOptions } from './context.ts';

/** The most one fileRange call returns (the page asks piece by piece). */
const MAX_RANGE = 16 * 1024 * 1024;

/** One request's view of the disc. */
interface Session {
  request: Request;
  image: ByteSource;
  trees: TreeReader<unknown>[];
  signal?: AbortSignal;
}

export class Disc {
  /**
   * Files opened as holders of trees (a WIM's header, XML and blob table),
   * by the id of the tree holding the file and its path: kept once opened
   * whole, shared by every later request (they are data; reads still go
   * through each request's view).
   */
  private readonly mounts = new Map<string, NestedTrees<unknown>>();

  private constructor(
    private readonly opened: InspectionContext,
    /** The report made at opening. */
    readonly report: Report,
  ) {}

  static async open(source: ByteSource, options: InspectOptions = {}): Promise<Disc> {
    const t0 = now();
    const ctx = await inspectDisc(source, options);
    return new Disc(ctx, finish(ctx, t0));
  }

  /** A request of its own: a fresh budget and log, the image and the disc's trees seen through its view. */
  private begin(limits: BudgetLimits, signal?: AbortSignal): Session {
    const request = new Request(limits, signal);
    const image = this.opened.image.view(request);
    return { request, image, trees: this.opened.trees.map((t) => t.on(image)), signal };
  }

  /** A tree by its id: a disc's own, or one inside a file of another (opened on the way, kept for later requests). */
  private async treeOf(s: Session, id: TreeId): Promise<TreeReader<unknown> | null> {
    const nested = parseTreeId(id);
    if (!nested) return s.trees.find((t) => t.naming === id) ?? null;
    const opened = await this.mount(s, nested.parent, nested.path);
    if (!opened || !opened.trees.images.some((i) => i.index === nested.index)) return null;
    // Opening an image parses its whole metadata (a Windows edition: 50 000 to 150 000 entries) whatever the request
    // then does with it: that is counted against the limits of a listing, whatever this request's own are.
    const parse = new Request(WIM_BUDGET, s.signal);
    try {
      return await opened.trees.tree(nested.index, opened.file, parse.log);
    } finally {
      parse.log.replayInto(s.request.log);
    }
  }

  /** The trees inside the file at `path` of tree `parent` (parent "": the image file itself, a bare WIM), and the file's bytes as this request reads them. */
  private async mount(s: Session, parent: TreeId, path: string): Promise<{ trees: NestedTrees<unknown>; file: ByteSource } | null> {
    const log = s.request.log;
    if (parent === '') return this.mountWhole(s);
    const tree = await this.treeOf(s, parent);
    const entry = tree && (await findEntry(tree, path, log));
    if (!tree || !entry || entry.dir) return null;
    const format = NESTED_TREE_FORMATS.find((f) => f.holds(entry.name));
    if (!format) return null;
    const stat = entry.stat ?? (await tree.stat(entry, log));
    const file = fileData(s.image, stat, entry.name);
    const key = `${parent}|${entry.path}`;
    let trees = this.mounts.get(key);
    if (!trees) {
      trees = await format.open(file, stat, entry.name, (i) => nestedTreeId(parent, path, i), log);
      if (!log.budget.exceeded) this.mounts.set(key, trees);
    }
    return { trees, file };
  }

  /** A bare WIM: the image file itself holds the trees. */
  private async mountWhole(s: Session): Promise<{ trees: NestedTrees<unknown>; file: ByteSource } | null> {
    const name = s.image.name;
    const format = NESTED_TREE_FORMATS.find((f) => f.holds(name)) ?? (this.report.kind === 'wim' ? NESTED_TREE_FORMATS[0] : undefined);
    if (!format) return null;
    let trees = this.mounts.get('|');
    if (!trees) {
      const stat: FileStat = { size: s.image.size, modified: null, extents: [{ offset: 0, length: s.image.size }] };
      trees = await format.open(s.image, stat, name, (i) => nestedTreeId('', '/', i), s.request.log);
      if (!s.request.log.budget.exceeded) this.mounts.set('|', trees);
    }
    return { trees, file: s.image };
  }

  /** The disc's best tree (UDF, else Rock Ridge, Joliet, ISO 9660, FAT) whose root can be read. */
  get bestTree(): TreeId | null {
    return this.opened.tree?.naming ?? null;
  }

  /** Where the install image's trees are: the tree and path of install.wim (.esd, .swm), or ("", "/") for a bare WIM. */
  installImage(): { parent: TreeId; path: string } | null {
    const w = this.report.windows;
    if (!w) return null;
    if (this.report.kind === 'wim') return { parent: '', path: '/' };
    return w.imageTree ? { parent: w.imageTree, path: w.imageFile } : null;
  }

  /**
   * What the install image shows from the inside (report/inside-wim.ts): every
   * image's metadata and the blob table, read once; no file's data. A few
   * megabytes for a Windows image, in the background after the first answer.
   */
  async inside(signal?: AbortSignal): Promise<{ facts: InsideFacts | null; problems: Report['errors'] }> {
    const s = this.begin({ ...WIM_BUDGET, bytes: 1 << 30, entries: 10_000_000, ms: 300_000 }, signal);
    const log = s.request.log;
    const at = this.installImage();
    const opened = at && (await guard(log, 'install image', null, () => this.mount(s, at.parent, at.path), null));
    const archive = opened?.trees.found;
    let facts: InsideFacts | null = null;
    if (opened && at && archive instanceof WimArchive) {
      const labels = new Map(opened.trees.images.map((i) => [i.index, i.label.replace(/^\d+ · /, '')]));
      facts = await guard(log, 'install image', null, () => insideFacts(archive, opened.file, at.path, labels, log), null);
    }
    log.close();
    return { facts, problems: [...log.errors, ...log.warnings] };
  }

  /** The trees inside one file (the editions of install.wim): each one's index and label, for the file browser to open. */
  async images(parent: TreeId, path: string, signal?: AbortSignal): Promise<{ images: NestedTrees<unknown>['images']; problems: Report['errors'] }> {
    const s = this.begin(QUICK_BUDGET, signal);
    const opened = await guard(s.request.log, path, null, () => this.mount(s, parent, path), null);
    s.request.log.close();
    return { images: opened?.trees.images ?? [], problems: [...s.request.log.errors, ...s.request.log.warnings] };
  }

  private async entry(s: Session, naming: TreeId, path: string): Promise<{ stat: FileStat; name: string } | null> {
    const tree = await this.treeOf(s, naming);
    if (!tree) return null;
    const entry = await findEntry(tree, path, s.request.log);
    if (!entry || entry.dir) return null;
    return { stat: entry.stat ?? (await tree.stat(entry, s.request.log)), name: entry.name };
  }

  /** Every entry of one tree (the file browser's tree switch). */
  async tree(naming: TreeId, signal?: AbortSignal): Promise<{ files: FileEntry[]; problems: Report['errors']; stats: ReadAccount }> {
    const s = this.begin(parseTreeId(naming) ? WIM_BUDGET : FILES_BUDGET, signal);
    const tree = await guard(s.request.log, naming, null, () => this.treeOf(s, naming), null);
    const files = tree ? await listFiles(tree, s.request.log) : [];
    s.request.log.close();
    return { files, problems: [...s.request.log.errors, ...s.request.log.warnings], stats: s.request.stats };
  }

  /** Where one file's bytes are (for saving it out), and its first bytes (for viewing it in place). */
  async file(
    naming: TreeId,
    path: string,
    headBytes = 64 * 1024,
    signal?: AbortSignal,
  ): Promise<{ size: number; extents: FileStat['extents']; head: Uint8Array; compressed: 'zisofs' | null; throughWorker: boolean } | null> {
    // A path inside an image of install.wim may go through a directory of tens of thousands (WinSxS): a listing's entries.
    const s = this.begin(parseTreeId(naming) ? { ...QUICK_BUDGET, entries: WIM_BUDGET.entries } : QUICK_BUDGET, signal);
    const found = await this.entry(s, naming, path);
    if (!found) return null;
    const { stat } = found;
    const head = await fileData(s.image, stat, found.name).read(0, Math.min(headBytes, stat.size));
    // Extents are offsets in the file the page holds only for a plain image: a compressed file's hold what is
    // stored, a raw-sector image's are offsets in its user data, a file inside a WIM has none. Those are read through the worker.
    const throughWorker = stat.compression !== undefined || stat.inside !== undefined || this.report.sectors?.format != null;
    return {
      size: stat.size,
      extents: stat.embedded || throughWorker ? [] : stat.extents,
      head,
      compressed: stat.compression?.method ?? null,
      throughWorker,
    };
  }

  /** Bytes of the image itself, through the shared cache (a request with the data budget). */
  async bytes(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    return this.begin(DATA_BUDGET, signal).image.read(offset, length);
  }

  /**
   * One file's bytes as a source of their own (a request with the data
   * budget: bounded by the file's size), for readers that take a file whole
   * (a PE's signature, a catalog): null when there is no such file.
   */
  async source(naming: TreeId, path: string, signal?: AbortSignal): Promise<ByteSource | null> {
    const s = this.begin(DATA_BUDGET, signal);
    const found = await this.entry(s, naming, path);
    return found ? fileData(s.image, found.stat, found.name) : null;
  }

  /**
   * Bytes of one file, uncompressed (a zisofs file is inflated block by
   * block): what saving a compressed file streams, a piece at a time. The
   * data is bounded by the file's size, not by the quick budget.
   */
  async fileRange(naming: TreeId, path: string, offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array | null> {
    const s = this.begin(DATA_BUDGET, signal);
    const found = await this.entry(s, naming, path);
    if (!found) return null;
    return fileData(s.image, found.stat, found.name).read(offset, Math.min(length, MAX_RANGE));
  }

  /**
   * Verify the install image's integrity table in place: on a disc through
   * its extents, or a bare WIM. Returns the result (or why there is none);
   * the disc's report is left as it was. The check reads the whole WIM by
   * design, bounded by the WIM's own size (formats/wim/integrity.ts).
   */
  async verifyWim(
    sha1: HasherFactory,
    onProgress?: (p: HashProgress) => void,
    signal?: AbortSignal,
  ): Promise<Pick<Report, 'wimIntegrity' | 'errors' | 'warnings'> & { integrityMs: number; stats: ReadAccount }> {
    const t0 = now();
    const s = this.begin(DATA_BUDGET, signal);
    const log = s.request.log;
    let wim: { path: string; source: ByteSource } | null = null;
    const tree = (await treeWith(s.trees, 'sources', log)) ?? s.trees.find((t) => t.naming === this.opened.tree?.naming) ?? null;
    if (tree) wim = await guard(log, 'install image', null, () => locateInstallImage(s.image, tree, log), null);
    else if (await looksLikeWim(s.image)) wim = { path: s.image.name, source: s.image };
    let wimIntegrity: Report['wimIntegrity'];
    if (!wim) {
      log.error('WIM_NOT_FOUND', 'no install image (sources/install.wim, .esd, .swm) to verify', 'WIM integrity table', null);
    } else {
      // Cancelling stops it at its next read (the request's budget carries the signal).
      const result = await guard(log, 'WIM integrity table', null, () => verifyWimIntegrity(wim.source, sha1, onProgress), null);
      if (result) {
        wimIntegrity = { ...result, imageFile: wim.path };
        if (!result.ok)
          log.error(
            'WIM_INTEGRITY_MISMATCH',
            `chunk ${result.firstBad!.chunk} of ${wim.path} (bytes from ${result.firstBad!.offset}) does not match its SHA-1 in the integrity table`,
            'WIM integrity table',
            result.firstBad!.offset,
          );
      }
    }
    log.close();
    return { wimIntegrity, errors: log.errors, warnings: log.warnings, integrityMs: Math.round((now() - t0) * 100) / 100, stats: s.request.stats };
  }

  /**
   * Every stream of the install image checked (what `wimlib-imagex verify`
   * does, verify-streams.ts): every metadata resource and every blob
   * decompressed and hashed against its SHA-1, each damaged one named by the
   * files that use it. Reads the whole WIM; progress and cancel as the
   * integrity check.
   */
  async verifyStreams(
    sha1: HasherFactory,
    onProgress?: (p: HashProgress) => void,
    signal?: AbortSignal,
  ): Promise<Pick<Report, 'wimStreams' | 'errors' | 'warnings'> & { stats: ReadAccount }> {
    const s = this.begin(DATA_BUDGET, signal);
    const log = s.request.log;
    const at = this.installImage();
    const opened = at && (await guard(log, 'install image', null, () => this.mount(s, at.parent, at.path), null));
    const archive = opened?.trees.found;
    let wimStreams: Report['wimStreams'];
    if (!opened || !at || !(archive instanceof WimArchive))
      log.error('WIM_NOT_FOUND', 'no install image (sources/install.wim, .esd, .swm) to verify', 'WIM streams', null);
    else {
      const imageFile = this.report.kind === 'wim' ? this.report.file.name : at.path;
      wimStreams =
        (await guard(log, 'WIM streams', null, () => verifyStreams(archive, opened.file, imageFile, sha1, log, onProgress, signal), null)) ?? undefined;
      for (const d of wimStreams?.damaged ?? [])
        log.error('WIM_STREAM_DAMAGED', `${d.paths.length ? d.paths.join(', ') : d.sha1}: ${d.reason}`, 'WIM streams', null);
    }
    log.close();
    return { wimStreams, errors: log.errors, warnings: log.warnings, stats: s.request.stats };
  }

  /** The image's real reads so far (the opening's and every request's). */
  get stats(): Readonly<ReadAccount> {
    return this.opened.image.total;
  }
}

/** Open an image once: its report, and a Disc for every later request on it. */
export function openDisc(source: ByteSource, options: InspectOptions = {}): Promise<Disc> {
  return Disc.open(source, options);
}

/** Open a disc and return its report (when nothing else will be asked of it). */
export async function inspect(source: ByteSource, options: InspectOptions = {}): Promise<Report> {
  return (await openDisc(source, options)).report;
}
