/**
 * The system area (the first 32 KiB of an ISO, ECMA-119 §6.2.1) and what
 * hybrid images put there: an MBR (isohybrid, grub2), a protective MBR with a
 * GPT (UEFI 2.10 §5.2–5.3), an Apple Partition Map (Inside Macintosh: Devices,
 * "Partition Map").
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields, guidToString, hex } from '../../io/bytes.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import { crc32 } from '../crc32.ts';
import { isVolumeBootRecord } from '../volumes/probe.ts';

/** One partition of any scheme, as the report lists it. */
export interface PartitionEntry {
  index: number;
  /** "0xef" for MBR, the type GUID for GPT, the type string for APM. */
  type: string;
  typeName: string;
  /** In 512-byte units (APM: in its own block size, see apm.blockSize). */
  start: number;
  count: number;
  bootable: boolean;
  name?: string;
  guid?: string;
  attributes?: string;
}

export interface PartitionInfo {
  scheme: 'mbr' | 'gpt' | 'hybrid' | null;
  entries: PartitionEntry[];
  mbr: null | { signature: boolean; diskSignature: string; isohybrid: boolean; entries: PartitionEntry[] };
  gpt: null | {
    diskGuid: string;
    headerLba: number;
    backupLba: number;
    firstUsableLba: number;
    lastUsableLba: number;
    entriesLba: number;
    entryCount: number;
    entrySize: number;
    headerCrcOk: boolean;
    entriesCrcOk: boolean;
    entries: PartitionEntry[];
  };
  apm: null | { blockSize: number; entries: PartitionEntry[] };
}

const LBA = 512;
/** GPT entry arrays larger than this are refused (the spec's minimum is 16 KiB; real ones are 16–32 KiB). */
const MAX_GPT_ARRAY_BYTES = 1024 * 1024;
const MAX_APM_ENTRIES = 64;

/** Common MBR partition type bytes. */
const MBR_TYPE_NAMES: Record<number, string> = {
  0x00: 'Empty',
  0x01: 'FAT12',
  0x04: 'FAT16 <32M',
  0x05: 'Extended',
  0x06: 'FAT16',
  0x07: 'NTFS/exFAT/HPFS',
  0x0b: 'FAT32',
  0x0c: 'FAT32 (LBA)',
  0x0e: 'FAT16 (LBA)',
  0x0f: 'Extended (LBA)',
  0x17: 'Hidden NTFS/IFS (isohybrid)',
  0x1c: 'Hidden FAT32 (LBA)',
  0x82: 'Linux swap',
  0x83: 'Linux',
  0x8e: 'Linux LVM',
  0xa5: 'FreeBSD',
  0xa6: 'OpenBSD',
  0xa8: 'Apple UFS',
  0xaf: 'Apple HFS/HFS+',
  0xcd: 'ISO 9660 (CD-ROM)',
  0xda: 'Non-FS data',
  0xee: 'GPT protective',
  0xef: 'EFI system',
  0xfd: 'Linux RAID',
};

/** GPT partition type GUIDs (UEFI 2.10 Table 5.8 and the vendors' own lists). */
const GPT_TYPE_NAMES: Record<string, string> = {
  '00000000-0000-0000-0000-000000000000': 'Unused',
  'C12A7328-F81F-11D2-BA4B-00A0C93EC93B': 'EFI system',
  '024DEE41-33E7-11D3-9D69-0008C781F39F': 'MBR partition scheme',
  '21686148-6449-6E6F-744E-656564454649': 'BIOS boot',
  'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7': 'Microsoft basic data',
  'E3C9E316-0B5C-4DB8-817D-F92DF00215AE': 'Microsoft reserved',
  'DE94BBA4-06D1-4D40-A16A-BFD50179D6AC': 'Windows recovery',
  '0FC63DAF-8483-4772-8E79-3D69D8477DE4': 'Linux filesystem',
  '0657FD6D-A4AB-43C4-84E5-0933C84B4F4F': 'Linux swap',
  'E6D6D379-F507-44C2-A23C-238F2A3DF928': 'Linux LVM',
  'A19D880F-05FC-4D3B-A006-743F0F84911E': 'Linux RAID',
  '4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709': 'Linux root (x86-64)',
  '48465300-0000-11AA-AA11-00306543ECAC': 'Apple HFS+',
  '7C3457EF-0000-11AA-AA11-00306543ECAC': 'Apple APFS',
  '426F6F74-0000-11AA-AA11-00306543ECAC': 'Apple boot',
};

