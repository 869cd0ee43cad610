/**
 * inspect(): runs every reader over one byte source and assembles the report.
 * The CLI and the worker both call this and nothing else; the UI only renders
 * what it returns.
 */
import { clampRange, CountingSource, type ByteSource } from './io/byte-source.ts';
import { Fields } from './io/bytes.ts';
import { ProblemLog } from './report/problems.ts';
import { FILES_BUDGET, InspectionBudget, QUICK_BUDGET, type BudgetLimits } from './io/budget.ts';
import { BlockCache } from './io/block-cache.ts';
import { SectorMappedSource } from './io/sector-source.ts';
import { sectorLayout, startsWithSync } from './formats/disk/raw-sectors.ts';
import { findSessions } from './formats/iso9660/sessions.ts';
import { parseCue, type CueSheet } from './formats/disk/cue.ts';
import type { BootEntry, BootInfo, FileEntry, Report, VolumeInfo } from './report/types.ts';
import { ISO_SECTOR, parseDirectoryRecord, readVolumeDescriptorSet, type VolumeDescriptorSet } from './formats/iso9660/descriptors.ts';
import { IsoTreeReader, type IsoDirRef } from './formats/iso9660/tree.ts';
import { extensionIds, hasRockRidge, parseSuspIndicator, readSuspEntries } from './formats/iso9660/rockridge.ts';
import { emulationName, platformName, readBootCatalog } from './formats/iso9660/eltorito.ts';
import { readFatBootSector } from './formats/fat/fat.ts';
import { readPartitions, type PartitionInfo } from './formats/disk/partitions.ts';
import { probeVolume, type ProbedVolume } from './formats/volumes/probe.ts';
import { UdfReader } from './formats/udf/reader.ts';
import { findEntry, memoTree, walkTree, type FileStat, type TreeEntry, type TreeNaming, type TreeReader } from './formats/tree.ts';
import { provenanceOf, sizeOnlyProvenance, type ProvenanceFacts } from './report/provenance.ts';
import { udfSummary } from './report/udf-summary.ts';
import { bareVolumeInfo, fileSystemVolume, jolietInfo, udfVolumeInfo, volumeInfo, volumeTypeName } from './report/volume-info.ts';
import { fileData } from './formats/file-data.ts';
import { identifyWimFile, identifyWindows, locateInstallImage } from './formats/windows/identify.ts';
import { identifyOs } from './formats/os-identity.ts';
import { readEfiLoaders } from './formats/pe/efi-loaders.ts';
import { bootLoaderReports } from './report/secure-boot.ts';
import { verifyWimIntegrity } from './formats/wim/integrity.ts';
import type { HasherFactory, HashProgress } from './hash/hashers.ts';
import { VERSION } from './version.ts';

export interface InspectOptions {
  /** List every file of the best tree (reads every directory). */
  files?: boolean;
  /** Bytes of ISO 9660 directories a quick inspection may read to name boot images. */
  quickDirectoryBudget?: number;
  /** The inspection's limits (io/budget.ts); by default QUICK_BUDGET, or FILES_BUDGET with `files`. */
  budget?: BudgetLimits;
  /** The CUE sheet the image (the file of its first data track) was opened from. */
  cue?: CueSheet;
  /** The same as text (the page passes the sheet's text; it is parsed here, in the worker). */
  cueText?: string;
  /** Which session of a multi-session disc to read (1-based); by default the last. */
  session?: number;
  /** Today's date (YYYY-MM-DD) for support-status statements; defaults to the clock. */
  today?: string;
  /**
   * Called with the report so far after each stage (disc facts; Windows;
   * files are in the returned report), so a page can show results as they
   * arrive. The report keeps growing after the call: a worker passes it on
   * by structured clone, which is a snapshot.
   */
  onSection?: (partial: Report) => void;
}

/** The most one fileRange call returns (the page asks piece by piece). */
const MAX_RANGE = 16 * 1024 * 1024;

/** Quick mode reads at most this much directory data to find boot image paths. */
export const QUICK_DIRECTORY_BUDGET = 24 * 1024;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * The readers' view: every request spends from the budget (so work that hits
 * the cache is still bounded), small ones are answered from cached blocks;
 * `reads` and `bytesRead` stay the counting source's, the image's real reads.
 */
