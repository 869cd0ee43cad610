/**
 * UDF (ECMA-167 3rd edition / OSTA UDF 1.02–2.60): finds the anchor, reads the
 * volume descriptor sequence, maps partitions (physical, metadata; sparable
 * and virtual are recognised and reported) and exposes the file set as a
 * TreeReader. Reads descriptors one block at a time.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields } from '../../io/bytes.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import { BudgetExceeded } from '../../io/budget.ts';
import {
  FID,
  TAG,
  parseAnchorVolumeDescriptorPointer,
  parseDescriptorTag,
  parseExtendedAd,
  parseFileEntry,
  parseFileIdentifierDescriptor,
  parseFileSetDescriptor,
  parseImplementationUseVolumeDescriptor,
  parseLogicalVolumeDescriptor,
  parseLogicalVolumeIntegrityDescriptor,
  parseLongAd,
  parsePartitionDescriptor,
  parseShortAd,
  parseUdfPrimaryVolumeDescriptor,
  parseVirtualAllocationTable,
  VAT_UNUSED,
  type VirtualAllocationTable,
  verifyTag,
  type AnchorVolumeDescriptorPointer,
  type ExtentAd,
  type FileEntry,
  type FileSetDescriptor,
  type ImplementationUseVolumeDescriptor,
  type LogicalVolumeDescriptor,
  type LogicalVolumeIntegrityDescriptor,
  type LongAd,
  type PartitionDescriptor,
  type UdfPrimaryVolumeDescriptor,
} from './descriptors.ts';
import type { Extent, FileStat, TreeEntry, TreeReader } from '../tree.ts';

const MAX_VDS_SECTORS = 256;
const MAX_VDS_POINTER_HOPS = 8;
const MAX_INTEGRITY_HOPS = 16;
/** Allocation extent descriptor chain cap for one file (a loop must end). */
const MAX_AED_CHAIN = 4096;
/** Extents per file cap. */
const MAX_EXTENTS = 1_000_000;
/** A directory larger than this is refused as corrupt. */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;
/** File entries whose extents are kept (memoised) per inspection. */
const MAX_CACHED_FILE_ENTRIES = 16_384;
/** Sectors searched back from the image's end for the VAT's file entry (run-out blocks after the last session). */
const VAT_SEARCH_SECTORS = 32;
/** The largest VAT read: 4 bytes per virtual block, 16 M blocks. */
const MAX_VAT_BYTES = 64 * 1024 * 1024;
/** Zero padding skipped back over to find the recorded area's end. */
const MAX_PADDING_SCAN = 64 * 1024 * 1024;

export interface UdfVolume {
  sectorSize: number;
  anchorSector: number;
  anchor: AnchorVolumeDescriptorPointer;
  usedReserveSequence: boolean;
  primary: UdfPrimaryVolumeDescriptor | null;
  logical: LogicalVolumeDescriptor;
  partitions: PartitionDescriptor[];
  implementationUse: ImplementationUseVolumeDescriptor | null;
  integrity: LogicalVolumeIntegrityDescriptor | null;
  /** Null when the file set could not be reached (e.g. behind a virtual partition). */
  fileSet: FileSetDescriptor | null;
  /** For the metadata partition: its allocation extents in partition blocks. */
  metadata: { fromMirror: boolean; extents: { start: number; length: number; block: number }[] } | null;
  /** For a virtual partition (write-once media): the VAT and the sector its file entry was found at. */
  vat: (VirtualAllocationTable & { icbSector: number }) | null;
}

/** Sequence contents collected from one VDS extent. */
interface SequenceContents {
  primary: UdfPrimaryVolumeDescriptor | null;
  logical: LogicalVolumeDescriptor | null;
  partitions: PartitionDescriptor[];
  implementationUse: ImplementationUseVolumeDescriptor | null;
  terminated: boolean;
}

/** The image offset of byte `pos` of a file: through its extents, or inside its file entry when embedded. */
function offsetInFile(stat: FileStat, pos: number): number | null {
  if (stat.embedded) return stat.embeddedAt !== undefined ? stat.embeddedAt + pos : null;
  let at = 0;
  for (const e of stat.extents) {
    if (pos < at + e.length) return e.offset === null ? null : e.offset + (pos - at);
    at += e.length;
  }
  return null;
}

export class UdfReader {
  private constructor(
    private readonly src: ByteSource,
    readonly volume: UdfVolume,
  ) {}

