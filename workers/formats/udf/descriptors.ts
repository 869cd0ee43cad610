/**
 * ECMA-167 3rd edition (as profiled by OSTA UDF 2.60) on-disc structures, one
 * parse function per structure, named after the standard's, each under the
 * section that defines it. Every field is read at its byte offset from the
 * start of the structure, as the standard's tables give it (f.u32le(188):
 * the partition's starting location, 3/10.5 BP 188).
 */
import { Fields } from '../../io/bytes.ts';
import { FormatError } from '../../io/problems.ts';
import { offsetText } from '../timestamps.ts';

/** ECMA-167 3/7.2.1 tag identifiers (and 4/7.2.1 for part 4). */
export const TAG = {
  PrimaryVolumeDescriptor: 1,
  AnchorVolumeDescriptorPointer: 2,
  VolumeDescriptorPointer: 3,
  ImplementationUseVolumeDescriptor: 4,
  PartitionDescriptor: 5,
  LogicalVolumeDescriptor: 6,
  UnallocatedSpaceDescriptor: 7,
  TerminatingDescriptor: 8,
  LogicalVolumeIntegrityDescriptor: 9,
  FileSetDescriptor: 256,
  FileIdentifierDescriptor: 257,
  AllocationExtentDescriptor: 258,
  IndirectEntry: 259,
  TerminalEntry: 260,
  FileEntry: 261,
  ExtendedAttributeHeaderDescriptor: 262,
  UnallocatedSpaceEntry: 263,
  SpaceBitmapDescriptor: 264,
  PartitionIntegrityEntry: 265,
  ExtendedFileEntry: 266,
} as const;

