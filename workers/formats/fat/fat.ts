/**
 * FAT12/16/32 volumes (Microsoft, "FAT: General Overview of On-Disk Format",
 * version 1.03, 2000 — "fatgen103"; the section numbers below are its).
 *
 * Two uses: sizing an EFI system image whose El Torito entry says 0 or 1
 * sectors (only the BPB), and reading a whole volume — a bare FAT image, or a
 * FAT partition of a disk image such as a Windows install stick saved by the
 * Media Creation Tool — as a directory tree, so sources/install.wim or .esd
 * is found and identified like on an ISO.
 *
 * Boot sector and BPB (fatgen103 "Boot Sector and BPB", offsets in bytes):
 *
 *   0   BS_jmpBoot      3  EB xx 90 or E9 xx xx
 *   3   BS_OEMName      8
 *  11   BPB_BytsPerSec  2  512, 1024, 2048 or 4096
 *  13   BPB_SecPerClus  1  a power of two, 1–128
 *  14   BPB_RsvdSecCnt  2  ≥ 1
 *  16   BPB_NumFATs     1  ≥ 1 (2 in practice)
 *  17   BPB_RootEntCnt  2  32-byte entries in the fixed root (0 on FAT32)
 *  19   BPB_TotSec16    2  0 → BPB_TotSec32
 *  21   BPB_Media       1  0xF0 or 0xF8–0xFF
 *  22   BPB_FATSz16     2  sectors per FAT (0 on FAT32 → BPB_FATSz32)
 *  28   BPB_HiddSec     4
 *  32   BPB_TotSec32    4
 *  FAT12/16:  36 BS_DrvNum, 38 BS_BootSig (0x29), 39 BS_VolID (4), 43 BS_VolLab (11), 54 BS_FilSysType (8)
 *  FAT32:     36 BPB_FATSz32 (4), 40 BPB_ExtFlags (2), 42 BPB_FSVer (2), 44 BPB_RootClus (4),
 *             48 BPB_FSInfo (2), 50 BPB_BkBootSec (2), 64 BS_DrvNum, 66 BS_BootSig, 67 BS_VolID (4),
 *             71 BS_VolLab (11), 82 BS_FilSysType (8)
 * 510   signature       2  55 AA
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields, decodeUtf16, hex } from '../../io/bytes.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import { PromiseCache } from '../../io/promise-cache.ts';
import type { Extent, FileStat, TreeEntry, TreeReader } from '../tree.ts';

export interface FatBootSector {
  bytesPerSector: number;
  sectorsPerCluster: number;
  totalSectors: number;
  /** Size of the file system in bytes. */
  bytes: number;
  oemName: string;
}

/** Parse a BPB: BPB_BytsPerSec at 11, BPB_SecPerClus at 13, BPB_TotSec16 at 19, BPB_TotSec32 at 32, signature 0x55AA at 510. */
function parseFatBootSector(f: Fields): FatBootSector | null {
  if (f.length < 512 || f.u8(510) !== 0x55 || f.u8(511) !== 0xaa) return null;
  const bytesPerSector = f.u16le(11);
  if (![512, 1024, 2048, 4096].includes(bytesPerSector)) return null;
  const sectorsPerCluster = f.u8(13);
  if (sectorsPerCluster === 0 || (sectorsPerCluster & (sectorsPerCluster - 1)) !== 0) return null;
  const tot16 = f.u16le(19);
  const totalSectors = tot16 !== 0 ? tot16 : f.u32le(32);
  if (totalSectors === 0) return null;
  return { bytesPerSector, sectorsPerCluster, totalSectors, bytes: totalSectors * bytesPerSector, oemName: f.ascii(3, 8) };
}

export async function readFatBootSector(src: ByteSource, offset: number): Promise<FatBootSector | null> {
  const bytes = await src.read(offset, 512);
  return parseFatBootSector(new Fields(bytes, offset, 'FAT boot sector'));
}

export type FatType = 'FAT12' | 'FAT16' | 'FAT32';