  /**
   * Find and read a UDF volume; null when there is no anchor (not UDF).
   * `recognition`: what the volume recognition sequence says (an NSR
   * descriptor, and at which spacing: `recognitionOf`); `true` when an NSR
   * descriptor is known to be there at an unknown spacing, `false` when none
   * is (only the usual 2048-byte sectors are then tried).
   * `sessionStart`: the sector a later session of a multi-session disc begins at (its anchor is 256 sectors on).
   */
  static async open(src: ByteSource, log: ProblemLog, recognition: boolean | UdfRecognition, sessionStart = 0): Promise<UdfReader | null> {
    const hinted = recognition !== false;
    const found = await findAnchor(src, log, recognition, sessionStart);
    if (!found) {
      if (hinted)
        log.error(
          'UDF_NO_ANCHOR',
          'the image says it holds UDF (NSR descriptor) but no anchor volume descriptor pointer was found at sector 256, N-256 or N-1',
          'UDF anchor volume descriptor pointer',
          256 * 2048,
        );
      return null;
    }
    const { sectorSize, sector, anchor } = found;
    let seq = await readSequence(src, anchor.mainVolumeDescriptorSequence, sectorSize, log, 'main');
    let usedReserve = false;
    if (!seq.logical || seq.partitions.length === 0) {
      log.warn(
        'UDF_MAIN_VDS_BAD',
        'the main volume descriptor sequence is incomplete; using the reserve sequence',
        'UDF volume descriptor sequence',
        anchor.mainVolumeDescriptorSequence.location * sectorSize,
      );
      seq = await readSequence(src, anchor.reserveVolumeDescriptorSequence, sectorSize, log, 'reserve');
      usedReserve = true;
    }
    if (!seq.logical || seq.partitions.length === 0) {
      throw new FormatError(
        'UDF_VDS_INCOMPLETE',
        'neither volume descriptor sequence has a logical volume and a partition descriptor',
        'UDF volume descriptor sequence',
        anchor.mainVolumeDescriptorSequence.location * sectorSize,
      );
    }
    const lvd = seq.logical;
    if (![512, 1024, 2048, 4096].includes(lvd.logicalBlockSize)) {
      throw new FormatError('UDF_BLOCK_SIZE', `logical block size ${lvd.logicalBlockSize} is not one a UDF volume uses`, 'UDF logical volume descriptor', null);
    }
    for (const pd of seq.partitions) {
      const end = (pd.partitionStartingLocation + pd.partitionLength) * sectorSize;
      // A write-once partition spans the whole disc, recorded or not (UDF 2.60 §2.2.14.1): an image ends where recording did.
      if (end > src.size && pd.accessType !== 2)
        log.warn(
          'UDF_PARTITION_PAST_END',
          `partition ${pd.partitionNumber} claims ${pd.partitionLength} blocks from sector ${pd.partitionStartingLocation}, ending at byte ${end}, past the image's ${src.size}`,
          'UDF partition descriptor',
          null,
        );
    }
    const integrity = await readIntegrity(src, lvd.integritySequenceExtent, sectorSize, log);
    const partial: Omit<UdfVolume, 'fileSet' | 'metadata' | 'vat'> = {
      sectorSize,
      anchorSector: sector,
      anchor,
      usedReserveSequence: usedReserve,
      primary: seq.primary,
      logical: lvd,
      partitions: seq.partitions,
      implementationUse: seq.implementationUse,
      integrity,
    };
    const reader = new UdfReader(src, { ...partial, fileSet: null, metadata: null, vat: null });
    await reader.mapMetadataPartition(log);
    await reader.findVirtualAllocationTable(log);
    const fsdAt = lvd.fileSetDescriptorLocation;
    try {
      const fsdBytes = await reader.readBlock(fsdAt.partition, fsdAt.block);
      const fsdFields = new Fields(fsdBytes.bytes, fsdBytes.offset, 'UDF file set descriptor');
      verifyTag(fsdFields, TAG.FileSetDescriptor, fsdAt.block, 'UDF file set descriptor');
      reader.volume.fileSet = parseFileSetDescriptor(fsdFields);
    } catch (e) {
      // The volume's descriptors are still worth showing; only its files are out of reach.
      log.fail(e, 'UDF file set descriptor', null);
    }
    return reader;
  }

  /** The same volume read through another request's view of the image (io/request.ts); nothing in flight is shared. */
  on(image: ByteSource): UdfReader {
    return new UdfReader(image, this.volume);
  }

  get blockSize(): number {
    return this.volume.logical.logicalBlockSize;
  }

