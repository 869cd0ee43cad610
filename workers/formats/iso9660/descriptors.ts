/**
 * ISO 9660 (ECMA-119, 4th edition 2019) volume descriptors and directory records.
 *
 * The volume descriptor set starts at logical sector 16 (§6.2.1, 2048-byte
 * sectors) and ends with a Volume Descriptor Set Terminator (§8.3). On a UDF
 * bridge disc the ECMA-167 volume recognition sequence (BEA01, NSR02/NSR03,
 * TEA01) follows in the same 2048-byte slots, so one reader walks both.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields, hexOfBytes } from '../../io/bytes.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import { decDateTime, dirDateTime } from '../timestamps.ts';
import { jolietLevelFromEscapes } from './joliet.ts';

export const ISO_SECTOR = 2048;
export const VRS_START_LBA = 16;
/** Hard cap on slots examined in the recognition area (a real disc uses under 10). */
const MAX_VRS_SLOTS = 128;
/** Sectors fetched per read while walking the recognition area. */
const VRS_BATCH = 4;

/** Standard identifiers of ECMA-119 §8.1.2 and ECMA-167 2/9.1.2. */
const VRS_IDS = new Set(['CD001', 'BEA01', 'NSR02', 'NSR03', 'TEA01', 'BOOT2', 'CDW02']);

export type DescriptorKind = 'boot-record' | 'primary' | 'supplementary' | 'enhanced' | 'partition' | 'terminator' | 'unknown';

/** One 2048-byte slot of the volume recognition area (ECMA-119 §8.1 / ECMA-167 2/9.1). */
export interface VolumeStructureDescriptor {
  lba: number;
  /** Standard identifier: "CD001", "BEA01", "NSR02", "NSR03", "TEA01", … */
  id: string;
  /** Volume descriptor type (byte 0); meaningful for CD001 only. */
  type: number;
  kind: DescriptorKind | 'udf-recognition';
  version: number;
}

/** ECMA-119 §8.4 Primary / §8.5 Supplementary Volume Descriptor. */
export interface PrimaryVolumeDescriptor {
  lba: number;
  type: 1 | 2;
  version: number;
  /** §8.5.3 volume flags (SVD only; bit 0 = escape sequences not all registered). */
  volumeFlags: number;
  systemId: string;
  volumeId: string;
  volumeSpaceSize: number;
  /** §8.5.6 escape sequences (SVD): the raw 32 bytes as hex. */
  escapeSequences: string;
  jolietLevel: 1 | 2 | 3 | null;
  volumeSetSize: number;
  volumeSequenceNumber: number;
  logicalBlockSize: number;
  pathTableSize: number;
  typeLPathTable: number;
  optionalTypeLPathTable: number;
  typeMPathTable: number;
  optionalTypeMPathTable: number;
  root: DirectoryRecord;
  volumeSetId: string;
  publisherId: string;
  dataPreparerId: string;
  applicationId: string;
  copyrightFileId: string;
  abstractFileId: string;
  bibliographicFileId: string;
  creation: string | null;
  modification: string | null;
  expiration: string | null;
  effective: string | null;
  /** The 16 raw digits of each date, as the disc holds them. */
  rawDates: { creation: string; modification: string; expiration: string; effective: string };
  fileStructureVersion: number;
  /**
   * The identifier fields as recorded (§8.4.5–8.4.6, §8.4.13–8.4.16: 32 or
   * 128 bytes of a-/d-characters, or UCS-2 BE in Joliet's), for joining
   * Joliet's with the primary's as blkid does (joliet.ts).
   */
  identifierBytes: Record<IdentifierField, Uint8Array>;
}

export type IdentifierField = 'system' | 'volume' | 'volumeSet' | 'publisher' | 'preparer' | 'application';

/** ECMA-119 §8.2 Boot Record. */
export interface BootRecordDescriptor {
  lba: number;
  bootSystemId: string;
  bootId: string;
  /** El Torito: absolute LBA of the boot catalog (bytes 71–74, little-endian). */
  elToritoCatalogLba: number | null;
}

/** ECMA-119 §8.6 Volume Partition Descriptor. */
export interface VolumePartitionDescriptor {
  lba: number;
  systemId: string;
  partitionId: string;
  location: number;
  size: number;
}

