/**
 * inspect(): runs every reader over one byte source and assembles the report.
 * The CLI and the worker both call this and nothing else; the UI only renders
 * what it returns.
 */
import { CountingSource, type ByteSource } from './io/byte-source.ts';
import { Fields } from './io/bytes.ts';
import { ProblemLog } from './report/problems.ts';
import type { BootEntry, BootInfo, FileEntry, PartitionInfo, Report, VolumeInfo } from './report/types.ts';
import { ISO_SECTOR, parseDirectoryRecord, readVolumeDescriptorSet, type PrimaryVolumeDescriptor, type VolumeDescriptorSet } from './formats/iso9660.ts';
import { walkIsoTree, type IsoFile, type IsoNaming } from './formats/iso9660-tree.ts';
import { extensionIds, hasRockRidge, parseSuspIndicator, readSuspEntries } from './formats/rockridge.ts';
import { emulationName, platformName, readBootCatalog } from './formats/eltorito.ts';
import { readFatBootSector } from './formats/fat.ts';
import { readPartitions } from './formats/partitions.ts';
import { VERSION } from './version.ts';

export interface InspectOptions {
  /** List every file of the best tree (reads every directory). */
  files?: boolean;
  /** Bytes of directories a quick inspection may read to name boot images. */
  quickDirectoryBudget?: number;
}

/** Quick mode reads at most this much directory data to find boot image paths. */
export const QUICK_DIRECTORY_BUDGET = 24 * 1024;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export async function inspect(source: ByteSource, options: InspectOptions = {}): Promise<Report> {
  const t0 = now();
  const src = new CountingSource(source);
  const log = new ProblemLog();
  const report: Report = {
    tool: { name: 'isoscope', version: VERSION, reportVersion: 1 },
    file: { name: source.name, size: source.size },
    kind: null,
    recognised: false,
    volume: null,
    filesystems: { iso9660: false, joliet: null, rockRidge: false, rockRidgeId: null, udf: null },
    boot: null,
    partitions: { scheme: null, entries: [], mbr: null, gpt: null, apm: null },
    stats: { reads: 0, bytesRead: 0, ms: 0 },
    warnings: log.warnings,
    errors: log.errors,
  };

  if (source.size === 0) {
    log.error('EMPTY_FILE', 'The file is empty (0 bytes): not a disc image', 'file', 0);
    return finish(report, src, t0);
  }

  report.partitions = await guard(log, 'system area', 0, () => readPartitions(src, log), report.partitions);
  const vds = await guard<VolumeDescriptorSet | null>(log, 'volume descriptor set', 16 * ISO_SECTOR, () => readVolumeDescriptorSet(src, log), null);
  const pvd = vds?.primary ?? null;

  let iso: IsoTrees | null = null;
  if (pvd) {
    report.kind = 'iso9660';
    report.filesystems.iso9660 = true;
    report.volume = volumeInfo(pvd);
    checkVolumeExtent(report.volume, source.size, log);
    iso = await guard(log, 'ISO 9660 root directory', pvd.root.extent * ISO_SECTOR, () => isoTrees(src, vds!, log), null);
    if (iso) {
      report.filesystems.rockRidge = iso.suspSkip !== null;
      report.filesystems.rockRidgeId = iso.rockRidgeId;
    }
  }
  const joliet = vds?.supplementary.find((s) => s.jolietLevel !== null) ?? null;
  if (joliet) report.filesystems.joliet = { level: joliet.jolietLevel! };

  const catalogLba = vds?.bootRecords.find((b) => b.elToritoCatalogLba !== null)?.elToritoCatalogLba ?? null;
  if (catalogLba !== null) {
    report.boot = await guard(log, 'El Torito boot catalog', catalogLba * ISO_SECTOR, () => readBoot(src, catalogLba, log), null);
  }

  // One walk of the best ISO tree names the boot files and, with --files, lists everything.
  if (pvd && iso) {
    const wanted = new Map<number, string | null>();
    if (report.boot) {
      wanted.set(report.boot.catalogLba * ISO_SECTOR, null);
      for (const e of report.boot.entries) wanted.set(e.lba * ISO_SECTOR, null);
    }
    const files: FileEntry[] = [];
    let unresolved = wanted.size;
    const tree = iso.best;
    if (options.files || unresolved > 0) {
      await guard(log, 'ISO 9660 directory tree', pvd.root.extent * ISO_SECTOR, async () => {
        await walkIsoTree(src, tree.root, {
          naming: tree.naming,
          blockSize: pvd.logicalBlockSize,
          suspSkip: iso!.suspSkip ?? 0,
          limits: options.files ? {} : { budgetBytes: options.quickDirectoryBudget ?? QUICK_DIRECTORY_BUDGET },
          visit: (f: IsoFile) => {
            if (options.files) files.push({ path: f.path, size: f.size, dir: f.dir, modified: f.modified });
            const first = f.extents[0];
            if (first && wanted.get(first.offset) === null) {
              wanted.set(first.offset, f.path);
              unresolved--;
            }
            return !options.files && unresolved === 0;
          },
        }, log);
      }, undefined);
    }
    if (report.boot) {
      report.boot.catalogPath = wanted.get(report.boot.catalogLba * ISO_SECTOR) ?? null;
      for (const e of report.boot.entries) e.path = wanted.get(e.lba * ISO_SECTOR) ?? null;
    }
    if (options.files) {
      files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      report.files = files;
      report.filesFrom = tree.naming;
    }
  }

  if (!report.kind && (report.partitions.gpt || report.partitions.mbr?.entries.length)) report.kind = 'disk';
  report.recognised = report.kind !== null;
  if (!report.recognised) {
    log.error('NOT_A_DISC_IMAGE', 'This is not a disc image (no ISO 9660 or UDF descriptors and no partition table found)', 'file', 0);
  }
  if (report.partitions.mbr && pvd) report.partitions.mbr.isohybrid = report.partitions.mbr.entries.length > 0;
  return finish(report, src, t0);
}