  /** Absolute byte offset of logical block `block` of partition reference `ref`. */
  blockOffset(ref: number, block: number): number {
    const map = this.volume.logical.partitionMaps[ref];
    if (!map) throw new FormatError('UDF_BAD_PARTITION_REF', `partition reference ${ref} names no partition map`, 'UDF address', null);
    const pd = this.volume.partitions.find((p) => p.partitionNumber === map.partitionNumber);
    if (!pd) throw new FormatError('UDF_NO_PARTITION', `partition ${map.partitionNumber} has no partition descriptor`, 'UDF address', null);
    const bs = this.blockSize;
    if (map.type === 2 && map.kind === 'metadata') {
      const meta = this.volume.metadata;
      if (!meta) throw new FormatError('UDF_METADATA_UNMAPPED', 'the metadata partition could not be mapped', 'UDF metadata partition', null);
      for (const e of meta.extents) {
        if (block >= e.start && block < e.start + e.length) return (pd.partitionStartingLocation + e.block + (block - e.start)) * bs;
      }
      throw new FormatError('UDF_METADATA_RANGE', `metadata block ${block} lies outside the metadata file`, 'UDF metadata partition', null);
    }
    if (map.type === 2 && map.kind === 'virtual') {
      const vat = this.volume.vat;
      if (!vat)
        throw new FormatError(
          'UDF_VIRTUAL_PARTITION',
          'the virtual partition cannot be read: its allocation table (VAT) was not found',
          'UDF virtual partition',
          null,
        );
      const physical = vat.entries[block];
      if (physical === undefined || physical === VAT_UNUSED)
        throw new FormatError(
          'UDF_VAT_UNMAPPED',
          `virtual block ${block} has no entry in the allocation table`,
          'UDF virtual allocation table',
          vat.icbSector * this.volume.sectorSize,
        );
      return (pd.partitionStartingLocation + physical) * bs;
    }
    // Physical and sparable maps address the partition directly (sparing tables are not applied).
    return (pd.partitionStartingLocation + block) * bs;
  }

  async readBlock(ref: number, block: number): Promise<{ bytes: Uint8Array; offset: number }> {
    const offset = this.blockOffset(ref, block);
    const bytes = await this.src.read(offset, this.blockSize);
    if (bytes.length < this.blockSize)
      throw new FormatError('TRUNCATED', `UDF block ${block} of partition ${ref} lies past the image's end`, 'UDF block', offset);
    return { bytes, offset };
  }

  /** Read an ICB: a (extended) file entry. */
  async readFileEntry(icb: LongAd): Promise<{ fe: FileEntry; fields: Fields; partition: number }> {
    const { bytes, offset } = await this.readBlock(icb.partition, icb.block);
    const f = new Fields(bytes, offset, 'UDF file entry');
    const tag = verifyTag(f, [TAG.FileEntry, TAG.ExtendedFileEntry], icb.block, 'UDF file entry');
    return { fe: parseFileEntry(f, tag.tagIdentifier === TAG.ExtendedFileEntry), fields: f, partition: icb.partition };
  }

  private readonly fileDataCache = new Map<string, Promise<{ fe: FileEntry; stat: FileStat }>>();

  /**
   * The file's data as image extents, read once per file entry: hundreds of
   * identifiers may point at one entry whose allocation descriptors chain
   * through thousands of extension extents, and each would re-read the chain.
   */
  fileData(icb: LongAd, log: ProblemLog): Promise<{ fe: FileEntry; stat: FileStat }> {
    const key = `${icb.partition}:${icb.block}`;
    const kept = this.fileDataCache.get(key);
    if (kept) return kept.then((r) => ({ fe: r.fe, stat: { ...r.stat, extents: r.stat.extents } }));
    const made = this.readFileData(icb, log);
    if (this.fileDataCache.size < MAX_CACHED_FILE_ENTRIES) this.fileDataCache.set(key, made);
    return made;
  }