export interface VolumeDescriptorSet {
  slots: VolumeStructureDescriptor[];
  primary: PrimaryVolumeDescriptor | null;
  supplementary: PrimaryVolumeDescriptor[];
  bootRecords: BootRecordDescriptor[];
  partitions: VolumePartitionDescriptor[];
  terminatorLba: number | null;
  /** ECMA-167 identifiers seen (BEA01, NSR02, NSR03, TEA01). */
  udfRecognition: string[];
}

/** ECMA-119 §9.1 Directory Record. */
export interface DirectoryRecord {
  /** Absolute byte offset of the record in the image. */
  offset: number;
  length: number;
  extAttrLength: number;
  extent: number;
  dataLength: number;
  recorded: string | null;
  /** §9.1.6: bit 0 hidden, 1 directory, 2 associated, 3 record, 4 protection, 7 multi-extent. */
  flags: number;
  fileUnitSize: number;
  interleaveGap: number;
  volumeSequenceNumber: number;
  identifier: Uint8Array;
  systemUse: Uint8Array;
  systemUseOffset: number;
}

export const FILE_FLAG = { hidden: 1, directory: 2, associated: 4, record: 8, protection: 16, multiExtent: 128 } as const;

/** ECMA-119 §7.2.3 / §7.3.3 both-byte orders: use little-endian, warn on disagreement. */
function bothEndian16(f: Fields, at: number, field: string, log: ProblemLog | null): number {
  const le = f.u16le(at),
    be = f.u16be(at + 2);
  if (le !== be) log?.warn('BOTH_ENDIAN_MISMATCH', `${f.structure}: ${field} is ${le} little-endian but ${be} big-endian`, f.structure, f.base + at);
  return le;
}
function bothEndian32(f: Fields, at: number, field: string, log: ProblemLog | null): number {
  const le = f.u32le(at),
    be = f.u32be(at + 4);
  if (le !== be) log?.warn('BOTH_ENDIAN_MISMATCH', `${f.structure}: ${field} is ${le} little-endian but ${be} big-endian`, f.structure, f.base + at);
  return le;
}

/** ECMA-119 §9.1: one directory record starting at `at` in `f`. */
export function parseDirectoryRecord(f: Fields, at: number, log: ProblemLog | null): DirectoryRecord {
  const length = f.u8(at);
  if (length < 34 && length !== 0) {
    // 33 bytes of fixed fields + at least a 1-byte identifier.
    throw new FormatError('DIR_RECORD_SHORT', `directory record length ${length} is below the 34-byte minimum`, 'ISO 9660 directory record', f.base + at);
  }
  if (at + length > f.length) {
    throw new FormatError('DIR_RECORD_OVERRUN', `directory record of ${length} bytes runs past its sector`, 'ISO 9660 directory record', f.base + at);
  }
  // Fields of the record read in place (no sub-view per record: directories hold tens of thousands).
  const nameLen = f.u8(at + 32);
  if (33 + nameLen > length) {
    throw new FormatError(
      'DIR_NAME_OVERRUN',
      `identifier length ${nameLen} runs past the ${length}-byte record`,
      'ISO 9660 directory record',
      f.base + at + 32,
    );
  }
  // §9.1.12: a padding byte follows an identifier of even length.
  const suStart = 33 + nameLen + (nameLen % 2 === 0 ? 1 : 0);
  return {
    offset: f.base + at,
    length,
    extAttrLength: f.u8(at + 1),
    extent: bothEndian32(f, at + 2, 'directory record extent location', log),
    dataLength: bothEndian32(f, at + 10, 'directory record data length', log),
    recorded: dirDateTime(f.raw(at + 18, 7)),
    flags: f.u8(at + 25),
    fileUnitSize: f.u8(at + 26),
    interleaveGap: f.u8(at + 27),
    volumeSequenceNumber: bothEndian16(f, at + 28, 'directory record volume sequence number', log),
    identifier: f.raw(at + 33, nameLen),
    systemUse: suStart < length ? f.raw(at + suStart, length - suStart) : new Uint8Array(0),
    systemUseOffset: f.base + at + suStart,
  };
}