/** CRC-ITU-T (polynomial 0x1021, initial 0), ECMA-167 3/7.2.6. */
let crcTable: Uint16Array | null = null;
export function crcItuT(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint16Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n << 8;
      for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
      crcTable[n] = c;
    }
  }
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) & 0xffff) ^ crcTable[((crc >>> 8) ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** ECMA-167 3/7.2 Descriptor Tag (16 bytes). */
export interface DescriptorTag {
  tagIdentifier: number;
  descriptorVersion: number;
  tagChecksum: number;
  tagSerialNumber: number;
  descriptorCrc: number;
  descriptorCrcLength: number;
  tagLocation: number;
}

export function parseDescriptorTag(f: Fields): DescriptorTag {
  return {
    tagIdentifier: f.u16le(0),
    descriptorVersion: f.u16le(2),
    tagChecksum: f.u8(4),
    tagSerialNumber: f.u16le(6),
    descriptorCrc: f.u16le(8),
    descriptorCrcLength: f.u16le(10),
    tagLocation: f.u32le(12),
  };
}

/**
 * Verify a tag (3/7.2.3 checksum, 3/7.2.6 CRC over CRC-length bytes after the
 * tag, 3/7.2.8 location). Throws a FormatError naming what failed.
 */
export function verifyTag(f: Fields, expectedId: number | readonly number[], expectedLocation: number | null, name: string): DescriptorTag {
  const tag = parseDescriptorTag(f);
  const ids = typeof expectedId === 'number' ? [expectedId] : expectedId;
  if (!ids.includes(tag.tagIdentifier)) {
    throw new FormatError('UDF_TAG_ID', `${name}: tag identifier ${tag.tagIdentifier}, expected ${ids.join(' or ')}`, name, f.base);
  }
  let sum = 0;
  for (let i = 0; i < 16; i++) if (i !== 4) sum = (sum + f.u8(i)) & 0xff;
  if (sum !== tag.tagChecksum) {
    throw new FormatError('UDF_TAG_CHECKSUM', `${name}: tag checksum is ${tag.tagChecksum}, bytes sum to ${sum}`, name, f.base + 4);
  }
  if (tag.descriptorCrcLength > 0 && 16 + tag.descriptorCrcLength <= f.length) {
    const crc = crcItuT(f.raw(16, tag.descriptorCrcLength));
    if (crc !== tag.descriptorCrc) {
      throw new FormatError('UDF_TAG_CRC', `${name}: descriptor CRC ${tag.descriptorCrc.toString(16)} does not match ${crc.toString(16)}`, name, f.base + 8);
    }
  }
  if (expectedLocation !== null && tag.tagLocation !== expectedLocation) {
    throw new FormatError('UDF_TAG_LOCATION', `${name}: tag says location ${tag.tagLocation} but it was read at ${expectedLocation}`, name, f.base + 12);
  }
  return tag;
}

/** ECMA-167 1/7.2.12 / UDF 2.1.1 OSTA CS0 compressed unicode: compression id 8 (Latin-1) or 16 (UCS-2 BE); 254/255 are their "deleted" forms. */
function osta(b: Uint8Array): string {
  if (b.length === 0) return '';
  const id = b[0]!;
  let s = '';
  if (id === 8 || id === 254) {
    for (let i = 1; i < b.length; i++) s += String.fromCharCode(b[i]!);
  } else if (id === 16 || id === 255) {
    for (let i = 1; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
  } else {
    return '';
  }
  return s;
}

/** ECMA-167 1/7.2.12 dstring: a fixed field whose last byte is the used length. */
function dstring(f: Fields, at: number, size: number): string {
  const used = f.u8(at + size - 1);
  if (used === 0 || used > size - 1) return '';
  return osta(f.raw(at, used)).replace(/\0+$/, '');
}

/** ECMA-167 1/7.4 EntityID (regid): flags, 23-byte identifier, 8-byte suffix. */
export interface EntityId {
  flags: number;
  identifier: string;
  suffix: Uint8Array;
}
function parseEntityId(f: Fields, at: number): EntityId {
  return { flags: f.u8(at), identifier: f.ascii(at + 1, 23).replace(/\0.*$/s, ''), suffix: f.raw(at + 24, 8) };
}
/** UDF 2.1.5.3 domain/UDF identifier suffix: UDF revision as BCD-ish hex, e.g. 0x0102 → "1.02". */
export function udfRevisionText(rev: number): string {
  return `${(rev >> 8).toString(16)}.${(rev & 0xff).toString(16).padStart(2, '0')}`;
}

/** ECMA-167 1/7.3 timestamp (12 bytes) → ISO 8601 with its timezone. */
function udfTimestamp(f: Fields, at: number): string | null {
  const typeAndZone = f.u16le(at);
  const year = f.u16le(at + 2);
  const [mo, d, h, mi, s, cs] = [f.u8(at + 4), f.u8(at + 5), f.u8(at + 6), f.u8(at + 7), f.u8(at + 8), f.u8(at + 9)];
  if (year === 0 && mo === 0) return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || cs > 99) return null;
  let zone = typeAndZone & 0x0fff;
  if (zone & 0x800) zone -= 0x1000; // 12-bit two's complement minutes
  const tz = zone === -2047 || typeAndZone >> 12 !== 1 ? 'Z' : offsetText(zone);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(year, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}.${p(cs)}${tz}`;
}

/** ECMA-167 3/7.1 extent_ad. */
export interface ExtentAd {
  length: number;
  location: number;
}
function parseExtentAd(f: Fields, at: number): ExtentAd {
  return { length: f.u32le(at), location: f.u32le(at + 4) };
}

/** ECMA-167 4/14.14.2 long_ad: length (top 2 bits: extent type), lb_addr, impl use. */
export interface LongAd {
  length: number;
  type: number;
  block: number;
  partition: number;
}
export function parseLongAd(f: Fields, at: number): LongAd {
  const raw = f.u32le(at);
  return { length: raw & 0x3fffffff, type: raw >>> 30, block: f.u32le(at + 4), partition: f.u16le(at + 8) };
}

/** ECMA-167 4/14.14.1 short_ad. */
export function parseShortAd(f: Fields, at: number, partition: number): LongAd {
  const raw = f.u32le(at);
  return { length: raw & 0x3fffffff, type: raw >>> 30, block: f.u32le(at + 4), partition };
}

/** ECMA-167 4/14.14.3 ext_ad: length, recorded length, information length, lb_addr. */
export function parseExtendedAd(f: Fields, at: number): LongAd {
  const raw = f.u32le(at);
  return { length: raw & 0x3fffffff, type: raw >>> 30, block: f.u32le(at + 12), partition: f.u16le(at + 16) };
}

/** ECMA-167 3/10.2 Anchor Volume Descriptor Pointer. */
export interface AnchorVolumeDescriptorPointer {
  mainVolumeDescriptorSequence: ExtentAd;
  reserveVolumeDescriptorSequence: ExtentAd;
}
export function parseAnchorVolumeDescriptorPointer(f: Fields): AnchorVolumeDescriptorPointer {
  return { mainVolumeDescriptorSequence: parseExtentAd(f, 16), reserveVolumeDescriptorSequence: parseExtentAd(f, 24) };
}

/** ECMA-167 3/10.1 Primary Volume Descriptor. */
export interface UdfPrimaryVolumeDescriptor {
  volumeDescriptorSequenceNumber: number;
  volumeIdentifier: string;
  volumeSequenceNumber: number;
  maximumVolumeSequenceNumber: number;
  interchangeLevel: number;
  volumeSetIdentifier: string;
  applicationIdentifier: string;
  recordingDateAndTime: string | null;
  implementationIdentifier: string;
}
export function parseUdfPrimaryVolumeDescriptor(f: Fields): UdfPrimaryVolumeDescriptor {
  return {
    volumeDescriptorSequenceNumber: f.u32le(16),
    volumeIdentifier: dstring(f, 24, 32),
    volumeSequenceNumber: f.u16le(56),
    maximumVolumeSequenceNumber: f.u16le(58),
    interchangeLevel: f.u16le(60),
    volumeSetIdentifier: dstring(f, 72, 128),
    applicationIdentifier: parseEntityId(f, 344).identifier,
    recordingDateAndTime: udfTimestamp(f, 376),
    implementationIdentifier: parseEntityId(f, 388).identifier,
  };
}

/** ECMA-167 3/10.5 Partition Descriptor. */
export interface PartitionDescriptor {
  volumeDescriptorSequenceNumber: number;
  partitionFlags: number;
  partitionNumber: number;
  partitionContents: string;
  /** 3/10.5.7: 0 unspecified, 1 read-only, 2 write-once, 3 rewritable, 4 overwritable. */
  accessType: number;
  partitionStartingLocation: number;
  partitionLength: number;
  implementationIdentifier: string;
}
export function parsePartitionDescriptor(f: Fields): PartitionDescriptor {
  return {
    volumeDescriptorSequenceNumber: f.u32le(16),
    partitionFlags: f.u16le(20),
    partitionNumber: f.u16le(22),
    partitionContents: parseEntityId(f, 24).identifier,
    accessType: f.u32le(184),
    partitionStartingLocation: f.u32le(188),
    partitionLength: f.u32le(192),
    implementationIdentifier: parseEntityId(f, 196).identifier,
  };
}

/** ECMA-167 3/10.7 partition maps; UDF 2.2.8–2.2.10 type 2 maps. */
export type PartitionMap =
  | { type: 1; kind: 'physical'; volumeSequenceNumber: number; partitionNumber: number }
  | {
      type: 2;
      kind: 'virtual' | 'sparable' | 'metadata' | 'unknown';
      identifier: string;
      volumeSequenceNumber: number;
      partitionNumber: number;
      metadataFileLocation?: number;
      metadataMirrorFileLocation?: number;
      metadataBitmapFileLocation?: number;
      allocationUnitSize?: number;
      alignmentUnitSize?: number;
      flags?: number;
      packetLength?: number;
      sparingTableCount?: number;
      sparingTableSize?: number;
      sparingTableLocations?: number[];
    };

function parsePartitionMap(f: Fields, at: number): { map: PartitionMap | null; length: number } {
  const type = f.u8(at);
  const length = f.u8(at + 1);
  if (length < 2) throw new FormatError('UDF_PARTITION_MAP', `partition map of length ${length}`, 'UDF partition map', f.base + at);
  if (type === 1 && length >= 6) {
    return { map: { type: 1, kind: 'physical', volumeSequenceNumber: f.u16le(at + 2), partitionNumber: f.u16le(at + 4) }, length };
  }
  if (type === 2 && length >= 64) {
    const identifier = parseEntityId(f, at + 4).identifier;
    const base = { type: 2 as const, identifier, volumeSequenceNumber: f.u16le(at + 36), partitionNumber: f.u16le(at + 38) };
    if (identifier === '*UDF Metadata Partition') {
      return {
        map: {
          ...base,
          kind: 'metadata',
          metadataFileLocation: f.u32le(at + 40),
          metadataMirrorFileLocation: f.u32le(at + 44),
          metadataBitmapFileLocation: f.u32le(at + 48),
          allocationUnitSize: f.u32le(at + 52),
          alignmentUnitSize: f.u16le(at + 56),
          flags: f.u8(at + 58),
        },
        length,
      };
    }
    if (identifier === '*UDF Sparable Partition') {
      const count = Math.min(f.u8(at + 42), 4);
      const locations: number[] = [];
      for (let i = 0; i < count; i++) locations.push(f.u32le(at + 48 + 4 * i));
      return {
        map: {
          ...base,
          kind: 'sparable',
          packetLength: f.u16le(at + 40),
          sparingTableCount: f.u8(at + 42),
          sparingTableSize: f.u32le(at + 44),
          sparingTableLocations: locations,
        },
        length,
      };
    }
    if (identifier === '*UDF Virtual Partition') return { map: { ...base, kind: 'virtual' }, length };
    return { map: { ...base, kind: 'unknown' }, length };
  }
  return { map: null, length };
}

/** ECMA-167 3/10.6 Logical Volume Descriptor. */
export interface LogicalVolumeDescriptor {
  volumeDescriptorSequenceNumber: number;
  logicalVolumeIdentifier: string;
  logicalBlockSize: number;
  domainIdentifier: string;
  /** UDF revision from the domain identifier suffix (UDF 2.1.5.3). */
  domainRevision: number;
  fileSetDescriptorLocation: LongAd;
  partitionMaps: PartitionMap[];
  implementationIdentifier: string;
  integritySequenceExtent: ExtentAd;
}
export function parseLogicalVolumeDescriptor(f: Fields): LogicalVolumeDescriptor {
  const domain = parseEntityId(f, 216);
  const mapTableLength = f.u32le(264);
  const mapCount = f.u32le(268);
  const maps: PartitionMap[] = [];
  let at = 440;
  const end = 440 + Math.min(mapTableLength, f.length - 440);
  for (let i = 0; i < mapCount && i < 64 && at + 2 <= end; i++) {
    const { map, length } = parsePartitionMap(f, at);
    if (map) maps.push(map);
    at += length;
  }
  return {
    volumeDescriptorSequenceNumber: f.u32le(16),
    logicalVolumeIdentifier: dstring(f, 84, 128),
    logicalBlockSize: f.u32le(212),
    domainIdentifier: domain.identifier,
    domainRevision: domain.suffix[0]! | (domain.suffix[1]! << 8),
    fileSetDescriptorLocation: parseLongAd(f, 248),
    partitionMaps: maps,
    implementationIdentifier: parseEntityId(f, 272).identifier,
    integritySequenceExtent: parseExtentAd(f, 432),
  };
}

/** UDF 2.2.7 Implementation Use Volume Descriptor with "*UDF LV Info". */
export interface ImplementationUseVolumeDescriptor {
  implementationIdentifier: string;
  logicalVolumeIdentifier: string | null;
  lvInfo: string[];
}
export function parseImplementationUseVolumeDescriptor(f: Fields): ImplementationUseVolumeDescriptor {
  const id = parseEntityId(f, 20).identifier;
  if (id !== '*UDF LV Info') return { implementationIdentifier: id, logicalVolumeIdentifier: null, lvInfo: [] };
  return {
    implementationIdentifier: id,
    logicalVolumeIdentifier: dstring(f, 52 + 64, 128),
    lvInfo: [dstring(f, 52 + 192, 36), dstring(f, 52 + 228, 36), dstring(f, 52 + 264, 36)].filter(Boolean),
  };
}

/** ECMA-167 3/10.10 Logical Volume Integrity Descriptor, with UDF 2.2.6.4 implementation use. */
export interface LogicalVolumeIntegrityDescriptor {
  recordingDateAndTime: string | null;
  integrityType: 'open' | 'close' | number;
  nextIntegrityExtent: ExtentAd;
  numberOfPartitions: number;
  freeSpaceTable: number[];
  sizeTable: number[];
  implementationIdentifier: string | null;
  numberOfFiles: number | null;
  numberOfDirectories: number | null;
  minimumUdfReadRevision: number | null;
  minimumUdfWriteRevision: number | null;
  maximumUdfWriteRevision: number | null;
}
export function parseLogicalVolumeIntegrityDescriptor(f: Fields): LogicalVolumeIntegrityDescriptor {
  const type = f.u32le(28);
  const n = Math.min(f.u32le(72), 64);
  const lIu = f.u32le(76);
  const free: number[] = [],
    size: number[] = [];
  for (let i = 0; i < n; i++) free.push(f.u32le(80 + 4 * i));
  for (let i = 0; i < n; i++) size.push(f.u32le(80 + 4 * n + 4 * i));
  const iu = 80 + 8 * n;
  const has = lIu >= 46 && iu + 46 <= f.length;
  return {
    recordingDateAndTime: udfTimestamp(f, 16),
    integrityType: type === 0 ? 'open' : type === 1 ? 'close' : type,
    nextIntegrityExtent: parseExtentAd(f, 32),
    numberOfPartitions: n,
    freeSpaceTable: free,
    sizeTable: size,
    implementationIdentifier: has ? parseEntityId(f, iu).identifier : null,
    numberOfFiles: has ? f.u32le(iu + 32) : null,
    numberOfDirectories: has ? f.u32le(iu + 36) : null,
    minimumUdfReadRevision: has ? f.u16le(iu + 40) : null,
    minimumUdfWriteRevision: has ? f.u16le(iu + 42) : null,
    maximumUdfWriteRevision: has ? f.u16le(iu + 44) : null,
  };
}

/** ECMA-167 4/14.1 File Set Descriptor. */
export interface FileSetDescriptor {
  recordingDateAndTime: string | null;
  logicalVolumeIdentifier: string;
  fileSetIdentifier: string;
  rootDirectoryIcb: LongAd;
  domainIdentifier: string;
  domainRevision: number;
  systemStreamDirectoryIcb: LongAd;
}
export function parseFileSetDescriptor(f: Fields): FileSetDescriptor {
  const domain = parseEntityId(f, 416);
  return {
    recordingDateAndTime: udfTimestamp(f, 16),
    logicalVolumeIdentifier: dstring(f, 112, 128),
    fileSetIdentifier: dstring(f, 304, 32),
    rootDirectoryIcb: parseLongAd(f, 400),
    domainIdentifier: domain.identifier,
    domainRevision: domain.suffix[0]! | (domain.suffix[1]! << 8),
    systemStreamDirectoryIcb: parseLongAd(f, 464),
  };
}

/** ECMA-167 4/14.9 File Entry and 4/14.17 Extended File Entry (the fields an inspector needs). */
export interface FileEntry {
  extended: boolean;
  /** 4/14.6.6 ICB file type: 4 directory, 5 file, 12 symlink, 250–252 UDF metadata files. */
  fileType: number;
  /** 4/14.6.8 flags bits 0–2: 0 short_ad, 1 long_ad, 2 ext_ad, 3 data embedded in the entry. */
  allocationType: number;
  informationLength: number;
  modificationTime: string | null;
  creationTime: string | null;
  lengthOfExtendedAttributes: number;
  lengthOfAllocationDescriptors: number;
  /** Offset of the allocation descriptors (or embedded data) within the entry. */
  allocationDescriptorsOffset: number;
  permissions: number;
  fileLinkCount: number;
}
export function parseFileEntry(f: Fields, extended: boolean): FileEntry {
  const lEa = f.u32le(extended ? 208 : 168);
  const lAd = f.u32le(extended ? 212 : 172);
  const adOffset = (extended ? 216 : 176) + lEa;
  if (lEa > f.length || lAd > f.length || adOffset + lAd > f.length) {
    throw new FormatError(
      'UDF_FE_LENGTHS',
      `file entry: extended attributes (${lEa}) and allocation descriptors (${lAd}) run past the ${f.length}-byte block`,
      'UDF file entry',
      f.base + (extended ? 208 : 168),
    );
  }
  return {
    extended,
    fileType: f.u8(16 + 11),
    allocationType: f.u16le(16 + 18) & 7,
    informationLength: f.u64le(56),
    modificationTime: udfTimestamp(f, extended ? 92 : 84),
    creationTime: extended ? udfTimestamp(f, 104) : null,
    lengthOfExtendedAttributes: lEa,
    lengthOfAllocationDescriptors: lAd,
    allocationDescriptorsOffset: adOffset,
    permissions: f.u32le(44),
    fileLinkCount: f.u16le(48),
  };
}

/** ECMA-167 4/14.4 File Identifier Descriptor. */
export interface FileIdentifierDescriptor {
  fileCharacteristics: number;
  icb: LongAd;
  name: string;
  /** Total length including padding to 4 bytes (4/14.4.9). */
  length: number;
}
export const FID = { hidden: 1, directory: 2, deleted: 4, parent: 8, metadata: 16 } as const;

export function parseFileIdentifierDescriptor(f: Fields, at: number): FileIdentifierDescriptor {
  const lFi = f.u8(at + 19);
  const lIu = f.u16le(at + 36);
  const length = 4 * Math.floor((38 + lFi + lIu + 3) / 4);
  if (at + 38 + lIu + lFi > f.length) {
    throw new FormatError(
      'UDF_FID_OVERRUN',
      `file identifier (${lFi} bytes, impl use ${lIu}) runs past the directory's end`,
      'UDF file identifier descriptor',
      f.base + at,
    );
  }
  return {
    fileCharacteristics: f.u8(at + 18),
    icb: parseLongAd(f, at + 20),
    name: osta(f.raw(at + 38 + lIu, lFi)),
    length,
  };
}