  /** 4/12: short/long/extended ADs, continuation via AEDs, or embedded bytes. */
  private async readFileData(icb: LongAd, log: ProblemLog): Promise<{ fe: FileEntry; stat: FileStat }> {
    const { fe, fields, partition } = await this.readFileEntry(icb);
    const size = fe.informationLength;
    const extents: Extent[] = [];
    const stat: FileStat = { size, modified: fe.modificationTime, extents };
    if (fe.allocationType === 3) {
      stat.embedded = fields.raw(fe.allocationDescriptorsOffset, Math.min(fe.lengthOfAllocationDescriptors, size)).slice();
      stat.embeddedAt = fields.base + fe.allocationDescriptorsOffset;
      return { fe, stat };
    }
    let ads = fields.sub(fe.allocationDescriptorsOffset, fe.lengthOfAllocationDescriptors, 'UDF allocation descriptors');
    let remaining = size;
    const seenAed = new Set<number>();
    for (let hops = 0; ; hops++) {
      const step = fe.allocationType === 0 ? 8 : fe.allocationType === 1 ? 16 : 20;
      let next: LongAd | null = null;
      for (let at = 0; at + step <= ads.length; at += step) {
        const ad = fe.allocationType === 0 ? parseShortAd(ads, at, partition) : fe.allocationType === 1 ? parseLongAd(ads, at) : parseExtendedAd(ads, at);
        if (ad.length === 0) break; // 4/14.14.1.1: a zero length ends the descriptors
        if (ad.type === 3) {
          next = ad;
          break;
        }
        if (extents.length >= MAX_EXTENTS)
          throw new FormatError('UDF_TOO_MANY_EXTENTS', `more than ${MAX_EXTENTS} extents`, 'UDF allocation descriptors', ads.base + at);
        const len = Math.min(ad.length, remaining);
        if (len > 0) extents.push({ offset: ad.type === 0 ? this.blockOffset(ad.partition, ad.block) : null, length: len });
        remaining -= len;
      }
      if (!next) break;
      if (hops >= MAX_AED_CHAIN || seenAed.has(next.block)) {
        log.warn('UDF_AED_LOOP', `allocation extent descriptors loop or exceed ${MAX_AED_CHAIN} links`, 'UDF allocation extent descriptor', ads.base);
        break;
      }
      seenAed.add(next.block);
      const { bytes, offset } = await this.readBlock(next.partition, next.block);
      const af = new Fields(bytes, offset, 'UDF allocation extent descriptor');
      verifyTag(af, TAG.AllocationExtentDescriptor, next.block, 'UDF allocation extent descriptor');
      const len = af.u32le(20);
      ads = af.sub(24, Math.min(len, bytes.length - 24), 'UDF allocation descriptors');
    }
    if (remaining > 0) log.warn('UDF_SHORT_EXTENTS', `file entry says ${size} bytes but its extents hold ${size - remaining}`, 'UDF file entry', fields.base);
    return { fe, stat };
  }

  /** Read a file's bytes [0, length) from its extents (directories, small text files). */
  async readData(stat: FileStat, maxBytes: number): Promise<Uint8Array> {
    if (stat.embedded) return stat.embedded.subarray(0, maxBytes);
    const total = Math.min(stat.size, maxBytes);
    const out = new Uint8Array(total);
    let at = 0;
    for (const e of stat.extents) {
      if (at >= total) break;
      const n = Math.min(e.length, total - at);
      if (e.offset !== null) out.set(await this.src.read(e.offset, n), at);
      at += n;
    }
    return out;
  }

  private async mapMetadataPartition(log: ProblemLog): Promise<void> {
    const mapIndex = this.volume.logical.partitionMaps.findIndex((m) => m.type === 2 && m.kind === 'metadata');
    if (mapIndex < 0) return;
    const map = this.volume.logical.partitionMaps[mapIndex]!;
    if (map.type !== 2) return;
    // The metadata file's ICB is addressed in the physical partition that holds it.
    const physRef = this.volume.logical.partitionMaps.findIndex((m) => m.type === 1 && m.partitionNumber === map.partitionNumber);
    const ref = physRef >= 0 ? physRef : mapIndex;
    for (const [fromMirror, location] of [
      [false, map.metadataFileLocation],
      [true, map.metadataMirrorFileLocation],
    ] as const) {
      if (location === undefined) continue;
      try {
        const saved = this.volume.metadata;
        this.volume.metadata = null;
        const { stat } = await this.fileData({ length: this.blockSize, type: 0, block: location, partition: ref }, log);
        this.volume.metadata = saved;
        const bs = this.blockSize;
        const pd = this.volume.partitions.find((p) => p.partitionNumber === map.partitionNumber)!;
        let start = 0;
        const extents = stat.extents.map((e) => {
          const block = (e.offset ?? 0) / bs - pd.partitionStartingLocation;
          const length = Math.ceil(e.length / bs);
          const x = { start, length, block };
          start += length;
          return x;
        });
        this.volume.metadata = { fromMirror, extents };
        if (fromMirror) log.warn('UDF_METADATA_MIRROR', 'the metadata file could not be read; using its mirror', 'UDF metadata partition', null);
        return;
      } catch (e) {
        log.fail(e, fromMirror ? 'UDF metadata mirror file' : 'UDF metadata file', null);
      }
    }
  }