/** ECMA-119 §8.4 (type 1) and §8.5 (type 2): field offsets are the same. */
function parsePrimaryVolumeDescriptor(f: Fields, lba: number, log: ProblemLog | null): PrimaryVolumeDescriptor {
  const type = f.u8(0) as 1 | 2;
  const escapes = f.raw(88, 32);
  const jolietLevel = type === 2 ? jolietLevelFromEscapes(escapes) : null;
  const text = jolietLevel ? (at: number, n: number) => f.utf16be(at, n) : (at: number, n: number) => f.text(at, n);
  const rawDate = (at: number) => String.fromCharCode(...f.raw(at, 16));
  return {
    lba,
    type,
    version: f.u8(6),
    volumeFlags: type === 2 ? f.u8(7) : 0,
    systemId: text(8, 32),
    volumeId: text(40, 32),
    volumeSpaceSize: bothEndian32(f, 80, 'volume space size', log),
    escapeSequences: hexOfBytes(escapes).replace(/(00)+$/, ''),
    jolietLevel,
    volumeSetSize: bothEndian16(f, 120, 'volume set size', log),
    volumeSequenceNumber: bothEndian16(f, 124, 'volume sequence number', log),
    logicalBlockSize: bothEndian16(f, 128, 'logical block size', log),
    pathTableSize: bothEndian32(f, 132, 'path table size', log),
    typeLPathTable: f.u32le(140),
    optionalTypeLPathTable: f.u32le(144),
    typeMPathTable: f.u32be(148),
    optionalTypeMPathTable: f.u32be(152),
    root: parseDirectoryRecord(f, 156, log),
    volumeSetId: text(190, 128),
    publisherId: text(318, 128),
    dataPreparerId: text(446, 128),
    applicationId: text(574, 128),
    copyrightFileId: text(702, 37),
    abstractFileId: text(739, 37),
    bibliographicFileId: text(776, 37),
    creation: decDateTime(f.raw(813, 17)),
    modification: decDateTime(f.raw(830, 17)),
    expiration: decDateTime(f.raw(847, 17)),
    effective: decDateTime(f.raw(864, 17)),
    rawDates: { creation: rawDate(813), modification: rawDate(830), expiration: rawDate(847), effective: rawDate(864) },
    fileStructureVersion: f.u8(881),
    identifierBytes: {
      system: f.raw(8, 32).slice(),
      volume: f.raw(40, 32).slice(),
      volumeSet: f.raw(190, 128).slice(),
      publisher: f.raw(318, 128).slice(),
      preparer: f.raw(446, 128).slice(),
      application: f.raw(574, 128).slice(),
    },
  };
}

/** ECMA-119 §8.2 Boot Record; El Torito 1.0 §2.0 puts the catalog pointer at byte 71. */
function parseBootRecord(f: Fields, lba: number): BootRecordDescriptor {
  const bootSystemId = f.ascii(7, 32);
  return {
    lba,
    bootSystemId,
    bootId: f.ascii(39, 32),
    elToritoCatalogLba: bootSystemId.startsWith('EL TORITO SPECIFICATION') ? f.u32le(71) : null,
  };
}

/** ECMA-119 §8.6 Volume Partition Descriptor. */
function parseVolumePartitionDescriptor(f: Fields, lba: number, log: ProblemLog | null): VolumePartitionDescriptor {
  return {
    lba,
    systemId: f.ascii(8, 32),
    partitionId: f.ascii(40, 32),
    location: bothEndian32(f, 72, 'volume partition location', log),
    size: bothEndian32(f, 80, 'volume partition size', log),
  };
}

function kindOf(type: number, version: number): DescriptorKind {
  switch (type) {
    case 0:
      return 'boot-record';
    case 1:
      return 'primary';
    case 2:
      return version === 2 ? 'enhanced' : 'supplementary';
    case 3:
      return 'partition';
    case 255:
      return 'terminator';
    default:
      return 'unknown';
  }
}

/** The first slot after `from` (within the first 16) with a standard identifier, for reading on past a blank sector 16. */
async function nextDescriptorSlot(src: ByteSource, from: number): Promise<number | null> {
  const bytes = await src.read(from * ISO_SECTOR, 16 * ISO_SECTOR);
  for (let i = 0; (i + 1) * ISO_SECTOR <= bytes.length; i++) {
    const id = String.fromCharCode(...bytes.subarray(i * ISO_SECTOR + 1, i * ISO_SECTOR + 6));
    if (VRS_IDS.has(id)) return from + i;
  }
  return null;
}

