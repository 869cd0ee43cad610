/**
 * A file system found by its own boot sector or superblock, at the start of
 * the image (a bare volume: a USB stick or floppy saved without a partition
 * table) or of a partition. The magic numbers and sanity checks are the ones
 * blkid (util-linux libblkid/src/superblocks) uses, so what isoscope names
 * agrees with what `blkid -p` prints for the same bytes:
 *
 *   BitLocker  "-FVE-FS-" at 3 after EB 52 90 (Vista) or EB 58 90 (7 and later), or a To Go
 *              header ("MSWIN4.1") whose FVE metadata block is where it says (volumes/bitlocker.ts)
 *   exFAT      "EXFAT   " at 3, 53 zero bytes at 11 (volumes/exfat.ts)
 *   NTFS       "NTFS    " at 3 and a consistent BPB (volumes/ntfs.ts)
 *   FAT        a BPB that passes the FAT checks (fat/fat.ts)
 *   BeFS       a superblock at 512 (or 0) with magic1 0x42465331 at 32, magic2 0xDD121031 at 68,
 *              magic3 0x15B6830E at 112, byte order "BIGE" at 36, block size = 2^(10–13)
 *   HPFS       49 E8 95 F9 at 0x2000 (superblock) and 49 18 91 F9 at 0x2200 (spare block)
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields, hex } from '../../io/bytes.ts';
import type { ProblemLog } from '../../io/problems.ts';
import { bitlockerKind, readBitlocker } from './bitlocker.ts';
import { parseExfatBootSector, readExfatLabel } from './exfat.ts';
import { FatVolume, parseFatBpb } from '../fat/fat.ts';
import { parseNtfsBootSector, readNtfsLabel } from './ntfs.ts';

export type VolumeType = 'fat12' | 'fat16' | 'fat32' | 'exfat' | 'ntfs' | 'hpfs' | 'bitlocker' | 'befs';

export interface ProbedVolume {
  type: VolumeType;
  /** Absolute offset of the volume's first byte in the image. */
  offset: number;
  /** Bytes the volume says it spans, or null when its boot sector does not say. */
  size: number | null;
  label: string | null;
  /** The volume serial number or UUID in the form blkid prints it. */
  serial: string | null;
  sectorSize: number | null;
  clusterSize: number | null;
  /** File-system revision where the volume records one (FAT32 "0.0", exFAT "1.00", HPFS "2"). */
  version: string | null;
  /** FAT volumes are opened for reading (their tree is walked like a disc's). */
  fat: FatVolume | null;
}

/** Does this sector look like a volume boot record (so it is not an MBR)? The tests blkid's DOS partition probe makes. */
export function isVolumeBootRecord(sector: Uint8Array): boolean {
  if (sector.length < 512) return false;
  const f = new Fields(sector, 0, 'boot sector');
  return bitlockerKind(f) !== null || parseExfatBootSector(f) !== null || parseNtfsBootSector(f) !== null || parseFatBpb(f) !== null;
}

const BEFS_MAGIC1 = 0x42465331;
const BEFS_MAGIC2 = 0xdd121031;
const BEFS_MAGIC3 = 0x15b6830e;
const BEFS_BIG_ENDIAN_TAG = 0x42494745; // "BIGE", written in the volume's own byte order

/** A BeFS superblock (Dominic Giampaolo, "Practical File System Design", ch. 4) in either byte order, or null. */
function befsSuperblock(sb: Fields): { label: string | null; blockSize: number; blocks: number; endian: string } | null {
  for (const le of [true, false]) {
    const u32 = (at: number) => (le ? sb.u32le(at) : sb.u32be(at));
    if (u32(32) !== BEFS_MAGIC1 || u32(68) !== BEFS_MAGIC2 || u32(112) !== BEFS_MAGIC3 || u32(36) !== BEFS_BIG_ENDIAN_TAG) continue;
    const blockSize = u32(40),
      shift = u32(44);
    if (shift < 10 || shift > 13 || blockSize !== 2 ** shift) return null;
    const blocks = le ? sb.u64le(48) : u32(48) * 2 ** 32 + u32(52);
    return { label: sb.ascii(0, 32) || null, blockSize, blocks, endian: le ? 'little-endian' : 'big-endian' };
  }
  return null;
}

