/**
 * The report's `volume` (the facts a person reads first: label, size, dates)
 * from whichever structure describes the volume: the ISO 9660 primary (or
 * Joliet) descriptor, the UDF descriptors, or a bare volume's boot sector;
 * and the report's `volumes`, the file systems found by their own boot
 * sectors (docs/report.md).
 */
import type { IdentifierField, PrimaryVolumeDescriptor } from '../formats/iso9660/descriptors.ts';
import { joinJolietWithPrimary, jolietFieldEmpty, primaryField, primaryFieldEmpty, trimC, ucs2Field } from '../formats/iso9660/joliet.ts';
import type { UdfReader } from '../formats/udf/reader.ts';
import type { ProbedVolume, VolumeType } from '../formats/volumes/probe.ts';
import { formatBytes } from './format.ts';
import type { VolumeInfo } from './types.ts';

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

/** A pure UDF image (no ISO 9660): the volume facts come from UDF's descriptors. */
export function udfVolumeInfo(udf: UdfReader, size: number): VolumeInfo {
  const v = udf.volume;
  const blockCount = Math.floor(size / v.sectorSize);
  return {
    label: v.primary?.volumeIdentifier ?? v.logical.logicalVolumeIdentifier,
    systemId: '',
    volumeSetId: v.primary?.volumeSetIdentifier ?? '',
    publisherId: '',
    preparerId: '',
    applicationId: v.primary?.applicationIdentifier ?? '',
    copyrightFileId: '',
    abstractFileId: '',
    bibliographicFileId: '',
    created: v.primary?.recordingDateAndTime ?? null,
    modified: v.integrity?.recordingDateAndTime ?? null,
    expires: null,
    effective: null,
    blockSize: v.sectorSize,
    blockCount,
    volumeSetSize: v.primary?.maximumVolumeSequenceNumber ?? 1,
    volumeSequenceNumber: v.primary?.volumeSequenceNumber ?? 1,
    pathTableSize: 0,
    pathTableL: 0,
    pathTableM: 0,
    volumeBytes: blockCount * v.sectorSize,
  };
}

/** One file system named by its own boot sector. */
export interface FileSystemVolume {
  /** "fat12", "fat16", "fat32", "exfat", "ntfs", "hpfs", "bitlocker", "befs" (blkid's TYPE is "vfat" for the three FATs). */
  type: VolumeType;
  /** The partition it fills (its index in `partitions.entries`), or null for a bare volume at the image's start. */
  partition: number | null;
  /** Absolute byte offset in the image. */
  offset: number;
  /** Bytes the volume says it spans, or null when it does not say. */
  size: number | null;
  label: string | null;
  /** Serial number or UUID, as blkid prints it ("AD74-BFD5", 16 hex digits for NTFS). */
  serial: string | null;
  sectorSize: number | null;
  clusterSize: number | null;
  version: string | null;
}

export function fileSystemVolume(v: ProbedVolume, partition: number | null): FileSystemVolume {
  return {
    type: v.type,
    partition,
    offset: v.offset,
    size: v.size,
    label: v.label,
    serial: v.serial,
    sectorSize: v.sectorSize,
    clusterSize: v.clusterSize,
    version: v.version,
  };
}

const TYPE_NAMES: Record<VolumeType, string> = {
  fat12: 'FAT12',
  fat16: 'FAT16',
  fat32: 'FAT32',
  exfat: 'exFAT',
  ntfs: 'NTFS',
  hpfs: 'HPFS',
  bitlocker: 'BitLocker',
  befs: 'BeFS',
};

export function volumeTypeName(type: VolumeType): string {
  return TYPE_NAMES[type];
}

