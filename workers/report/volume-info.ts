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
import type { FileSystemVolume, JolietInfo, VolumeInfo } from './types.ts';

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