  /**
   * UDF 2.60 §6.10.1.1 (write-once media): the VAT's file entry is the last
   * sector recorded, so it is looked for at the image's last sector and a few
   * before it (run-out blocks). The VAT's own ICB lies in the physical
   * partition the virtual one is laid over.
   */
  private async findVirtualAllocationTable(log: ProblemLog): Promise<void> {
    const maps = this.volume.logical.partitionMaps;
    const virtual = maps.find((m) => m.type === 2 && m.kind === 'virtual');
    if (!virtual) return;
    const physRef = maps.findIndex((m) => m.type === 1 && m.partitionNumber === virtual.partitionNumber);
    const pd = this.volume.partitions.find((p) => p.partitionNumber === virtual.partitionNumber);
    if (physRef < 0 || !pd) return;
    const bs = this.blockSize;
    const last = Math.floor(this.src.size / bs) - 1;
    // An image padded after the recorded area (a disc image cut to a round size): the search starts at the last sector holding data.
    const lastRecorded = await this.lastNonZeroSector(last, pd.partitionStartingLocation);
    const starts = lastRecorded !== null && lastRecorded < last - VAT_SEARCH_SECTORS ? [last, lastRecorded] : [last];
    for (const start of starts) if (await this.vatNear(start, pd.partitionStartingLocation, physRef, log)) return;
    log.warn(
      'UDF_VAT_NOT_FOUND',
      `no virtual allocation table in the last ${VAT_SEARCH_SECTORS} recorded sectors (where write-once media record it): the files cannot be reached`,
      'UDF virtual allocation table',
      last * bs,
    );
  }

  /** The last sector with a non-zero byte, scanning back at most MAX_PADDING_SCAN bytes; null when none is found. */
  private async lastNonZeroSector(last: number, floor: number): Promise<number | null> {
    const bs = this.blockSize;
    const chunk = 256 * 1024;
    let end = (last + 1) * bs;
    const stop = Math.max(floor * bs, end - MAX_PADDING_SCAN);
    while (end > stop) {
      const from = Math.max(stop, end - chunk);
      const bytes = await this.src.read(from, end - from);
      for (let i = bytes.length - 1; i >= 0; i--) if (bytes[i] !== 0) return Math.floor((from + i) / bs);
      end = from;
    }
    return null;
  }

  /** Look for the VAT's file entry at `start` and the sectors before it; true when found. */
  private async vatNear(start: number, partitionStart: number, physRef: number, log: ProblemLog): Promise<boolean> {
    const bs = this.blockSize;
    for (let sector = start; sector >= Math.max(partitionStart, start - VAT_SEARCH_SECTORS); sector--) {
      const head = await this.src.read(sector * bs, 2);
      if (head.length < 2 || !([TAG.FileEntry, TAG.ExtendedFileEntry] as number[]).includes(head[0]! | (head[1]! << 8))) continue;
      try {
        const block = sector - partitionStart;
        const { fe, stat } = await this.fileData({ length: bs, type: 0, block, partition: physRef }, log);
        if (fe.fileType !== 248 && fe.fileType !== 0) continue;
        if (stat.size > MAX_VAT_BYTES) throw new FormatError('UDF_VAT_TOO_LARGE', `a VAT of ${stat.size} bytes`, 'UDF virtual allocation table', sector * bs);
        const data = await this.readData(stat, stat.size);
        const vat = parseVirtualAllocationTable(new Fields(data, offsetInFile(stat, 0) ?? sector * bs, 'UDF virtual allocation table'), fe.fileType);
        if (!vat) continue;
        this.volume.vat = { ...vat, icbSector: sector };
        return true;
      } catch (e) {
        log.fail(e, 'UDF virtual allocation table', sector * bs);
      }
    }
    return false;
  }

  /** The file set as a tree (null when the file set could not be read). */
  tree(): UdfTreeReader | null {
    return this.volume.fileSet ? new UdfTreeReader(this, this.volume.fileSet.rootDirectoryIcb) : null;
  }