function cachedCounting(counted: CountingSource, budget: InspectionBudget, logical: ByteSource = counted): CountingSource {
  const cache = new BlockCache(logical);
  const view = Object.create(counted) as CountingSource;
  // A raw-sector image is read as its 2048-byte user data: the readers see that size.
  Object.defineProperty(view, 'size', { value: logical.size });
  view.budget = budget;
  view.read = (offset: number, length: number) => {
    view.budget?.read(clampRange(logical.size, offset, length));
    return cache.read(offset, length);
  };
  return view;
}

/** What the readers found, for later stages (Windows identification) to use. */
export interface Inspection {
  report: Report;
  src: CountingSource;
  log: ProblemLog;
  /** The best tree on the disc (UDF, else Rock Ridge, else Joliet, else ISO 9660). */
  tree: TreeReader<unknown> | null;
  /** Every tree on the disc, best first. */
  trees: TreeReader<unknown>[];
  udf: UdfReader | null;
}

/** Open a disc and return its report (when nothing else will be asked of it). */
export async function inspect(source: ByteSource, options: InspectOptions = {}): Promise<Report> {
  return (await openDisc(source, options)).report;
}

export async function inspectDisc(source: ByteSource, options: InspectOptions = {}): Promise<Inspection> {
  if (options.cueText !== undefined && !options.cue) options = { ...options, cue: parseCue(options.cueText) };
  const log = new ProblemLog();
  log.budget = new InspectionBudget(options.budget ?? (options.files ? FILES_BUDGET : QUICK_BUDGET));
  // Counting sits under the block cache (`stats` are the image's real reads); the budget is spent per request, above it.
  const counted = new CountingSource(source);
  let src = cachedCounting(counted, log.budget);
  const report: Report = {
    tool: { name: 'isoscope', version: VERSION, reportVersion: 1 },
    file: { name: source.name, size: source.size },
    kind: null,
    recognised: false,
    volume: null,
    filesystems: { iso9660: false, joliet: null, rockRidge: false, rockRidgeId: null, udf: null },
    boot: null,
    partitions: { scheme: null, entries: [], mbr: null, gpt: null, apm: null },
    volumes: [],
    stats: { reads: 0, bytesRead: 0, ms: 0 },
    warnings: log.warnings,
    errors: log.errors,
  };
  const ins: Inspection = { report, src, log, tree: null, trees: [], udf: null };

  if (source.size === 0) {
    log.error('EMPTY_FILE', 'The file is empty (0 bytes): not a disc image', 'file', 0);
    return ins;
  }

  // Structures that do not depend on each other are read at the same time: in a browser each read of a
  // File is a round trip to the browser process (milliseconds), and a disc is identified from dozens.
  // Whether the file holds whole raw sectors (a BIN) is asked alongside; what the first readers said of
  // such a file (read as 2048-byte sectors) is dropped, and they read it again through its sectors.
  const firstLog = new ProblemLog();
  firstLog.budget = log.budget;
  const firstPass = () =>
    Promise.all([
      guard(firstLog, 'system area', 0, () => readPartitions(src, firstLog), report.partitions),
      guard<VolumeDescriptorSet | null>(firstLog, 'volume descriptor set', 16 * ISO_SECTOR, () => readVolumeDescriptorSet(src, firstLog), null),
    ]);
  const [[firstPartitions, firstVds], sync] = await Promise.all([
    firstPass(),
    options.cue ? false : guard(log, 'sector sync', 0, () => startsWithSync(src), false),
  ]);
  let partitions = firstPartitions;
  let vds = firstVds;
  const layout = await guard(
    log,
    'sector layout',
    0,
    () =>
      sectorLayout(
        src,
        options.cue ?? null,
        sync,
        (firstVds !== null && (firstVds.primary !== null || firstVds.udfRecognition.length > 0)) || firstPartitions.scheme !== null,
      ),
    null,
  );
  if (layout?.audioOnly) {
    report.kind = 'audio-cd';
    report.sectors = layout.summary;
    return ins;
  }
  if (layout?.mapping) {
    src = cachedCounting(counted, log.budget, new SectorMappedSource(counted, layout.mapping));
    ins.src = src;
    report.sectors = layout.summary;
    [partitions, vds] = await Promise.all([
      guard(log, 'system area', 0, () => readPartitions(src, log), report.partitions),
      guard<VolumeDescriptorSet | null>(log, 'volume descriptor set', 16 * ISO_SECTOR, () => readVolumeDescriptorSet(src, log), null),
    ]);
  } else firstLog.replayInto(log);
  // Multi-session: the chosen session (by default the last, as operating systems read it) supplies the descriptors.
  let sessionStart = 0;
  // Only an image that runs on past its volume's end can hold a later session.
  if (vds?.primary && (options.session !== undefined || vds.primary.volumeSpaceSize * vds.primary.logicalBlockSize < src.size)) {
    const sessions = await guard(log, 'sessions', 16 * ISO_SECTOR, () => findSessions(src), []);
    if (sessions.length > 1 || (options.session !== undefined && sessions.length > 0)) {
      const chosen = sessions[(options.session ?? sessions.length) - 1];
      if (!chosen) {
        log.error('SESSION_NOT_FOUND', `session ${options.session} was asked for; the disc has ${sessions.length}`, 'sessions', null);
      } else {
        report.sessions = { list: sessions, read: chosen.number };
        sessionStart = chosen.start;
        // The set at 16 is the first session's (or, written by xorriso, a copy of the newest): read the chosen one's own.
        if (chosen.start !== 0)
          vds = await guard<VolumeDescriptorSet | null>(
            log,
            'volume descriptor set',
            (chosen.start + 16) * ISO_SECTOR,
            () => readVolumeDescriptorSet(src, log, chosen.start + 16),
            null,
          );
      }
    }
  }
  report.partitions = partitions;
  // File systems named by their own boot sectors: the image's start (a bare volume), else each partition's.
  // A disc's system area and partitions (hybrid ISOs point one at their El Torito EFI image) are not probed:
  // the disc's own structures describe it, and identification stays within its few kilobytes.
  const isDisc = vds !== null && (vds.primary !== null || vds.supplementary.length > 0 || vds.udfRecognition.length > 0);
  const bare = isDisc ? null : await guard<ProbedVolume | null>(log, 'volume boot sector', 0, () => probeVolume(src, 0, src.size, log), null);
  const volumes = bare ? [{ volume: bare, partition: null }] : isDisc ? [] : await partitionVolumes(src, partitions, log);
  report.volumes = volumes.map((v) => fileSystemVolume(v.volume, v.partition));
  const fatVolume = volumes.find((v) => v.volume.fat)?.volume ?? null;
  const pvd = vds?.primary ?? null;
  const nsr = vds?.udfRecognition.some((id) => id === 'NSR02' || id === 'NSR03') ?? false;
  const udfOpening = guard(log, 'UDF volume', (sessionStart + 256) * ISO_SECTOR, () => UdfReader.open(src, log, nsr, sessionStart), null);
  const catalogLba = vds?.bootRecords.find((b) => b.elToritoCatalogLba !== null)?.elToritoCatalogLba ?? null;
  const bootReading = catalogLba !== null ? guard(log, 'El Torito boot catalog', catalogLba * ISO_SECTOR, () => readBoot(src, catalogLba, log), null) : null;

  let isoTree: TreeReader<IsoDirRef> | null = null;
  if (pvd) {
    report.kind = 'iso9660';
    report.filesystems.iso9660 = true;
    report.volume = volumeInfo(pvd);
    checkVolumeExtent(report.volume, src.size, log);
    const trees = await guard(log, 'ISO 9660 root directory', pvd.root.extent * ISO_SECTOR, () => isoTrees(src, vds!, log), null);
    if (trees) {
      report.filesystems.rockRidge = trees.rockRidge;
      report.filesystems.rockRidgeId = trees.rockRidgeId;
      isoTree = trees.best;
      ins.trees.push(...(trees.all as TreeReader<unknown>[]));
    }
  }
  const joliet = vds?.supplementary.find((s) => s.jolietLevel !== null) ?? null;
  if (joliet) report.filesystems.joliet = jolietInfo(joliet, pvd);
  if (!pvd && joliet) {
    // No primary descriptor, but Joliet's still describes the volume and its tree (the damage is reported by the descriptor reader).
    report.kind = 'iso9660';
    report.volume = volumeInfo(joliet);
    checkVolumeExtent(report.volume, src.size, log);
    ins.trees.push(memoTree(new IsoTreeReader(src, joliet.root, 'joliet', joliet.logicalBlockSize, 0)) as TreeReader<unknown>);
  }

  ins.udf = await udfOpening;
  if (ins.udf) {
    report.filesystems.udf = udfSummary(ins.udf.volume);
    report.kind ??= 'udf';
    if (!report.volume) report.volume = udfVolumeInfo(ins.udf, src.size);
  }
  const udfReader = ins.udf?.tree() as TreeReader<unknown> | null | undefined;
  const udfTree = udfReader ? memoTree(udfReader) : null;
  if (udfTree) ins.trees.unshift(udfTree);
  if (bare && !report.kind) {
    report.kind = bare.type.startsWith('fat') ? 'fat' : bare.type;
    report.volume = bareVolumeInfo(bare, src.size);
    if (report.volume.volumeBytes > src.size)
      log.warn(
        'IMAGE_TRUNCATED',
        `The image ends at ${src.size} bytes but its ${volumeTypeName(bare.type)} volume says ${report.volume.volumeBytes}`,
        `${volumeTypeName(bare.type)} boot sector`,
        0,
      );
  }
  if (fatVolume?.fat) ins.trees.push(memoTree(fatVolume.fat) as TreeReader<unknown>);
  ins.tree = await firstReadableTree(ins.trees, log);
  report.trees = ins.trees.map((t) => t.naming);

  if (bootReading) report.boot = await bootReading;

  options.onSection?.(report);

  const today = options.today ?? new Date().toISOString().slice(0, 10);
  // The boot loaders' signatures are read alongside Windows identification (a few KiB each, independent of it).
  // Only on discs that say they boot UEFI (an El Torito UEFI entry, an EFI System partition): a data disc's tree is not listed for them.
  const bootsUefi = (report.boot?.entries.some((e) => e.platform === 'uefi') ?? false) || report.partitions.entries.some((p) => /EFI System/i.test(p.typeName));
  const loaders = bootsUefi
    ? guard(log, 'UEFI boot loaders', null, () => readEfiLoaders(src, ins.tree, report.boot?.entries ?? [], log), [])
    : Promise.resolve([]);
  // The tree that holds sources/: the best one, unless damage hides it there and another tree still shows it.
  const winTree = (await treeWith(ins.trees, 'sources', log)) ?? ins.tree;
  if (winTree) {
    const label = report.volume?.label ?? fatVolume?.label ?? null;
    const windows = await guard(log, 'Windows install image', null, () => identifyWindows(src, winTree, label, log, today), null);
    if (windows) report.windows = windows;
  } else if (!report.kind && (await looksLikeWim(src))) {
    report.windows = await guard(log, 'WIM header', 0, () => identifyWimFile(src, log, today), undefined);
    if (report.windows) report.kind = 'wim';
  }

  if (report.windows) {
    const facts = await guard(log, 'provenance signals', null, () => provenanceFacts(ins, report.windows!), null);
    if (facts) report.provenance = provenanceOf(facts);
    options.onSection?.(report);
  } else {
    // Not a Windows image, but of a catalogued release's exact size: say so (and that hashing settles it).
    const p = sizeOnlyProvenance(report.file.size);
    if (p) report.provenance = p;
    const os = await guard(log, 'operating system identity', null, () => identifyOs(src, ins.tree, report.volume, log), null);
    if (os) report.os = os;
  }
  const found = await loaders;
  if (found.length) report.bootLoaders = bootLoaderReports(found);

  // One walk names the boot files and, with --files, lists everything: the
  // best tree with --files, else a budgeted walk of the ISO 9660 tree. Files
  // the best tree cannot place (UDF records the boot catalog with no data)
  // are looked up in the ISO 9660 tree afterwards.
  const wanted = new Map<number, string | null>();
  if (report.boot) {
    wanted.set(report.boot.catalogLba * ISO_SECTOR, null);
    for (const e of report.boot.entries) wanted.set(e.lba * ISO_SECTOR, null);
  }
  const budget = options.files ? null : (options.quickDirectoryBudget ?? QUICK_DIRECTORY_BUDGET);
  if (options.files && ins.tree) {
    const files: FileEntry[] = [];
    await walkForPaths(ins.tree, wanted, null, log, boundedPush(files, log));
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    report.files = files;
    report.filesFrom = ins.tree.naming;
  }
  if ([...wanted.values()].includes(null) && isoTree && ins.tree !== isoTree) {
    await walkForPaths(isoTree as TreeReader<unknown>, wanted, budget, log);
  } else if (!options.files && wanted.size > 0 && isoTree) {
    await walkForPaths(isoTree as TreeReader<unknown>, wanted, budget, log);
  }
  if (report.boot) {
    report.boot.catalogPath = wanted.get(report.boot.catalogLba * ISO_SECTOR) ?? null;
    for (const e of report.boot.entries) e.path = wanted.get(e.lba * ISO_SECTOR) ?? null;
  }

  if (options.files && !report.files) {
    report.files = [];
    report.filesFrom = null;
  }
  if (!report.kind && (report.partitions.gpt || report.partitions.mbr?.entries.length)) report.kind = 'disk';
  if (report.partitions.mbr && pvd) report.partitions.mbr.isohybrid = report.partitions.mbr.entries.length > 0;
  return ins;
}

