/**
 * NTFS volumes: the boot sector and the volume name, enough to name the
 * volume (an install stick written by Rufus in NTFS mode, a Windows system
 * partition). There is no public specification from Microsoft; the layout
 * below is the one Linux's ntfs3 driver, ntfs-3g and blkid agree on.
 *
 * Boot sector:   3 OEM ID ("NTFS    ")   11 bytes per sector (2)   13 sectors per cluster (1; 0xF4–0xF9 = 2^(256−n))
 *               14 reserved sectors, 16 FATs, 17 root entries, 19 sectors, 22 sectors per FAT, 32 large sectors: all 0
 *               40 total sectors (8)    48 $MFT cluster (8)    56 $MFTMirr cluster (8)
 *               64 clusters per MFT record (signed 1; negative n = 2^−n bytes)   72 volume serial (8)
 * MFT record:    0 "FILE"   4 update sequence offset (2)   6 update sequence count (2)   20 first attribute (2)
 * Attribute:     0 type (4; 0x60 $VOLUME_NAME, 0xFFFFFFFF end)   4 length (4)   8 non-resident (1)
 *               16 value length (4)   20 value offset (2)
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields, decodeUtf16 } from '../../io/bytes.ts';

export interface NtfsBootSector {
  bytesPerSector: number;
  clusterSize: number;
  totalSectors: number;
  mftCluster: number;
  mftMirrorCluster: number;
  mftRecordSize: number;
  /** 16 hex digits, as blkid prints it. */
  volumeSerialNumber: string;
}

/** The checks blkid makes: power-of-two sizes, the FAT-era fields zero, an MFT inside the volume. */
export function parseNtfsBootSector(f: Fields): NtfsBootSector | null {
  if (f.length < 512 || f.ascii(3, 8) !== 'NTFS') return null;
  const bytesPerSector = f.u16le(11);
  if (bytesPerSector < 256 || bytesPerSector > 4096 || (bytesPerSector & (bytesPerSector - 1)) !== 0) return null;
  const spc = f.u8(13);
  const sectorsPerCluster = spc <= 128 ? spc : spc >= 0xf4 && spc <= 0xf9 ? 2 ** (256 - spc) : 0;
  if (sectorsPerCluster === 0 || (sectorsPerCluster & (sectorsPerCluster - 1)) !== 0) return null;
  const clusterSize = bytesPerSector * sectorsPerCluster;
  if (clusterSize > 2 * 1024 * 1024) return null;
  if (f.u16le(14) || f.u8(16) || f.u16le(17) || f.u16le(19) || f.u16le(22) || f.u32le(32)) return null;
  const perRecord = f.i8(64);
  const mftRecordSize = perRecord > 0 ? perRecord * clusterSize : perRecord < 0 && perRecord > -31 ? 2 ** -perRecord : 0;
  if (mftRecordSize < 256 || mftRecordSize > 64 * 1024) return null;
  const totalSectors = f.u64le(40);
  const clusters = Math.floor(totalSectors / sectorsPerCluster);
  const mftCluster = f.u64le(48),
    mftMirrorCluster = f.u64le(56);
  if (mftCluster > clusters || mftMirrorCluster > clusters) return null;
  return {
    bytesPerSector,
    clusterSize,
    totalSectors,
    mftCluster,
    mftMirrorCluster,
    mftRecordSize,
    volumeSerialNumber: f.u64leBig(72).toString(16).toUpperCase().padStart(16, '0'),
  };
}

/** MFT record 3 is $Volume; its $VOLUME_NAME attribute (0x60) is the label Windows shows. */
const VOLUME_RECORD = 3;
const ATTR_VOLUME_NAME = 0x60;
const ATTR_END = 0xffffffff;

/** The volume name, or null when $Volume cannot be read (the volume is still named NTFS). */
export async function readNtfsLabel(src: ByteSource, base: number, b: NtfsBootSector): Promise<string | null> {
  const at = base + b.mftCluster * b.clusterSize + VOLUME_RECORD * b.mftRecordSize;
  const bytes = (await src.read(at, b.mftRecordSize)).slice();
  if (bytes.length < b.mftRecordSize) return null;
  const f = new Fields(bytes, at, 'NTFS MFT record');
  if (f.ascii(0, 4) !== 'FILE') return null;
  // Update sequence (fixups): the last two bytes of every 512-byte stride are stored in the array; put them back.
  const usaOffset = f.u16le(4),
    usaCount = f.u16le(6);
  if (usaCount < 1 || usaOffset + usaCount * 2 > bytes.length || (usaCount - 1) * 512 > bytes.length) return null;
  const usn = f.u16le(usaOffset);
  for (let i = 1; i < usaCount; i++) {
    const end = i * 512 - 2;
    if (f.u16le(end) !== usn) return null; // a torn write: the record is not trustworthy
    bytes[end] = bytes[usaOffset + i * 2]!;
    bytes[end + 1] = bytes[usaOffset + i * 2 + 1]!;
  }
  let off = f.u16le(20);
  for (let n = 0; n < 64 && off + 24 <= bytes.length; n++) {
    const type = f.u32le(off);
    const length = f.u32le(off + 4);
    if (type === ATTR_END || length < 24) return null;
    if (type === ATTR_VOLUME_NAME && f.u8(off + 8) === 0) {
      const valueLength = f.u32le(off + 16),
        valueOffset = f.u16le(off + 20);
      if (off + valueOffset + valueLength > bytes.length) return null;
      return decodeUtf16(bytes.subarray(off + valueOffset, off + valueOffset + valueLength), true);
    }
    off += length;
  }
  return null;
}