  /** A child's directory data, parsed into file identifier descriptors. */
  async listDirectory(icb: LongAd, log: ProblemLog): Promise<{ name: string; dir: boolean; icb: LongAd; hidden: boolean }[]> {
    const { stat } = await this.fileData(icb, log);
    if (stat.size > MAX_DIRECTORY_BYTES) {
      throw new FormatError('DIR_TOO_LARGE', `UDF directory of ${stat.size} bytes exceeds the ${MAX_DIRECTORY_BYTES}-byte cap`, 'UDF directory', null);
    }
    const data = await this.readData(stat, stat.size);
    // The directory's bytes are its extents joined (or embedded in its file entry): offsets in them are mapped back to the image.
    const imageOffset = (pos: number) => offsetInFile(stat, pos);
    const f = new Fields(data, 0, 'UDF directory');
    const out: { name: string; dir: boolean; icb: LongAd; hidden: boolean }[] = [];
    let at = 0;
    while (at + 38 <= data.length) {
      log.budget.entry();
      try {
        const tag = parseDescriptorTag(f.sub(at, 16));
        if (tag.tagIdentifier !== TAG.FileIdentifierDescriptor) {
          log.warn(
            'UDF_FID_TAG',
            `expected a file identifier descriptor in the directory, found tag ${tag.tagIdentifier}`,
            'UDF file identifier descriptor',
            imageOffset(at),
          );
          break;
        }
        const fid = parseFileIdentifierDescriptor(f, at);
        at += fid.length;
        if (fid.fileCharacteristics & (FID.parent | FID.deleted)) continue;
        out.push({ name: fid.name, dir: (fid.fileCharacteristics & FID.directory) !== 0, icb: fid.icb, hidden: (fid.fileCharacteristics & FID.hidden) !== 0 });
      } catch (e) {
        // A broken identifier (or the budget's end) ends the listing there; the entries before it are kept.
        if (e instanceof BudgetExceeded) {
          log.fail(e, 'UDF directory', imageOffset(at));
          break;
        }
        if (!(e instanceof FormatError)) throw e;
        log.warn(
          e.code,
          `${e.message}; ${out.length} entr${out.length === 1 ? 'y' : 'ies'} before it kept`,
          'UDF file identifier descriptor',
          imageOffset(e.offset ?? at),
        );
        break;
      }
    }
    return out;
  }
}

export class UdfTreeReader implements TreeReader<LongAd> {
  readonly naming = 'udf' as const;
  readonly root: TreeEntry<LongAd>;
  constructor(
    private readonly udf: UdfReader,
    private readonly rootIcb: LongAd,
  ) {
    this.root = { name: '', path: '', dir: true, key: this.key(rootIcb), ref: rootIcb };
  }
  on(image: ByteSource): UdfTreeReader {
    return new UdfTreeReader(this.udf.on(image), this.rootIcb);
  }
  private key(icb: LongAd): number {
    try {
      return this.udf.blockOffset(icb.partition, icb.block);
    } catch {
      return -1 - icb.block;
    }
  }
  async list(dir: TreeEntry<LongAd>, log: ProblemLog): Promise<TreeEntry<LongAd>[]> {
    const children = await this.udf.listDirectory(dir.ref, log);
    return children
      .filter((c) => {
        const ok = c.name !== '' && c.name !== '.' && c.name !== '..' && !c.name.includes('/');
        if (!ok) log.warn('BAD_NAME', `a UDF entry in ${dir.path || '/'} has an unusable name "${c.name}"`, 'UDF file identifier descriptor', null);
        return ok;
      })
      .map((c) => ({ name: c.name, path: `${dir.path}/${c.name}`, dir: c.dir, key: this.key(c.icb), ref: c.icb }));
  }
  async stat(entry: TreeEntry<LongAd>, log: ProblemLog): Promise<FileStat> {
    const { stat } = await this.udf.fileData(entry.ref, log);
    return entry.dir ? { ...stat, size: 0, extents: [] } : stat;
  }
  /** Full stat (with extents) also for directories. */
  data(entry: TreeEntry<LongAd>, log: ProblemLog): Promise<{ stat: FileStat }> {
    return this.udf.fileData(entry.ref, log);
  }
}

/**
 * Where the volume recognition sequence found an NSR descriptor (ECMA-167
 * 2/8.3, 2/9.1): walking 2048-byte slots from byte 32 768 (the spacing of
 * volumes whose blocks are 2048 bytes or smaller), or walking 4096-byte
 * ones (2/8.4: on 4096-byte blocks each descriptor begins a block, the rest
 * of it zero). Both walks stop at the first slot that is not a volume
 * structure descriptor, as udfinfo (udftools 2.3, readdisc.c read_vrs) and
 * blkid (util-linux 2.38, udf.c probe_udf) walk them, at most 64 slots.
 */
export interface UdfRecognition {
  slots2048: boolean;
  slots4096: boolean;
}

/** The identifiers a recognition sequence may hold before its NSR (ECMA-119 §8.1, ECMA-167 2/9.1–9.3, ECMA-168 2/8.3). */
const RECOGNITION_IDS = new Set(['BEA01', 'BOOT2', 'CD001', 'CDW02', 'TEA01']);
const MAX_RECOGNITION_SLOTS = 64;

/**
 * The recognition walks above over the slots the volume descriptor reader
 * already found (`slots`, by 2048-byte sector; `start` the sector the
 * sequence begins at, 16 or a session's start + 16): a slot it did not list
 * is one that holds no descriptor.
 */