/**
 * Walk `tree`, naming each wanted offset (absolute offset of a file's first
 * byte) with the path of the file that starts there; `budget` caps the
 * directory bytes of an ISO 9660 walk (null: no cap). `each` sees every entry.
 */
async function walkForPaths(
  tree: TreeReader<unknown>,
  wanted: Map<number, string | null>,
  budget: number | null,
  log: ProblemLog,
  each?: (f: FileEntry) => void,
): Promise<void> {
  let unresolved = [...wanted.values()].filter((v) => v === null).length;
  if (!each && unresolved === 0) return;
  let spent = 0;
  await guard(
    log,
    `${tree.naming} directory tree`,
    null,
    async () => {
      await walkTree(
        tree,
        log,
        (f) => {
          const entry: FileEntry = { path: f.path, size: f.stat.size, dir: f.dir, modified: f.stat.modified };
          if (f.stat.symlink !== undefined) entry.symlink = f.stat.symlink;
          if (f.stat.compression) {
            entry.compressed = f.stat.compression.method;
            entry.storedSize = f.stat.compression.storedSize;
          }
          each?.(entry);
          const first = f.stat.extents[0]?.offset;
          if (first != null && wanted.get(first) === null) {
            wanted.set(first, f.path);
            unresolved--;
          }
          return !each && unresolved === 0;
        },
        { shouldContinue: budget === null ? undefined : (dir: TreeEntry<unknown>) => (spent += (dir.ref as IsoDirRef).length) <= budget },
      );
    },
    undefined,
  );
}