/** The whole BPB of a volume that passes the checks Linux and blkid make before calling it FAT. */
export interface FatBpb {
  oemName: string;
  bytesPerSector: number;
  sectorsPerCluster: number;
  reservedSectors: number;
  numberOfFats: number;
  rootEntryCount: number;
  totalSectors: number;
  media: number;
  sectorsPerFat: number;
  hiddenSectors: number;
  /** FAT32 only: BPB_ExtFlags bit 7 set = only FAT number (bits 0–3) is active (no mirroring). */
  activeFat: number | null;
  /** FAT32 only: BPB_FSVer as "major.minor". */
  fsVersion: string | null;
  /** FAT32 only: first cluster of the root directory. */
  rootCluster: number | null;
  /** BS_BootSig 0x29: the three fields after it are present. */
  extendedBootSignature: boolean;
  /** BS_VolID as "XXXX-XXXX", as Windows and blkid print it. */
  volumeId: string | null;
  /** BS_VolLab, trailing spaces trimmed ("NO NAME" means none). */
  volumeLabel: string | null;
  /** BS_FilSysType: informational only (fatgen103: never used to decide the FAT type). */
  fileSystemType: string | null;
}

/** Derived layout (fatgen103 "FAT Type Determination" and "FAT Data Structure"). */
export interface FatGeometry {
  type: FatType;
  clusterSize: number;
  /** Absolute offsets in the image. */
  fatOffset: number;
  fatBytes: number;
  rootDirOffset: number;
  rootDirBytes: number;
  dataOffset: number;
  clusterCount: number;
  /** Bytes the volume claims (BPB total sectors × sector size). */
  volumeBytes: number;
}

/** Highest cluster counts per type (fatgen103: < 4085 is FAT12, < 65525 is FAT16, else FAT32). */
const FAT12_LIMIT = 4085;
const FAT16_LIMIT = 65525;

/**
 * Parse and check a BPB. Returns null for a sector that is not a FAT boot
 * sector — the same tests blkid's vfat probe applies (FAT count, reserved
 * sectors, media byte, power-of-two sizes, a cluster count the type allows),
 * so a DOS MBR or another file system's boot sector is not mistaken for one.
 */
export function parseFatBpb(f: Fields): FatBpb | null {
  if (f.length < 512 || f.u8(510) !== 0x55 || f.u8(511) !== 0xaa) return null;
  const jump = f.u8(0);
  if (jump !== 0xeb && jump !== 0xe9) return null;
  const bytesPerSector = f.u16le(11);
  const sectorsPerCluster = f.u8(13);
  const reservedSectors = f.u16le(14);
  const numberOfFats = f.u8(16);
  const media = f.u8(21);
  if (![512, 1024, 2048, 4096].includes(bytesPerSector)) return null;
  if (sectorsPerCluster === 0 || (sectorsPerCluster & (sectorsPerCluster - 1)) !== 0) return null;
  if (reservedSectors === 0 || numberOfFats === 0) return null;
  if (!(media >= 0xf8 || media === 0xf0)) return null;
  // OS/2 puts a FAT-like header in front of HPFS and JFS; their type string rules FAT out (as blkid does).
  const type12 = f.ascii(54, 8);
  if (type12 === 'HPFS' || type12 === 'JFS') return null;
  const tot16 = f.u16le(19);
  const totalSectors = tot16 !== 0 ? tot16 : f.u32le(32);
  const fat16 = f.u16le(22);
  const fat32 = fat16 === 0;
  const sectorsPerFat = fat32 ? f.u32le(36) : fat16;
  if (totalSectors === 0 || sectorsPerFat === 0) return null;
  const sigAt = fat32 ? 66 : 38;
  const extendedBootSignature = f.u8(sigAt) === 0x29;
  const id = f.u32le(sigAt + 1);
  const extFlags = fat32 ? f.u16le(40) : 0;
  return {
    oemName: f.ascii(3, 8),
    bytesPerSector,
    sectorsPerCluster,
    reservedSectors,
    numberOfFats,
    rootEntryCount: f.u16le(17),
    totalSectors,
    media,
    sectorsPerFat,
    hiddenSectors: f.u32le(28),
    activeFat: fat32 && extFlags & 0x80 ? extFlags & 0x0f : null,
    fsVersion: fat32 ? `${f.u8(43)}.${f.u8(42)}` : null,
    rootCluster: fat32 ? f.u32le(44) : null,
    extendedBootSignature,
    volumeId: extendedBootSignature ? `${hex(id >>> 16, 4).slice(2)}-${hex(id & 0xffff, 4).slice(2)}`.toUpperCase() : null,
    volumeLabel: extendedBootSignature ? f.ascii(sigAt + 5, 11) : null,
    fileSystemType: extendedBootSignature ? f.ascii(sigAt + 16, 8) : null,
  };
}

