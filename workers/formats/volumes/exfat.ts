/**
 * exFAT volumes (Microsoft, "exFAT file system specification", 2019; §
 * numbers are its): the Main Boot Sector and the root directory's volume
 * label, enough to name the volume. Offsets in bytes:
 *
 *   0 JumpBoot (3, EB 76 90)   3 FileSystemName (8, "EXFAT   ")   11 MustBeZero (53)
 *  64 PartitionOffset (8)     72 VolumeLength (8, sectors)        80 FatOffset (4, sectors)
 *  84 FatLength (4)           88 ClusterHeapOffset (4, sectors)   92 ClusterCount (4)
 *  96 FirstClusterOfRootDirectory (4)   100 VolumeSerialNumber (4)  104 FileSystemRevision (2, minor then major)
 * 106 VolumeFlags (2)        108 BytesPerSectorShift (1, 9–12)    109 SectorsPerClusterShift (1)
 * 110 NumberOfFats (1)       112 PercentInUse (1)                 510 BootSignature (55 AA)
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields, decodeUtf16, hex } from '../../io/bytes.ts';
import type { ProblemLog } from '../../io/problems.ts';

export interface ExfatBootSector {
  partitionOffset: number;
  volumeLength: number;
  fatOffset: number;
  fatLength: number;
  clusterHeapOffset: number;
  clusterCount: number;
  firstClusterOfRootDirectory: number;
  /** "XXXX-XXXX", as Windows and blkid print it. */
  volumeSerialNumber: string;
  fileSystemRevision: string;
  volumeFlags: number;
  bytesPerSector: number;
  sectorsPerCluster: number;
  numberOfFats: number;
  percentInUse: number | null;
}

/** §3.1: the checks a conforming implementation makes before mounting (name, zero field, shifts in range). */
export function parseExfatBootSector(f: Fields): ExfatBootSector | null {
  if (f.length < 512 || f.ascii(3, 8) !== 'EXFAT') return null;
  if (f.u8(510) !== 0x55 || f.u8(511) !== 0xaa) return null;
  for (let i = 11; i < 64; i++) if (f.u8(i) !== 0) return null; // §3.1.3 MustBeZero: keeps FAT drivers away
  const bytesShift = f.u8(108),
    clusterShift = f.u8(109);
  if (bytesShift < 9 || bytesShift > 12 || bytesShift + clusterShift > 25) return null;
  const serial = f.u32le(100);
  const percent = f.u8(112);
  return {
    partitionOffset: f.u64le(64),
    volumeLength: f.u64le(72),
    fatOffset: f.u32le(80),
    fatLength: f.u32le(84),
    clusterHeapOffset: f.u32le(88),
    clusterCount: f.u32le(92),
    firstClusterOfRootDirectory: f.u32le(96),
    volumeSerialNumber: `${hex(serial >>> 16, 4).slice(2)}-${hex(serial & 0xffff, 4).slice(2)}`.toUpperCase(),
    fileSystemRevision: `${f.u8(105)}.${f.u8(104)}`, // printed as blkid does ("1.0")
    volumeFlags: f.u16le(106),
    bytesPerSector: 1 << bytesShift,
    sectorsPerCluster: 1 << clusterShift,
    numberOfFats: f.u8(110),
    percentInUse: percent === 0xff ? null : percent,
  };
}

/** Directory entry types (§6.2): in use = bit 7. */
const ENTRY_END = 0x00;
const ENTRY_VOLUME_LABEL = 0x83;
/** The label is looked for in the root directory's first clusters only (it is the first entries in practice). */
const LABEL_SEARCH_BYTES = 64 * 1024;

/**
 * §7.3 Volume Label Directory Entry, in the root directory: CharacterCount at
 * 1, VolumeLabel at 2 (11 UTF-16 characters). Only the root's first cluster
 * run is searched, following the FAT (§4) for at most LABEL_SEARCH_BYTES.
 */
export async function readExfatLabel(src: ByteSource, base: number, b: ExfatBootSector, log: ProblemLog): Promise<string | null> {
  const clusterBytes = b.bytesPerSector * b.sectorsPerCluster;
  let cluster = b.firstClusterOfRootDirectory;
  let searched = 0;
  while (searched < LABEL_SEARCH_BYTES) {
    if (cluster < 2 || cluster > b.clusterCount + 1) return null;
    const at = base + (b.clusterHeapOffset + (cluster - 2) * b.sectorsPerCluster) * b.bytesPerSector;
    const length = Math.min(clusterBytes, LABEL_SEARCH_BYTES - searched);
    const bytes = await src.read(at, length);
    for (let i = 0; i + 32 <= bytes.length; i += 32) {
      log.budget.entry();
      const type = bytes[i]!;
      if (type === ENTRY_END) return null;
      if (type === ENTRY_VOLUME_LABEL) {
        const count = Math.min(bytes[i + 1]!, 11);
        return decodeUtf16(bytes.subarray(i + 2, i + 2 + count * 2), true);
      }
    }
    searched += bytes.length;
    if (bytes.length < clusterBytes) return null;
    const fat = await src.read(base + b.fatOffset * b.bytesPerSector + cluster * 4, 4);
    if (fat.length < 4) return null;
    cluster = new Fields(fat, 0, 'exFAT FAT').u32le(0);
  }
  return null;
}