/** The best tree whose root can be listed; the next one when damage stops the best at its root (TREE_FALLBACK). */
async function firstReadableTree(trees: TreeReader<unknown>[], log: ProblemLog): Promise<TreeReader<unknown> | null> {
  for (const [i, tree] of trees.entries()) {
    try {
      await tree.list(tree.root, log);
      if (i > 0)
        log.warn(
          'TREE_FALLBACK',
          `the ${trees[0]!.naming} tree cannot be read at its root; files come from the ${tree.naming} tree`,
          `${trees[0]!.naming} root directory`,
          trees[0]!.root.key,
        );
      return tree;
    } catch (e) {
      log.fail(e, `${tree.naming} root directory`, tree.root.key);
    }
  }
  return trees[0] ?? null;
}

/** The first tree (best first) holding directory `path` (listings are memoised: this costs nothing more). */
async function treeWith(trees: TreeReader<unknown>[], path: string, log: ProblemLog): Promise<TreeReader<unknown> | null> {
  for (const tree of trees) {
    try {
      if ((await findEntry(tree, path, log))?.dir) return tree;
    } catch {
      // This tree cannot show it; the next may.
    }
  }
  return null;
}

/** A file list that stops growing at the budget's output limit, saying so once (the walk goes on for boot paths). */
function boundedPush(files: FileEntry[], log: ProblemLog): (f: FileEntry) => void {
  const max = log.budget.limits.outputEntries;
  let said = false;
  return (f) => {
    if (files.length < max) files.push(f);
    else if (!said) {
      log.warn('TOO_MANY_FILES', `the file list stops at ${max} entries; the tree holds more`, 'file list', null);
      said = true;
    }
  };
}