/**
 * The Virtual Allocation Table of write-once media (OSTA UDF 2.60 §2.2.11;
 * 1.50 §2.2.10): a file whose entries map each virtual block of the virtual
 * partition to a block of the physical partition it lies in.
 *
 * UDF 2.00 and later (file type 248), header then entries:
 *   0 Length of Header (2)   2 Length of Implementation Use (2)   4 Logical Volume Identifier (dstring 128)
 * 132 Previous VAT ICB Location (4)   136 Number of Files (4)   140 Number of Directories (4)
 * 144 Minimum UDF Read Revision (2)   146 Minimum UDF Write Revision (2)   148 Maximum UDF Write Revision (2)
 * 152 Implementation Use   [Length of Header] entries (4 each; 0xFFFFFFFF: unused)
 * UDF 1.50 (file type 0): entries, then the EntityID "*UDF Virtual Alloc Tbl" (32) and the Previous VAT ICB Location (4).
 */
export interface VirtualAllocationTable {
  revision: '1.50' | '2.00';
  entries: Uint32Array;
  previousVatLocation: number;
  logicalVolumeIdentifier: string | null;
  numberOfFiles: number | null;
  numberOfDirectories: number | null;
  minimumUdfReadRevision: number | null;
  minimumUdfWriteRevision: number | null;
  maximumUdfWriteRevision: number | null;
}

