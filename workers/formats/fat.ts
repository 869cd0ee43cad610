/**
 * FAT boot sector (Microsoft FAT specification 1.03, §3.1 BPB): only what an
 * inspector needs to size an EFI system image whose El Torito entry says 0 or 1.
 */
import type { ByteSource } from '../io/byte-source.ts';
import { Fields } from '../io/bytes.ts';

export interface FatBootSector {
  bytesPerSector: number;
  sectorsPerCluster: number;
  totalSectors: number;
  /** Size of the file system in bytes. */
  bytes: number;
  oemName: string;
}

/** Parse a BPB: BPB_BytsPerSec at 11, BPB_SecPerClus at 13, BPB_TotSec16 at 19, BPB_TotSec32 at 32, signature 0x55AA at 510. */
export function parseFatBootSector(f: Fields): FatBootSector | null {
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