/**
 * A disc opened once (pdf.js's document model): the descriptors are read and
 * the report made at `open`; every later request — another tree for the file
 * browser, one file's bytes, the WIM integrity check — is answered from what
 * the opening kept (trees with their first listings, the UDF reader, the
 * block cache), each under a budget of its own. The worker holds one per
 * file for the session; the CLI uses the same object.
 */
export class Disc {
  private constructor(
    private readonly ins: Inspection,
    /** The report made at opening. */
    readonly report: Report,
  ) {}

  static async open(source: ByteSource, options: InspectOptions = {}): Promise<Disc> {
    const t0 = now();
    const ins = await inspectDisc(source, options);
    return new Disc(ins, finish(ins, t0));
  }

  /** A fresh log and budget for one request; the shared source spends from it. */
  private request(limits: BudgetLimits): ProblemLog {
    const log = new ProblemLog();
    log.budget = new InspectionBudget(limits);
    this.ins.src.budget = log.budget;
    return log;
  }

  /** Every entry of one tree (the file browser's tree switch). */
  async tree(naming: TreeNaming): Promise<{ files: FileEntry[]; problems: Report['errors'] }> {
    const log = this.request(FILES_BUDGET);
    const tree = this.ins.trees.find((t) => t.naming === naming);
    const files: FileEntry[] = [];
    if (tree) await walkForPaths(tree, new Map(), null, log, boundedPush(files, log));
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    log.close();
    return { files, problems: [...log.errors, ...log.warnings] };
  }