const blank = (type: VolumeType, offset: number): ProbedVolume => ({
  type,
  offset,
  size: null,
  label: null,
  serial: null,
  sectorSize: null,
  clusterSize: null,
  version: null,
  fat: null,
});

/**
 * Name the file system whose volume starts at `offset`, reading its boot
 * sector (and for HPFS and BeFS the superblock behind it), or null.
 * `length` bounds the volume (the partition's size, or the rest of the image).
 */
export async function probeVolume(src: ByteSource, offset: number, length: number, log: ProblemLog): Promise<ProbedVolume | null> {
  if (length < 512) return null;
  const head = await src.read(offset, 1024);
  if (head.length < 512) return null;
  const f = new Fields(head, offset, 'volume boot sector');

  const bitlocker = await readBitlocker(src, offset, f);
  if (bitlocker) {
    return {
      ...blank('bitlocker', offset),
      label: bitlocker.description,
      serial: bitlocker.volumeId,
      version: bitlocker.version !== null ? String(bitlocker.version) : null,
      sectorSize: f.u16le(11) || null,
    };
  }

  const exfat = parseExfatBootSector(f);
  if (exfat) {
    return {
      ...blank('exfat', offset),
      size: exfat.volumeLength * exfat.bytesPerSector,
      label: await readExfatLabel(src, offset, exfat, log),
      serial: exfat.volumeSerialNumber,
      sectorSize: exfat.bytesPerSector,
      clusterSize: exfat.bytesPerSector * exfat.sectorsPerCluster,
      version: exfat.fileSystemRevision,
    };
  }

  const ntfs = parseNtfsBootSector(f);
  if (ntfs) {
    return {
      ...blank('ntfs', offset),
      size: ntfs.totalSectors * ntfs.bytesPerSector,
      label: await readNtfsLabel(src, offset, ntfs),
      serial: ntfs.volumeSerialNumber,
      sectorSize: ntfs.bytesPerSector,
      clusterSize: ntfs.clusterSize,
    };
  }

  const fat = await FatVolume.open(src, offset, log);
  if (fat) {
    return {
      ...blank(fat.geometry.type.toLowerCase() as VolumeType, offset),
      size: fat.geometry.volumeBytes,
      label: fat.label,
      serial: fat.bpb.volumeId,
      sectorSize: fat.bpb.bytesPerSector,
      clusterSize: fat.geometry.clusterSize,
      version: fat.bpb.fsVersion,
      fat,
    };
  }

  // BeFS: the superblock follows a 512-byte boot block on x86 (and starts the volume on PowerPC).
  for (const at of [512, 0]) {
    if (head.length < at + 132) continue;
    const sb = befsSuperblock(f.sub(at, 132, 'BeFS superblock'));
    if (sb) return { ...blank('befs', offset), label: sb.label, size: sb.blocks * sb.blockSize, clusterSize: sb.blockSize, version: sb.endian };
  }

  if (length >= 0x2200 + 512) {
    const sb = await src.read(offset + 0x2000, 0x210);
    if (
      sb.length >= 0x208 &&
      sb[0] === 0x49 &&
      sb[1] === 0xe8 &&
      sb[2] === 0x95 &&
      sb[3] === 0xf9 &&
      sb[0x200] === 0x49 &&
      sb[0x201] === 0x18 &&
      sb[0x202] === 0x91 &&
      sb[0x203] === 0xf9
    ) {
      const s = new Fields(sb, offset + 0x2000, 'HPFS superblock');
      const v: ProbedVolume = { ...blank('hpfs', offset), version: String(s.u8(8)), sectorSize: 512, clusterSize: 512, size: s.u32le(16) * 512 || null };
      // The boot block carries the label and serial when it has OS/2's signature (0x28 at 38, "HPFS" at 54).
      if (f.u8(510) === 0x55 && f.u8(511) === 0xaa && f.u8(38) === 0x28 && f.ascii(54, 4) === 'HPFS') {
        v.label = f.ascii(43, 11) || null;
        const id = f.u32le(39);
        v.serial = `${hex(id >>> 16, 4).slice(2)}-${hex(id & 0xffff, 4).slice(2)}`.toUpperCase();
      }
      return v;
    }
  }
  return null;
}