/** One 16-byte MBR partition entry (offset 446 + 16·i). */
function parseMbrEntry(f: Fields, index: number): PartitionEntry {
  const type = f.u8(4);
  return {
    index,
    type: hex(type),
    typeName: MBR_TYPE_NAMES[type] ?? 'Unknown',
    start: f.u32le(8),
    count: f.u32le(12),
    bootable: f.u8(0) === 0x80,
  };
}

export interface MasterBootRecord {
  signature: boolean;
  diskSignature: string;
  entries: PartitionEntry[];
}

/**
 * The classic MBR: four entries at 446, 0x55AA at 510. Empty entries are
 * dropped. A boot indicator other than 0x00 or 0x80 means the sector is not a
 * partition table at all (boot code or another structure over the entries):
 * its "entries" are not reported, as blkid and Linux refuse them too.
 */
function parseMasterBootRecord(f: Fields, log: ProblemLog): MasterBootRecord | null {
  const signature = f.u8(510) === 0x55 && f.u8(511) === 0xaa;
  if (!signature) return null;
  const diskSignature = f.u32le(440).toString(16).padStart(8, '0');
  const entries: PartitionEntry[] = [];
  for (let i = 0; i < 4; i++) {
    const e = f.sub(446 + i * 16, 16, 'MBR partition entry');
    const status = e.u8(0);
    if (status !== 0 && status !== 0x80) {
      log.warn(
        'MBR_BAD_STATUS',
        `MBR partition ${i + 1} has status ${hex(status)} (only 0x00 and 0x80 are valid): the sector holds no partition table, and its entries are not listed`,
        'MBR partition entry',
        e.base,
      );
      return { signature, diskSignature, entries: [] };
    }
    const entry = parseMbrEntry(e, i + 1);
    if (entry.type !== '0x00' || entry.count !== 0 || entry.start !== 0) entries.push(entry);
  }
  return { signature, diskSignature, entries };
}

/** UEFI 2.10 §5.3.2 GPT Header. */
export interface GptHeader {
  revision: string;
  headerSize: number;
  headerCrc: number;
  headerCrcOk: boolean;
  myLba: number;
  alternateLba: number;
  firstUsableLba: number;
  lastUsableLba: number;
  diskGuid: string;
  partitionEntryLba: number;
  numberOfPartitionEntries: number;
  sizeOfPartitionEntry: number;
  partitionEntryArrayCrc: number;
}

function parseGptHeader(f: Fields): GptHeader | null {
  if (f.ascii(0, 8) !== 'EFI PART') return null;
  const headerSize = f.u32le(12);
  let headerCrcOk = false;
  if (headerSize >= 92 && headerSize <= f.length) {
    const copy = f.raw(0, headerSize).slice();
    copy.fill(0, 16, 20); // the CRC is computed with its own field zeroed
    headerCrcOk = crc32(copy) === f.u32le(16);
  }
  return {
    revision: `${f.u16le(10)}.${f.u16le(8)}`,
    headerSize,
    headerCrc: f.u32le(16),
    headerCrcOk,
    myLba: f.u64le(24),
    alternateLba: f.u64le(32),
    firstUsableLba: f.u64le(40),
    lastUsableLba: f.u64le(48),
    diskGuid: guidToString(f.raw(56, 16)),
    partitionEntryLba: f.u64le(72),
    numberOfPartitionEntries: f.u32le(80),
    sizeOfPartitionEntry: f.u32le(84),
    partitionEntryArrayCrc: f.u32le(88),
  };
}