  /** Where one file's bytes are (for saving it out), and its first bytes (for viewing it in place). */
  async file(
    naming: TreeNaming,
    path: string,
    headBytes = 64 * 1024,
  ): Promise<{ size: number; extents: FileStat['extents']; head: Uint8Array; compressed: 'zisofs' | null; throughWorker: boolean } | null> {
    const log = this.request(QUICK_BUDGET);
    const tree = this.ins.trees.find((t) => t.naming === naming);
    if (!tree) return null;
    const entry = await findEntry(tree, path, log);
    if (!entry || entry.dir) return null;
    const stat = entry.stat ?? (await tree.stat(entry, log));
    const head = await fileData(this.ins.src, stat, entry.name).read(0, Math.min(headBytes, stat.size));
    // Extents are offsets in the file the page holds only for a plain image: a compressed file's hold what is
    // stored, a raw-sector image's are offsets in its user data. Those are read through fileRange instead.
    const throughWorker = stat.compression !== undefined || this.report.sectors?.format != null;
    return {
      size: stat.size,
      extents: stat.embedded || throughWorker ? [] : stat.extents,
      head,
      compressed: stat.compression?.method ?? null,
      throughWorker,
    };
  }

  /**
   * Bytes of one file, uncompressed (a zisofs file is inflated block by block):
   * what saving a compressed file streams, a piece at a time.
   */
  async fileRange(naming: TreeNaming, path: string, offset: number, length: number): Promise<Uint8Array | null> {
    const log = this.request(QUICK_BUDGET);
    const tree = this.ins.trees.find((t) => t.naming === naming);
    if (!tree) return null;
    const entry = await findEntry(tree, path, log);
    if (!entry || entry.dir) return null;
    const stat = entry.stat ?? (await tree.stat(entry, log));
    // The data itself is bounded by the file's size, not the budget (as the WIM check is).
    this.ins.src.budget = undefined;
    return fileData(this.ins.src, stat, entry.name).read(offset, Math.min(length, MAX_RANGE));
  }