export const VAT_UNUSED = 0xffffffff;
const VAT150_ID = '*UDF Virtual Alloc Tbl';

/** Parse a VAT from its file's bytes; `fileType` 248 is the 2.00 form, 0 the 1.50 form (which its trailing EntityID confirms). */
export function parseVirtualAllocationTable(f: Fields, fileType: number): VirtualAllocationTable | null {
  if (fileType === 248) {
    const headerLength = f.u16le(0);
    if (headerLength < 152 || headerLength > f.length) return null;
    const count = Math.floor((f.length - headerLength) / 4);
    const entries = new Uint32Array(count);
    for (let i = 0; i < count; i++) entries[i] = f.u32le(headerLength + i * 4);
    return {
      revision: '2.00',
      entries,
      previousVatLocation: f.u32le(132),
      logicalVolumeIdentifier: dstring(f, 4, 128),
      numberOfFiles: f.u32le(136),
      numberOfDirectories: f.u32le(140),
      minimumUdfReadRevision: f.u16le(144),
      minimumUdfWriteRevision: f.u16le(146),
      maximumUdfWriteRevision: f.u16le(148),
    };
  }
  if (fileType === 0 && f.length >= 36 && parseEntityId(f, f.length - 36).identifier === VAT150_ID) {
    const count = Math.floor((f.length - 36) / 4);
    const entries = new Uint32Array(count);
    for (let i = 0; i < count; i++) entries[i] = f.u32le(i * 4);
    return {
      revision: '1.50',
      entries,
      previousVatLocation: f.u32le(f.length - 4),
      logicalVolumeIdentifier: null,
      numberOfFiles: null,
      numberOfDirectories: null,
      minimumUdfReadRevision: null,
      minimumUdfWriteRevision: null,
      maximumUdfWriteRevision: null,
    };
  }
  return null;
}