/** UEFI 2.10 §5.3.3 GPT Partition Entry. */
function parseGptEntry(f: Fields, index: number): PartitionEntry | null {
  const type = guidToString(f.raw(0, 16));
  if (type === '00000000-0000-0000-0000-000000000000') return null;
  const first = f.u64le(32),
    last = f.u64le(40);
  const attrs = f.u64leBig(48);
  return {
    index,
    type,
    typeName: GPT_TYPE_NAMES[type] ?? 'Unknown',
    start: first,
    count: last >= first ? last - first + 1 : 0,
    // Attribute bit 2: legacy BIOS bootable.
    bootable: (attrs & 4n) !== 0n,
    name: f.utf16le(56, 72).replace(/\0.*$/s, ''),
    guid: guidToString(f.raw(16, 16)),
    attributes: '0x' + attrs.toString(16).padStart(16, '0'),
  };
}

/** Apple Partition Map entry ("PM", Inside Macintosh: Devices 3-25). */
function parseApmEntry(f: Fields, index: number): PartitionEntry | null {
  if (f.ascii(0, 2) !== 'PM') return null;
  const type = f.ascii(48, 32).replace(/\0.*$/s, '');
  return { index, type, typeName: type, start: f.u32be(8), count: f.u32be(12), bootable: false, name: f.ascii(16, 32).replace(/\0.*$/s, '') };
}

/** Read MBR, GPT and APM from the system area; never more than the structures themselves. */
export async function readPartitions(src: ByteSource, log: ProblemLog): Promise<PartitionInfo> {
  const info: PartitionInfo = { scheme: null, entries: [], mbr: null, gpt: null, apm: null };
  const head = await src.read(0, 2 * LBA);
  if (head.length < LBA) return info;
  const f = new Fields(head, 0, 'Master Boot Record');
  // A volume's own boot sector (FAT, exFAT, NTFS, BitLocker) at sector 0 is a bare volume, not a partitioned disk.
  if (isVolumeBootRecord(head.subarray(0, LBA))) return info;
  try {
    const mbr = parseMasterBootRecord(f.sub(0, LBA), log);
    if (mbr) info.mbr = { ...mbr, isohybrid: false };
  } catch (e) {
    log.fail(e, 'Master Boot Record', 0);
  }
  const protective = info.mbr?.entries.some((e) => e.type === '0xee') ?? false;
  if (head.length >= 2 * LBA) {
    try {
      await readGpt(src, f.sub(LBA, LBA, 'GPT header'), info, log, protective);
    } catch (e) {
      log.fail(e, 'GPT header', LBA);
    }
  }
  try {
    await readApm(src, f, info, log);
  } catch (e) {
    log.fail(e, 'Apple partition map', 0);
  }
  const mbrReal = info.mbr?.entries.filter((e) => e.type !== '0xee') ?? [];
  if (info.gpt) {
    info.scheme = mbrReal.length > 0 ? 'hybrid' : 'gpt';
    info.entries = info.gpt.entries;
  } else if (info.mbr && info.mbr.entries.length > 0) {
    info.scheme = 'mbr';
    info.entries = info.mbr.entries;
  }
  return info;
}