  /**
   * Verify the install image's integrity table in place: on a disc through
   * its extents, or a bare WIM. Returns the result (or why there is none);
   * the disc's report is left as it was.
   */
  async verifyWim(
    sha1: HasherFactory,
    onProgress?: (p: HashProgress) => void,
    signal?: AbortSignal,
  ): Promise<Pick<Report, 'wimIntegrity' | 'errors' | 'warnings'> & { integrityMs: number }> {
    const t0 = now();
    const log = this.request(QUICK_BUDGET);
    const ins = this.ins;
    let wim: { path: string; source: ByteSource } | null = null;
    const tree = (await treeWith(ins.trees, 'sources', log)) ?? ins.tree;
    if (tree) wim = await guard(log, 'install image', null, () => locateInstallImage(ins.src, tree, log), null);
    else if (await looksLikeWim(ins.src)) wim = { path: ins.src.name, source: ins.src };
    // The check reads the whole WIM by design, bounded by the WIM's own size (formats/wim/integrity.ts), not by a budget.
    ins.src.budget = undefined;
    let wimIntegrity: Report['wimIntegrity'];
    if (!wim) {
      log.error('WIM_NOT_FOUND', 'no install image (sources/install.wim, .esd, .swm) to verify', 'WIM integrity table', null);
    } else {
      const result = await guard(log, 'WIM integrity table', null, () => verifyWimIntegrity(wim!.source, sha1, onProgress, signal), null);
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
    return { wimIntegrity, errors: log.errors, warnings: log.warnings, integrityMs: Math.round((now() - t0) * 100) / 100 };
  }

  /** The image's real reads so far (the opening's and every request's). */
  get stats(): { reads: number; bytesRead: number } {
    return { reads: this.ins.src.reads, bytesRead: this.ins.src.bytesRead };
  }
}

export function openDisc(source: ByteSource, options: InspectOptions = {}): Promise<Disc> {
  return Disc.open(source, options);
}

/** Every entry of one tree, opening the disc for it (tests, one-off callers). */
export async function listTree(source: ByteSource, naming: TreeNaming): Promise<{ files: FileEntry[]; problems: Report['errors'] }> {
  return (await openDisc(source)).tree(naming);
}

/** One file's extents and first bytes, opening the disc for it (tests, one-off callers). */
export async function fileContents(source: ByteSource, naming: TreeNaming, path: string, headBytes = 64 * 1024) {
  return (await openDisc(source)).file(naming, path, headBytes);
}

/** The integrity check added to `report` (the CLI's --verify-wim after its inspection). */
export async function checkWimIntegrity(
  source: ByteSource,
  report: Report,
  sha1: HasherFactory,
  onProgress?: (p: HashProgress) => void,
  signal?: AbortSignal,
  disc?: Disc,
): Promise<void> {
  const d = disc ?? (await openDisc(source));
  const r = await d.verifyWim(sha1, onProgress, signal);
  if (r.wimIntegrity) report.wimIntegrity = r.wimIntegrity;
  report.errors.push(...r.errors);
  report.warnings.push(...r.warnings);
  report.stats.integrityMs = r.integrityMs;
}

/** What the provenance signals look at: the first levels of the trees (listings the identification already made, kept by memoTree). */
async function provenanceFacts(ins: Inspection, windows: NonNullable<Report['windows']>): Promise<ProvenanceFacts> {
  const { report, log } = ins;
  const names = async (tree: TreeReader<unknown> | null | undefined, path: string): Promise<string[]> => {
    if (!tree) return [];
    const dir = path ? await findEntry(tree, path, log) : tree.root;
    return dir?.dir ? (await tree.list(dir, log)).map((e) => e.name) : [];
  };
  const plainIso = ins.trees.find((t) => t.naming === 'iso9660') ?? null;
  return {
    fileSize: report.file.size,
    volume: report.volume,
    filesystems: report.filesystems,
    boot: report.boot,
    windows,
    isoRoot: plainIso ? await names(plainIso, '') : null,
    root: await names((await treeWith(ins.trees, 'sources', log)) ?? ins.tree, ''),
    sources: await names((await treeWith(ins.trees, 'sources', log)) ?? ins.tree, 'sources'),
  };
}

async function looksLikeWim(src: ByteSource): Promise<boolean> {
  const magic = new TextDecoder('latin1').decode(await src.read(0, 8));
  return magic === 'MSWIM\0\0\0' || magic === 'WLPWM\0\0\0';
}

/** Partition types that hold no file system of their own (extended containers, the GPT protective entry). */
const CONTAINER_TYPES = new Set(['0x05', '0x0f', '0x85', '0xee']);
/** At most this many partitions are probed for a file system. */
const MAX_PROBED_PARTITIONS = 16;

/** Name the file system of each partition (its boot sector or superblock), side by side. */
async function partitionVolumes(src: ByteSource, partitions: PartitionInfo, log: ProblemLog): Promise<{ volume: ProbedVolume; partition: number }[]> {
  const found = await Promise.all(
    partitions.entries.slice(0, MAX_PROBED_PARTITIONS).map(async (e) => {
      const offset = e.start * 512;
      const length = Math.min(e.count * 512, src.size - offset);
      if (CONTAINER_TYPES.has(e.type) || e.count === 0 || offset >= src.size) return null;
      const volume = await guard(log, 'partition boot sector', offset, () => probeVolume(src, offset, length, log), null);
      return volume ? { volume, partition: e.index } : null;
    }),
  );
  return found.filter((v) => v !== null);
}

/** Close the report: recognition verdict and read statistics. */
export function finish(ins: Inspection, t0: number): Report {
  const { report, src, log } = ins;
  report.recognised = report.kind !== null;
  if (!report.recognised && !log.errors.some((e) => e.code === 'EMPTY_FILE')) {
    log.error('NOT_A_DISC_IMAGE', 'This is not a disc image (no ISO 9660 or UDF descriptors, no partition table and no file system found)', 'file', 0);
  }
  log.close();
  report.stats = { reads: src.reads, bytesRead: src.bytesRead, ms: Math.round((now() - t0) * 100) / 100 };
  return report;
}

/** Run one reader; a throw becomes a typed error and the fallback value, so the rest still shows. */
export async function guard<T>(log: ProblemLog, structure: string, offset: number | null, fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    log.fail(e, structure, offset);
    return fallback;
  }
}