/**
 * Walk the volume recognition area from sector 16 until a slot carries no
 * standard identifier: the ISO 9660 descriptor set and, on UDF discs, the
 * ECMA-167 extended area. Bounded by MAX_VRS_SLOTS and by the image's end.
 */
/** `start`: the sector the set begins at (16, or a later session's start + 16). */
export async function readVolumeDescriptorSet(src: ByteSource, log: ProblemLog, start = VRS_START_LBA): Promise<VolumeDescriptorSet> {
  const set: VolumeDescriptorSet = { slots: [], primary: null, supplementary: [], bootRecords: [], partitions: [], terminatorLba: null, udfRecognition: [] };
  let lba = start;
  outer: while (lba < start + MAX_VRS_SLOTS) {
    const bytes = await src.read(lba * ISO_SECTOR, VRS_BATCH * ISO_SECTOR);
    if (bytes.length < ISO_SECTOR) break;
    for (let i = 0; (i + 1) * ISO_SECTOR <= bytes.length; i++, lba++) {
      const f = new Fields(bytes.subarray(i * ISO_SECTOR, (i + 1) * ISO_SECTOR), lba * ISO_SECTOR, `volume descriptor at sector ${lba}`);
      const id = f.ascii(1, 5);
      if (!VRS_IDS.has(id)) {
        // ECMA-167 2/8.4: on media with sectors larger than 2048 bytes each descriptor starts a sector, so
        // after a UDF descriptor the next one may stand 4096 bytes on (the slot between is the sector's rest).
        const prev = set.slots[set.slots.length - 1];
        if (prev && prev.kind === 'udf-recognition' && prev.lba === lba - 1 && prev.lba % 2 === 0) {
          const next = await src.read((lba + 1) * ISO_SECTOR, 8);
          if (next.length >= 6 && VRS_IDS.has(String.fromCharCode(...next.subarray(1, 6)))) continue;
        }
        // A blank or overwritten first slot: the descriptors after it (a boot record, Joliet) may still stand.
        if (lba === start) {
          const next = await nextDescriptorSlot(src, lba + 1);
          if (next !== null) {
            log.warn(
              'VD_BLANK_SLOT',
              `sector ${lba} holds no volume descriptor (the primary volume descriptor belongs there); the descriptor set continues at sector ${next}`,
              'volume descriptor set',
              f.base,
            );
            lba = next;
            continue outer;
          }
        }
        break outer;
      }
      const type = f.u8(0),
        version = f.u8(6);
      const slot: VolumeStructureDescriptor = { lba, id, type, version, kind: id === 'CD001' ? kindOf(type, version) : 'udf-recognition' };
      set.slots.push(slot);
      if (id !== 'CD001') {
        set.udfRecognition.push(id);
        continue;
      }
      try {
        if (slot.kind === 'primary') {
          const pvd = parsePrimaryVolumeDescriptor(f.sub(0, ISO_SECTOR, 'Primary Volume Descriptor'), lba, log);
          if (set.primary) log.warn('EXTRA_PVD', `a second Primary Volume Descriptor at sector ${lba} is ignored`, 'Primary Volume Descriptor', f.base);
          else set.primary = pvd;
        } else if (slot.kind === 'supplementary' || slot.kind === 'enhanced') {
          set.supplementary.push(parsePrimaryVolumeDescriptor(f.sub(0, ISO_SECTOR, 'Supplementary Volume Descriptor'), lba, log));
        } else if (slot.kind === 'boot-record') {
          set.bootRecords.push(parseBootRecord(f, lba));
        } else if (slot.kind === 'partition') {
          set.partitions.push(parseVolumePartitionDescriptor(f, lba, log));
        } else if (slot.kind === 'terminator') {
          set.terminatorLba ??= lba;
        } else {
          log.warn('VD_UNKNOWN_TYPE', `volume descriptor type ${type} at sector ${lba} is not defined by ECMA-119`, 'volume descriptor', f.base);
        }
      } catch (e) {
        log.fail(e, `volume descriptor at sector ${lba}`, f.base);
      }
    }
    if (bytes.length < VRS_BATCH * ISO_SECTOR) break; // the image ends here
  }
  if (set.slots.some((s) => s.id === 'CD001') && set.terminatorLba === null) {
    log.warn('VDS_NO_TERMINATOR', 'the ISO 9660 volume descriptor set has no terminator', 'volume descriptor set', start * ISO_SECTOR);
  }
  return set;
}