export function recognitionOf(slots: readonly { lba: number; id: string }[], start: number): UdfRecognition {
  const ids = new Map(slots.map((s) => [s.lba, s.id]));
  const walk = (step: number): boolean => {
    for (let i = 0; i < MAX_RECOGNITION_SLOTS; i++) {
      const id = ids.get(start + i * step);
      if (id === 'NSR02' || id === 'NSR03') return true;
      if (id === undefined || !RECOGNITION_IDS.has(id)) return false;
    }
    return false;
  };
  return { slots2048: walk(1), slots4096: walk(2) };
}

/**
 * ECMA-167 3/8.4.2: the AVDP at sector 256, else at N-256 or N-1 (N = last
 * sector), at a block size UDF media use. The block size is the one udfinfo
 * (udftools 2.3, readdisc.c detect_udf) and blkid (util-linux 2.38, udf.c
 * probe_udf) settle on for an image file: 512, 1024, 2048 and 4096 bytes in
 * that order, each tried only where the recognition sequence's spacing
 * allows it (2048-byte slots for blocks up to 2048, 4096-byte slots for
 * 4096), the anchor at 256 first at every size, then those at the end (as
 * udfinfo does; blkid reads only 256). So an image carrying anchors for two
 * block sizes is read at the one its recognition sequence was written for,
 * and where that allows both, at the smaller, as both tools read it.
 */
async function findAnchor(
  src: ByteSource,
  log: ProblemLog,
  recognition: boolean | UdfRecognition,
  sessionStart = 0,
): Promise<{ sectorSize: number; sector: number; anchor: AnchorVolumeDescriptorPointer } | null> {
  const hinted = recognition !== false;
  let sizes: number[];
  if (!hinted)
    sizes = [2048]; // without an NSR descriptor, only the usual 2048-byte sectors are tried
  else if (recognition === true || (!recognition.slots2048 && !recognition.slots4096)) sizes = [512, 1024, 2048, 4096];
  else sizes = [512, 1024, 2048].filter(() => recognition.slots2048).concat(recognition.slots4096 ? [4096] : []);
  const places = sizes.flatMap((sectorSize) => {
    const last = Math.floor(src.size / sectorSize) - 1;
    const startBytes = sessionStart * 2048;
    if (last < 256 || startBytes % sectorSize !== 0) return [];
    const first = startBytes / sectorSize + 256;
    return [{ sectorSize, first, sectors: [first, last - 256, last] }];
  });
  // Faults of anchors that were not taken are reported only for the block size read (or all of them when none is).
  const faults: { sectorSize: number; error: unknown; at: number }[] = [];
  const report = (sectorSize: number | null) => {
    for (const f of faults) if (sectorSize === null || f.sectorSize === sectorSize) log.fail(f.error, 'UDF anchor volume descriptor pointer', f.at);
  };
  // Sector 256 at every size first, smallest size first, each read only when the smaller ones held no anchor: the
  // first three lie in the disc's start, which identification has read already (core/inspect.ts PREFETCH_RANGES),
  // and the 4096-byte one (at 1 MiB) is then a read of its own that a 2048-byte disc never needs. Then the anchors
  // at the end.
  for (const pass of [0, 1]) {
    for (const { sectorSize, first, sectors } of places) {
      for (const sector of pass === 0 ? [first] : sectors.slice(1)) {
        const bytes = await src.read(sector * sectorSize, 512);
        if (bytes.length < 512) continue;
        const f = new Fields(bytes, sector * sectorSize, 'UDF anchor volume descriptor pointer');
        if (f.u16le(0) !== TAG.AnchorVolumeDescriptorPointer) continue;
        try {
          verifyTag(f, TAG.AnchorVolumeDescriptorPointer, sector, 'UDF anchor volume descriptor pointer');
        } catch (e) {
          faults.push({ sectorSize, error: e, at: sector * sectorSize });
          continue;
        }
        report(sectorSize);
        if (sector !== first && hinted) {
          // Recovered from a later anchor; sector 256 should hold one (3/8.4.2.1) and does not: the image is damaged there.
          log.warn(
            'UDF_ANCHOR_MISSING',
            `no valid anchor at sector 256; the one at sector ${sector} is used`,
            'UDF anchor volume descriptor pointer',
            first * sectorSize,
          );
        }
        return { sectorSize, sector, anchor: parseAnchorVolumeDescriptorPointer(f) };
      }
    }
  }
  report(null);
  return null;
}