/** A bare volume's `volume`: label and extent from its boot sector; the ISO-only fields empty. */
export function bareVolumeInfo(v: ProbedVolume, imageSize: number): VolumeInfo {
  const blockSize = v.sectorSize ?? 512;
  const volumeBytes = v.size ?? imageSize;
  return {
    label: v.label ?? '',
    systemId: TYPE_NAMES[v.type],
    volumeSetId: '',
    publisherId: '',
    preparerId: '',
    applicationId: '',
    copyrightFileId: '',
    abstractFileId: '',
    bibliographicFileId: '',
    created: null,
    modified: null,
    expires: null,
    effective: null,
    blockSize,
    blockCount: Math.floor(volumeBytes / blockSize),
    volumeSetSize: 1,
    volumeSequenceNumber: 1,
    pathTableSize: 0,
    pathTableL: 0,
    pathTableM: 0,
    volumeBytes,
  };
}

/** "FAT32 "WINSTICK" (AD74-BFD5, 4 KiB clusters)" */
export function describeVolume(v: FileSystemVolume): string {
  const facts = [
    v.serial,
    v.clusterSize ? `${formatBytes(v.clusterSize)} clusters` : null,
    v.type === 'bitlocker' ? 'encrypted: its contents cannot be read' : null,
  ].filter(Boolean);
  return `${volumeTypeName(v.type)}${v.label ? ` "${v.label}"` : ''}${facts.length ? ` (${facts.join(', ')})` : ''}`;
}

/** The Joliet supplementary descriptor's own identifiers (ECMA-119 §8.5 in UCS-2), and the ones blkid shows. */
export interface JolietInfo {
  level: 1 | 2 | 3;
  volumeId: string;
  systemId: string;
  volumeSetId: string;
  publisherId: string;
  preparerId: string;
  applicationId: string;
  /**
   * The volume's label in full: Joliet holds 16 UCS-2 characters, the primary
   * descriptor 32 of a restricted ASCII ("_" for what it cannot hold). Where
   * Joliet's is a prefix of the primary's (ignoring case and "_"), the two are
   * joined: Joliet's characters, then the rest of the primary's (as blkid
   * reconstructs LABEL); else Joliet's own.
   */
  label: string;
  /**
   * The identifiers as blkid shows them for this volume (util-linux 2.38:
   * SYSTEM_ID, VOLUME_SET_ID, PUBLISHER_ID, DATA_PREPARER_ID,
   * APPLICATION_ID), joined from Joliet's and the primary's as `label` is
   * (Joliet holds 64 characters of the 128 the primary holds, 16 of 32 for the
   * system id); where they disagree, Joliet's own; a publisher, preparer or
   * application id Joliet leaves empty (or starting with "_") is the
   * primary's. White space trimmed at both ends; null where blkid shows none.
   */
  joined: {
    systemId: string | null;
    volumeSetId: string | null;
    publisherId: string | null;
    preparerId: string | null;
    applicationId: string | null;
  };
}

export function jolietInfo(svd: PrimaryVolumeDescriptor, pvd: PrimaryVolumeDescriptor | null): JolietInfo {
  const joined = (field: IdentifierField, emptyFallsBack: boolean): string | null => {
    const j = svd.identifierBytes[field];
    const p = pvd?.identifierBytes[field];
    let shown: string;
    if (!p) shown = ucs2Field(j);
    else if (emptyFallsBack && jolietFieldEmpty(j)) shown = primaryFieldEmpty(p) ? '' : primaryField(p);
    else shown = (emptyFallsBack && primaryFieldEmpty(p) ? null : joinJolietWithPrimary(j, p)) ?? ucs2Field(j);
    return trimC(shown) || null;
  };
  return {
    level: svd.jolietLevel ?? 1,
    volumeId: svd.volumeId,
    systemId: svd.systemId,
    volumeSetId: svd.volumeSetId,
    publisherId: svd.publisherId,
    preparerId: svd.dataPreparerId,
    applicationId: svd.applicationId,
    label: pvd
      ? trimC(joinJolietWithPrimary(svd.identifierBytes.volume, pvd.identifierBytes.volume) ?? ucs2Field(svd.identifierBytes.volume), false)
      : svd.volumeId,
    joined: {
      systemId: joined('system', false),
      volumeSetId: joined('volumeSet', false),
      publisherId: joined('publisher', true),
      preparerId: joined('preparer', true),
      applicationId: joined('application', true),
    },
  };
}