function checkVolumeExtent(v: VolumeInfo, size: number, log: ProblemLog): void {
  if (v.blockSize !== 2048) {
    log.warn('ODD_BLOCK_SIZE', `logical block size is ${v.blockSize}; nearly every disc uses 2048`, 'Primary Volume Descriptor', 16 * ISO_SECTOR + 128);
  }
  if (v.volumeBytes > size) {
    log.warn('IMAGE_TRUNCATED', `The image ends at ${size} bytes but its volume says ${v.volumeBytes}`, 'Primary Volume Descriptor', 16 * ISO_SECTOR + 80);
  }
}

/** Looks at the root's "." record for SUSP/Rock Ridge and picks the best ISO tree: Rock Ridge, else Joliet, else ISO 9660. */
async function isoTrees(
  src: CountingSource,
  vds: VolumeDescriptorSet,
  log: ProblemLog,
): Promise<{ rockRidge: boolean; rockRidgeId: string | null; best: TreeReader<IsoDirRef>; all: TreeReader<IsoDirRef>[] }> {
  const pvd = vds.primary!;
  const bs = pvd.logicalBlockSize;
  const rootOffset = pvd.root.extent * bs;
  const bytes = await src.read(rootOffset, ISO_SECTOR);
  const dot = parseDirectoryRecord(new Fields(bytes, rootOffset, 'ISO 9660 root directory'), 0, log);
  const sp = parseSuspIndicator(dot.systemUse);
  let rockRidgeId: string | null = null;
  let rr = false;
  if (sp) {
    const entries = await readSuspEntries(src, dot.systemUse, dot.systemUseOffset, 0, bs, log);
    rockRidgeId = extensionIds(entries).find((id) => /RRIP|1282/.test(id)) ?? null;
    rr = rockRidgeId !== null || hasRockRidge(entries);
  }
  const joliet = vds.supplementary.find((s) => s.jolietLevel !== null);
  const all: TreeReader<IsoDirRef>[] = [];
  if (rr) all.push(memoTree(new IsoTreeReader(src, pvd.root, 'rockridge', bs, sp!.lenSkip)));
  if (joliet) all.push(memoTree(new IsoTreeReader(src, joliet.root, 'joliet', joliet.logicalBlockSize, 0)));
  all.push(memoTree(new IsoTreeReader(src, pvd.root, 'iso9660', bs, 0)));
  return { rockRidge: rr, rockRidgeId, best: all[0]!, all };
}

async function readBoot(src: CountingSource, catalogLba: number, log: ProblemLog): Promise<BootInfo> {
  const cat = await readBootCatalog(src, catalogLba, log);
  const entries: BootEntry[] = [];
  for (const [i, e] of cat.entries.entries()) {
    const entry: BootEntry = {
      index: i + 1,
      platform: platformName(e.platformId),
      bootable: e.bootIndicator === 0x88,
      emulation: emulationName(e.mediaType),
      loadSegment: e.loadSegment,
      systemType: e.systemType,
      sectorCount: e.sectorCount,
      imageSectors: e.sectorCount,
      sizeFrom: 'catalog',
      lba: e.loadRba,
      path: null,
      sectionId: e.sectionId,
    };
    // An EFI system image's entry often says 0 or 1 sectors; its FAT boot sector knows the size (as xorriso reads it).
    if (e.sectorCount <= 1 && entry.emulation === 'none' && e.loadRba * ISO_SECTOR < src.size) {
      const fat = await readFatBootSector(src, e.loadRba * ISO_SECTOR);
      if (fat) {
        entry.imageSectors = Math.ceil(fat.bytes / 512);
        entry.sizeFrom = 'fat-boot-sector';
      }
    }
    entries.push(entry);
  }
  return {
    catalogLba,
    catalogPath: null,
    validation: { platform: platformName(cat.validation.platformId), idString: cat.validation.idString, checksumOk: cat.validation.checksumOk },
    entries,
  };
}