async function readSequence(src: ByteSource, extent: ExtentAd, sectorSize: number, log: ProblemLog, which: string): Promise<SequenceContents> {
  const out: SequenceContents = { primary: null, logical: null, partitions: [], implementationUse: null, terminated: false };
  let current = extent;
  const seen = new Set<number>();
  for (let hop = 0; hop < MAX_VDS_POINTER_HOPS; hop++) {
    if (seen.has(current.location)) break;
    seen.add(current.location);
    const sectors = Math.min(Math.ceil(current.length / sectorSize), MAX_VDS_SECTORS);
    const bytes = await src.read(current.location * sectorSize, sectors * sectorSize);
    let pointer: ExtentAd | null = null;
    for (let i = 0; i < sectors && (i + 1) * sectorSize <= bytes.length; i++) {
      const sector = current.location + i;
      const f = new Fields(bytes.subarray(i * sectorSize, (i + 1) * sectorSize), sector * sectorSize, `UDF ${which} volume descriptor`);
      const id = f.u16le(0);
      if (id === 0) break;
      try {
        verifyTag(f, [1, 3, 4, 5, 6, 7, 8], sector, `UDF ${which} volume descriptor`);
      } catch (e) {
        log.fail(e, `UDF ${which} volume descriptor sequence`, f.base);
        continue;
      }
      // 3/8.4.3: where several share a type, the highest sequence number prevails.
      switch (id) {
        case TAG.PrimaryVolumeDescriptor: {
          const p = parseUdfPrimaryVolumeDescriptor(f);
          if (!out.primary || p.volumeDescriptorSequenceNumber >= out.primary.volumeDescriptorSequenceNumber) out.primary = p;
          break;
        }
        case TAG.LogicalVolumeDescriptor: {
          const l = parseLogicalVolumeDescriptor(f);
          if (!out.logical || l.volumeDescriptorSequenceNumber >= out.logical.volumeDescriptorSequenceNumber) out.logical = l;
          break;
        }
        case TAG.PartitionDescriptor: {
          const p = parsePartitionDescriptor(f);
          const i2 = out.partitions.findIndex((q) => q.partitionNumber === p.partitionNumber);
          if (i2 < 0) out.partitions.push(p);
          else if (p.volumeDescriptorSequenceNumber >= out.partitions[i2]!.volumeDescriptorSequenceNumber) out.partitions[i2] = p;
          break;
        }
        case TAG.ImplementationUseVolumeDescriptor:
          out.implementationUse ??= parseImplementationUseVolumeDescriptor(f);
          break;
        case TAG.VolumeDescriptorPointer:
          pointer = { length: f.u32le(20), location: f.u32le(24) };
          break;
        case TAG.TerminatingDescriptor:
          out.terminated = true;
          break;
      }
      if (out.terminated || pointer) break;
    }
    if (!pointer || out.terminated) break;
    current = pointer;
  }
  if (!out.terminated)
    log.warn(
      'UDF_VDS_NO_TERMINATOR',
      `the ${which} volume descriptor sequence ends without a terminating descriptor`,
      'UDF volume descriptor sequence',
      extent.location * sectorSize,
    );
  return out;
}

async function readIntegrity(src: ByteSource, extent: ExtentAd, sectorSize: number, log: ProblemLog): Promise<LogicalVolumeIntegrityDescriptor | null> {
  let result: LogicalVolumeIntegrityDescriptor | null = null;
  let current = extent;
  const seen = new Set<number>();
  for (let hop = 0; hop < MAX_INTEGRITY_HOPS && current.length > 0; hop++) {
    if (seen.has(current.location)) {
      log.warn(
        'UDF_INTEGRITY_LOOP',
        `the logical volume integrity sequence points back to sector ${current.location}; the last descriptor read is used`,
        'UDF logical volume integrity descriptor',
        current.location * sectorSize,
      );
      break;
    }
    if (hop === MAX_INTEGRITY_HOPS - 1)
      log.warn(
        'UDF_INTEGRITY_LOOP',
        `the logical volume integrity sequence runs past ${MAX_INTEGRITY_HOPS} links`,
        'UDF logical volume integrity descriptor',
        current.location * sectorSize,
      );
    seen.add(current.location);
    const bytes = await src.read(current.location * sectorSize, sectorSize);
    if (bytes.length < sectorSize) break;
    const f = new Fields(bytes, current.location * sectorSize, 'UDF logical volume integrity descriptor');
    if (f.u16le(0) !== TAG.LogicalVolumeIntegrityDescriptor) break;
    try {
      verifyTag(f, TAG.LogicalVolumeIntegrityDescriptor, current.location, 'UDF logical volume integrity descriptor');
    } catch (e) {
      log.fail(e, 'UDF logical volume integrity descriptor', f.base);
      break;
    }
    result = parseLogicalVolumeIntegrityDescriptor(f);
    current = result.nextIntegrityExtent;
  }
  return result;
}

export type { Extent };