async function readGpt(src: ByteSource, hf: Fields, info: PartitionInfo, log: ProblemLog, protective: boolean): Promise<void> {
  const h = parseGptHeader(hf);
  if (!h) {
    if (protective) log.warn('GPT_MISSING', 'the MBR has a GPT protective partition but LBA 1 holds no GPT header', 'GPT header', LBA);
    return;
  }
  if (!h.headerCrcOk) log.warn('GPT_HEADER_CRC', `GPT header CRC32 ${hex(h.headerCrc, 8)} does not match its contents`, 'GPT header', LBA + 16);
  const arrayBytes = h.numberOfPartitionEntries * h.sizeOfPartitionEntry;
  const arrayOffset = h.partitionEntryLba * LBA;
  const gpt: NonNullable<PartitionInfo['gpt']> = {
    diskGuid: h.diskGuid,
    headerLba: h.myLba,
    backupLba: h.alternateLba,
    firstUsableLba: h.firstUsableLba,
    lastUsableLba: h.lastUsableLba,
    entriesLba: h.partitionEntryLba,
    entryCount: h.numberOfPartitionEntries,
    entrySize: h.sizeOfPartitionEntry,
    headerCrcOk: h.headerCrcOk,
    entriesCrcOk: false,
    entries: [],
  };
  info.gpt = gpt;
  if (h.sizeOfPartitionEntry < 128 || h.sizeOfPartitionEntry % 8 !== 0 || arrayBytes > MAX_GPT_ARRAY_BYTES) {
    log.error(
      'GPT_ENTRY_ARRAY_SIZE',
      `GPT entry array of ${h.numberOfPartitionEntries} × ${h.sizeOfPartitionEntry} bytes is outside sane bounds (≤ ${MAX_GPT_ARRAY_BYTES} bytes, entries ≥ 128)`,
      'GPT header',
      LBA + 80,
    );
    return;
  }
  if (arrayOffset + arrayBytes > src.size) {
    log.error('GPT_ENTRY_ARRAY_PAST_END', `GPT entry array at ${arrayOffset} runs past the image's end`, 'GPT entry array', arrayOffset);
    return;
  }
  const array = await src.read(arrayOffset, arrayBytes);
  gpt.entriesCrcOk = crc32(array) === h.partitionEntryArrayCrc;
  if (!gpt.entriesCrcOk) log.warn('GPT_ENTRIES_CRC', 'GPT partition entry array CRC32 does not match', 'GPT entry array', arrayOffset);
  const af = new Fields(array, arrayOffset, 'GPT partition entry');
  for (let i = 0; i < h.numberOfPartitionEntries; i++) {
    try {
      const e = parseGptEntry(af.sub(i * h.sizeOfPartitionEntry, 128), i + 1);
      if (e) gpt.entries.push(e);
    } catch (err) {
      // One unreadable entry (an LBA beyond 2^53) is skipped; the entries after it still count.
      if (!(err instanceof FormatError)) throw err;
      log.warn(
        'GPT_ENTRY_BAD',
        `GPT partition entry ${i + 1} skipped: ${err.message}`,
        'GPT partition entry',
        err.offset ?? arrayOffset + i * h.sizeOfPartitionEntry,
      );
    }
  }
}

/** Driver Descriptor Map ("ER") at block 0 gives the block size; entries from block 1. */
async function readApm(src: ByteSource, head: Fields, info: PartitionInfo, log: ProblemLog): Promise<void> {
  if (head.ascii(0, 2) !== 'ER') return;
  const blockSize = head.u16be(2);
  if (![512, 1024, 2048, 4096].includes(blockSize)) return;
  const first = await src.read(blockSize, 512);
  const f0 = new Fields(first, blockSize, 'Apple partition map entry');
  if (first.length < 512 || f0.ascii(0, 2) !== 'PM') return;
  const mapEntries = f0.u32be(4);
  if (mapEntries > MAX_APM_ENTRIES)
    log.warn('APM_TOO_MANY', `Apple partition map claims ${mapEntries} entries; reading ${MAX_APM_ENTRIES}`, 'Apple partition map entry', blockSize + 4);
  const n = Math.min(mapEntries, MAX_APM_ENTRIES);
  const entries: PartitionEntry[] = [];
  for (let i = 0; i < n; i++) {
    const off = blockSize * (1 + i);
    const b = i === 0 ? first : await src.read(off, 512);
    if (b.length < 512) break;
    const e = parseApmEntry(new Fields(b, off, 'Apple partition map entry'), i + 1);
    if (e) entries.push(e);
  }
  info.apm = { blockSize, entries };
}