/** The layout a BPB implies, or null when its numbers contradict each other. */
function fatGeometry(b: FatBpb, base: number): FatGeometry | null {
  const rootDirSectors = Math.ceil((b.rootEntryCount * 32) / b.bytesPerSector);
  const fatSectors = b.numberOfFats * b.sectorsPerFat;
  const firstDataSector = b.reservedSectors + fatSectors + rootDirSectors;
  if (firstDataSector >= b.totalSectors) return null;
  const clusterCount = Math.floor((b.totalSectors - firstDataSector) / b.sectorsPerCluster);
  const type: FatType = clusterCount < FAT12_LIMIT ? 'FAT12' : clusterCount < FAT16_LIMIT ? 'FAT16' : 'FAT32';
  // A FAT32 BPB (FATSz16 = 0, a root cluster) must have the cluster count FAT32 needs, and the reverse.
  if ((b.rootCluster !== null) !== (type === 'FAT32')) return null;
  const entryBits = type === 'FAT12' ? 12 : type === 'FAT16' ? 16 : 32;
  // The FAT must be able to hold an entry for every cluster (plus the two reserved ones).
  if (Math.ceil(((clusterCount + 2) * entryBits) / 8) > b.sectorsPerFat * b.bytesPerSector) return null;
  const activeFat = b.activeFat !== null && b.activeFat < b.numberOfFats ? b.activeFat : 0;
  return {
    type,
    clusterSize: b.sectorsPerCluster * b.bytesPerSector,
    fatOffset: base + (b.reservedSectors + activeFat * b.sectorsPerFat) * b.bytesPerSector,
    fatBytes: b.sectorsPerFat * b.bytesPerSector,
    rootDirOffset: base + (b.reservedSectors + fatSectors) * b.bytesPerSector,
    rootDirBytes: rootDirSectors * b.bytesPerSector,
    dataOffset: base + firstDataSector * b.bytesPerSector,
    clusterCount,
    volumeBytes: b.totalSectors * b.bytesPerSector,
  };
}

/**
 * fatgen103 "FAT Directory Structure": one 32-byte entry.
 *
 *   0 DIR_Name (11, 8.3 padded with spaces; 0xE5 free, 0x00 end, 0x05 = 0xE5)
 *  11 DIR_Attr        12 DIR_NTRes (Windows NT: 0x08 name, 0x10 extension in lower case)
 *  14 DIR_CrtTime     16 DIR_CrtDate    18 DIR_LstAccDate   20 DIR_FstClusHI
 *  22 DIR_WrtTime     24 DIR_WrtDate    26 DIR_FstClusLO    28 DIR_FileSize
 *
 * Long names ("FAT Long Directory Entries"): entries of attribute 0x0F
 * before the short entry, last part first; LDIR_Ord at 0 (0x40 = last),
 * characters at 1 (5), 14 (6) and 28 (2) in UCS-2, LDIR_Chksum at 13 over
 * the short name.
 */
export interface FatDirEntry {
  name: string;
  shortName: string;
  attributes: number;
  firstCluster: number;
  size: number;
  /** DIR_WrtDate/DIR_WrtTime, local time without a zone (FAT records none). */
  modified: string | null;
  /** Absolute offset of the short entry. */
  offset: number;
}

const FAT_ATTR = { readOnly: 0x01, hidden: 0x02, system: 0x04, volumeId: 0x08, directory: 0x10, archive: 0x20, longName: 0x0f } as const;