function finish(report: Report, src: CountingSource, t0: number): Report {
  report.stats = { reads: src.reads, bytesRead: src.bytesRead, ms: Math.round((now() - t0) * 100) / 100 };
  return report;
}

/** Run one reader; a throw becomes a typed error and the fallback value, so the rest still shows. */
async function guard<T>(log: ProblemLog, structure: string, offset: number, fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    log.fail(e, structure, offset);
    return fallback;
  }
}

export function volumeInfo(p: PrimaryVolumeDescriptor): VolumeInfo {
  return {
    label: p.volumeId,
    systemId: p.systemId,
    volumeSetId: p.volumeSetId,
    publisherId: p.publisherId,
    preparerId: p.dataPreparerId,
    applicationId: p.applicationId,
    copyrightFileId: p.copyrightFileId,
    abstractFileId: p.abstractFileId,
    bibliographicFileId: p.bibliographicFileId,
    created: p.creation,
    modified: p.modification,
    expires: p.expiration,
    effective: p.effective,
    blockSize: p.logicalBlockSize,
    blockCount: p.volumeSpaceSize,
    volumeSetSize: p.volumeSetSize,
    volumeSequenceNumber: p.volumeSequenceNumber,
    pathTableSize: p.pathTableSize,
    pathTableL: p.typeLPathTable,
    pathTableM: p.typeMPathTable,
    volumeBytes: p.volumeSpaceSize * p.logicalBlockSize,
  };
}

function checkVolumeExtent(v: VolumeInfo, size: number, log: ProblemLog): void {
  if (v.blockSize !== 2048) {
    log.warn('ODD_BLOCK_SIZE', `logical block size is ${v.blockSize}; nearly every disc uses 2048`, 'Primary Volume Descriptor', 16 * ISO_SECTOR + 128);
  }
  if (v.volumeBytes > size) {
    log.warn('IMAGE_TRUNCATED', `The image ends at ${size} bytes but its volume says ${v.volumeBytes}`, 'Primary Volume Descriptor', 16 * ISO_SECTOR + 80);
  }
}

interface IsoTrees {
  /** SUSP len_skp when the primary tree carries SUSP (SP in the root's "." record). */
  suspSkip: number | null;
  rockRidgeId: string | null;
  best: { naming: IsoNaming; root: PrimaryVolumeDescriptor['root'] };
}

/** Looks at the root's "." record for SUSP/Rock Ridge and picks the best tree: Rock Ridge, else Joliet, else ISO 9660. */
async function isoTrees(src: CountingSource, vds: VolumeDescriptorSet, log: ProblemLog): Promise<IsoTrees> {
  const pvd = vds.primary!;
  const rootOffset = pvd.root.extent * pvd.logicalBlockSize;
  const bytes = await src.read(rootOffset, ISO_SECTOR);
  const dot = parseDirectoryRecord(new Fields(bytes, rootOffset, 'ISO 9660 root directory'), 0, log);
  const sp = parseSuspIndicator(dot.systemUse);
  let rockRidgeId: string | null = null;
  let rr = false;
  if (sp) {
    const entries = await readSuspEntries(src, dot.systemUse, dot.systemUseOffset, 0, pvd.logicalBlockSize, log);
    const ids = extensionIds(entries);
    rockRidgeId = ids.find((id) => /RRIP|1282/.test(id)) ?? null;
    rr = rockRidgeId !== null || hasRockRidge(entries);
  }
  const joliet = vds.supplementary.find((s) => s.jolietLevel !== null);
  const best: IsoTrees['best'] = rr
    ? { naming: 'rockridge', root: pvd.root }
    : joliet
      ? { naming: 'joliet', root: joliet.root }
      : { naming: 'iso9660', root: pvd.root };
  return { suspSkip: rr ? sp!.lenSkip : null, rockRidgeId, best };
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

export type { Report, PartitionInfo };