/** fatgen103 "FAT Long Directory Entries": the checksum over the 11-byte short name a long name belongs to. */
function shortNameChecksum(name: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + name[i]!) & 0xff;
  return sum;
}

/** DOS date and time (fatgen103 "Date and Time Formats") as local ISO 8601, or null when unset or impossible. */
function fatDateTime(date: number, time: number): string | null {
  if (date === 0) return null;
  const day = date & 0x1f,
    month = (date >> 5) & 0x0f,
    year = 1980 + (date >> 9);
  const sec = (time & 0x1f) * 2,
    min = (time >> 5) & 0x3f,
    hour = time >> 11;
  if (day < 1 || month < 1 || month > 12 || hour > 23 || min > 59 || sec > 59) return null;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${year}-${p(month)}-${p(day)}T${p(hour)}:${p(min)}:${p(sec)}`;
}

/** The short name as Windows shows it: "NAME.EXT", with the NT lower-case flags applied. */
function shortNameText(raw: Uint8Array, ntRes: number): string {
  const part = (from: number, to: number, lower: boolean) => {
    let s = '';
    for (let i = from; i < to; i++) {
      let c = raw[i]!;
      if (i === 0 && c === 0x05) c = 0xe5; // a name starting with 0xE5 (KANJI lead byte) is stored as 0x05
      s += String.fromCharCode(c);
    }
    s = s.replace(/ +$/, '');
    return lower ? s.toLowerCase() : s;
  };
  const base = part(0, 8, (ntRes & 0x08) !== 0);
  const ext = part(8, 11, (ntRes & 0x10) !== 0);
  return ext ? `${base}.${ext}` : base;
}

/**
 * Parse the 32-byte entries of one directory's data. Long names are joined
 * and checked against their short entry's checksum; a broken sequence falls
 * back to the short name, as Windows and Linux do.
 */
function parseFatDirectory(bytes: Uint8Array, offsetOf: (i: number) => number, log: ProblemLog): { entries: FatDirEntry[]; label: string | null } {
  const entries: FatDirEntry[] = [];
  let label: string | null = null;
  let lfn: { parts: string[]; checksum: number; next: number } | null = null;
  for (let i = 0; i + 32 <= bytes.length; i += 32) {
    const first = bytes[i]!;
    if (first === 0x00) break; // end of directory
    if (first === 0xe5) {
      lfn = null;
      continue;
    }
    const f = new Fields(bytes.subarray(i, i + 32), offsetOf(i), 'FAT directory entry');
    const attr = f.u8(11);
    if ((attr & 0x3f) === FAT_ATTR.longName) {
      log.budget.entry();
      const ord = first & 0x3f;
      const chars = decodeUtf16(new Uint8Array([...f.raw(1, 10), ...f.raw(14, 12), ...f.raw(28, 4)]), true);
      const part = chars.split('\0')[0]!;
      if (first & 0x40) lfn = ord >= 1 && ord <= 20 ? { parts: [part], checksum: f.u8(13), next: ord - 1 } : null;
      else if (lfn && ord === lfn.next && f.u8(13) === lfn.checksum) {
        lfn.parts.push(part);
        lfn.next--;
      } else lfn = null;
      continue;
    }
    log.budget.entry();
    const raw = f.raw(0, 11);
    if (attr & FAT_ATTR.volumeId) {
      if (!(attr & FAT_ATTR.directory)) label ??= f.ascii(0, 11);
      lfn = null;
      continue;
    }
    const shortName = shortNameText(raw, f.u8(12));
    const long = lfn && lfn.next === 0 && lfn.checksum === shortNameChecksum(raw) ? lfn.parts.reverse().join('') : null;
    lfn = null;
    entries.push({
      name: long || shortName,
      shortName,
      attributes: attr,
      firstCluster: (f.u16le(20) << 16) | f.u16le(26),
      size: f.u32le(28),
      modified: fatDateTime(f.u16le(24), f.u16le(22)),
      offset: f.base,
    });
  }
  return { entries, label };
}

/** Largest directory fatgen103 allows: 65 536 entries of 32 bytes. */
const MAX_DIRECTORY_BYTES = 65536 * 32;
/** FAT bytes read at a time and how many such windows are kept. */
const FAT_WINDOW = 16 * 1024;
const FAT_WINDOWS_KEPT = 256;
/** How much of the fixed root region is read at a time. */
const FIXED_ROOT_PIECE = 2048;

export interface FatRef {
  /** First cluster, or 0 for the fixed FAT12/16 root directory. */
  cluster: number;
  /** A file's directory entry: its chain is followed only when someone asks (stat). */
  file: FatDirEntry | null;
}

/** A FAT volume opened for reading: its BPB, layout, label and tree. */
export class FatVolume implements TreeReader<FatRef> {
  readonly naming = 'fat' as const;
  readonly root: TreeEntry<FatRef>;
  /** The root directory's volume-label entry (what Windows shows), read by `open`. */
  rootLabel: string | null = null;
  /** The last FAT windows read (promises, so that lookups running at the same time share one read). */
  private readonly windows = new PromiseCache<number, Uint8Array>(FAT_WINDOWS_KEPT);
  private fixedRoot: Promise<Uint8Array> | null = null;

  private constructor(
    private readonly src: ByteSource,
    readonly offset: number,
    readonly bpb: FatBpb,
    readonly geometry: FatGeometry,
  ) {
    const cluster = geometry.type === 'FAT32' ? bpb.rootCluster! : 0;
    this.root = { name: '', path: '', dir: true, key: this.keyOf(cluster), ref: { cluster, file: null } };
  }

  /** Open the FAT volume whose boot sector is at `offset`, or null when there is none. */
  static async open(src: ByteSource, offset: number, log: ProblemLog): Promise<FatVolume | null> {
    const head = await src.read(offset, 512);
    if (head.length < 512) return null;
    const bpb = parseFatBpb(new Fields(head, offset, 'FAT boot sector'));
    if (!bpb) return null;
    const geometry = fatGeometry(bpb, offset);
    if (!geometry) return null;
    const volume = new FatVolume(src, offset, bpb, geometry);
    try {
      const root = await volume.directoryBytes(volume.root.ref, log);
      volume.rootLabel = parseFatDirectory(root.bytes, root.offsetOf, log).label;
    } catch (e) {
      log.fail(e, 'FAT root directory', geometry.rootDirOffset);
    }
    return volume;
  }

  /** The same volume read through another request's view of the image (io/request.ts): its FAT windows are that request's own. */
  on(image: ByteSource): FatVolume {
    const v = new FatVolume(image, this.offset, this.bpb, this.geometry);
    v.rootLabel = this.rootLabel;
    return v;
  }

  /** The label Windows shows: the root directory's label entry, else the boot sector's; "NO NAME" is none. */
  get label(): string | null {
    const l = this.rootLabel ?? this.bpb.volumeLabel;
    return l && l !== 'NO NAME' ? l : null;
  }

  private keyOf(cluster: number): number {
    return cluster === 0 ? this.geometry.rootDirOffset : this.clusterOffset(cluster);
  }

  private clusterOffset(cluster: number): number {
    return this.geometry.dataOffset + (cluster - 2) * this.geometry.clusterSize;
  }

  private validCluster(n: number): boolean {
    return n >= 2 && n < this.geometry.clusterCount + 2;
  }

  /** The FAT entry for `cluster` (fatgen103 "FAT Data Structure"; FAT12 packs two entries in three bytes). */
  private async next(cluster: number): Promise<number> {
    const g = this.geometry;
    const byte = g.type === 'FAT12' ? cluster + (cluster >> 1) : g.type === 'FAT16' ? cluster * 2 : cluster * 4;
    const width = g.type === 'FAT32' ? 4 : 2;
    if (byte + width > g.fatBytes) throw new FormatError('FAT_ENTRY_PAST_END', `cluster ${cluster} has no entry in the FAT`, 'FAT', g.fatOffset + byte);
    const w = Math.floor(byte / FAT_WINDOW);
    const v0 = await this.fatByte(w, byte - w * FAT_WINDOW);
    const v1 = await this.fatByte(Math.floor((byte + 1) / FAT_WINDOW), (byte + 1) % FAT_WINDOW);
    if (g.type === 'FAT12') {
      const v = v0 | (v1 << 8);
      return cluster & 1 ? v >> 4 : v & 0x0fff;
    }
    if (g.type === 'FAT16') return v0 | (v1 << 8);
    const v2 = await this.fatByte(Math.floor((byte + 2) / FAT_WINDOW), (byte + 2) % FAT_WINDOW);
    const v3 = await this.fatByte(Math.floor((byte + 3) / FAT_WINDOW), (byte + 3) % FAT_WINDOW);
    return (v0 | (v1 << 8) | (v2 << 16) | (v3 << 24)) & 0x0fffffff; // the top four bits are reserved
  }

  private async fatByte(window: number, at: number): Promise<number> {
    const { fatOffset, fatBytes } = this.geometry;
    const start = window * FAT_WINDOW;
    const w = await this.windows.getOrMake(window, () => this.src.read(fatOffset + start, Math.min(FAT_WINDOW, fatBytes - start)));
    if (at >= w.length) throw new FormatError('FAT_TRUNCATED', 'the FAT lies past the end of the image', 'FAT', fatOffset + start + at);
    return w[at]!;
  }

  /**
   * The clusters of a chain, as image extents (adjacent clusters merged). A
   * file's chain is followed for the clusters its size needs; a directory's,
   * whose length is not recorded, to its end mark, up to `maxClusters`. A chain
   * that loops, leaves the volume or ends early is reported and cut there.
   */
  async chain(first: number, maxClusters: number, what: string, log: ProblemLog, directory = false): Promise<{ extents: Extent[]; clusters: number }> {
    const g = this.geometry;
    const extents: Extent[] = [];
    const endMark = g.type === 'FAT12' ? 0xff8 : g.type === 'FAT16' ? 0xfff8 : 0x0ffffff8;
    const seen = new Set<number>();
    let cluster = first;
    while (true) {
      if (!this.validCluster(cluster) || seen.has(cluster)) {
        const why = seen.has(cluster) ? 'loops back to' : 'reaches';
        log.warn(
          'FAT_BAD_CHAIN',
          `${what}: its cluster chain ${why} cluster ${cluster}${seen.has(cluster) ? '' : `, outside the volume's ${g.clusterCount} clusters`}; it is read up to there`,
          'FAT',
          g.fatOffset,
        );
        break;
      }
      seen.add(cluster);
      const offset = this.clusterOffset(cluster);
      const last = extents[extents.length - 1];
      if (last && last.offset! + last.length === offset) last.length += g.clusterSize;
      else extents.push({ offset, length: g.clusterSize });
      if (seen.size >= maxClusters) {
        if (directory) log.warn('FAT_DIR_TOO_LARGE', `${what}: longer than FAT allows (65 536 entries); the rest is not read`, 'FAT directory', offset);
        break;
      }
      const next = await this.next(cluster);
      if (next >= endMark) {
        if (!directory)
          log.warn('FAT_SHORT_CHAIN', `${what}: its cluster chain ends after ${seen.size} of the ${maxClusters} clusters its size needs`, 'FAT', g.fatOffset);
        break;
      }
      cluster = next;
    }
    return { extents, clusters: seen.size };
  }

  /**
   * The FAT12/16 root region up to its end-of-directory entry (first name byte 0, fatgen103 §6): the region
   * is sized for 512 entries (16 KiB) and holds a handful; it is read 2 KiB at a time until that entry.
   */
  private async readFixedRoot(): Promise<Uint8Array> {
    const g = this.geometry;
    const pieces: Uint8Array[] = [];
    let read = 0;
    while (read < g.rootDirBytes) {
      const piece = await this.src.read(g.rootDirOffset + read, Math.min(FIXED_ROOT_PIECE, g.rootDirBytes - read));
      if (piece.length === 0) break;
      pieces.push(piece);
      read += piece.length;
      let ended = false;
      for (let i = 0; i + 32 <= piece.length; i += 32) if (piece[i] === 0) ended = true;
      if (ended || piece.length % 32) break;
    }
    const bytes = new Uint8Array(read);
    let at = 0;
    for (const p of pieces) {
      bytes.set(p, at);
      at += p.length;
    }
    return bytes;
  }

  /** A directory's bytes: the fixed root region, or its cluster chain (bounded by fatgen103's 65 536 entries). */
  private async directoryBytes(ref: FatRef, log: ProblemLog): Promise<{ bytes: Uint8Array; offsetOf: (i: number) => number }> {
    const g = this.geometry;
    if (ref.cluster === 0) {
      // The fixed root is read by open (for the label) and again by the first listing: one read serves both.
      this.fixedRoot ??= this.readFixedRoot();
      const bytes = await this.fixedRoot;
      return { bytes, offsetOf: (i) => g.rootDirOffset + i };
    }
    const maxClusters = Math.max(1, Math.floor(MAX_DIRECTORY_BYTES / g.clusterSize));
    const { extents } = await this.chain(ref.cluster, maxClusters, 'a directory', log, true);
    const parts = await Promise.all(extents.map((e) => this.src.read(e.offset!, e.length)));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    const starts: number[] = [];
    let at = 0;
    for (const p of parts) {
      starts.push(at);
      bytes.set(p, at);
      at += p.length;
    }
    return {
      bytes,
      offsetOf: (i) => {
        let k = starts.length - 1;
        while (k > 0 && starts[k]! > i) k--;
        return extents[k]!.offset! + (i - starts[k]!);
      },
    };
  }

  async list(dir: TreeEntry<FatRef>, log: ProblemLog): Promise<TreeEntry<FatRef>[]> {
    const { bytes, offsetOf } = await this.directoryBytes(dir.ref, log);
    const { entries } = parseFatDirectory(bytes, offsetOf, log);
    const out: TreeEntry<FatRef>[] = [];
    for (const e of entries) {
      if (e.name === '.' || e.name === '..') continue;
      if (!e.name || e.name.includes('/') || e.name.includes('\0')) {
        log.warn('BAD_NAME', `a directory entry in ${dir.path || '/'} has an unusable name "${e.name}"`, 'FAT directory entry', e.offset);
        continue;
      }
      const isDir = (e.attributes & FAT_ATTR.directory) !== 0;
      if (isDir && !this.validCluster(e.firstCluster)) {
        log.warn(
          'FAT_BAD_CHAIN',
          `directory ${dir.path}/${e.name} starts at cluster ${e.firstCluster}, outside the volume`,
          'FAT directory entry',
          e.offset + 20,
        );
        continue;
      }
      const entry: TreeEntry<FatRef> = {
        name: e.name,
        path: `${dir.path}/${e.name}`,
        dir: isDir,
        key: isDir ? this.keyOf(e.firstCluster) : e.offset,
        ref: { cluster: e.firstCluster, file: isDir ? null : e },
      };
      if (isDir) entry.stat = { size: 0, modified: e.modified, extents: [] };
      out.push(entry);
    }
    return out;
  }

  async stat(entry: TreeEntry<FatRef>, log: ProblemLog): Promise<FileStat> {
    if (entry.stat) return entry.stat;
    const e = entry.ref.file;
    if (!e) return { size: 0, modified: null, extents: [] };
    if (e.size === 0) return (entry.stat = { size: 0, modified: e.modified, extents: [] });
    const want = Math.ceil(e.size / this.geometry.clusterSize);
    const { extents, clusters } = await this.chain(e.firstCluster, want, entry.path, log);
    // Extents cover whole clusters; the last one is cut to the file's size.
    let size = 0;
    for (const x of extents) size += x.length;
    const real = Math.min(e.size, clusters * this.geometry.clusterSize);
    if (size > real) extents[extents.length - 1]!.length -= size - real;
    return (entry.stat = { size: real, modified: e.modified, extents });
  }
}
