/**
 * The report's `filesystems.udf`: the UDF reader's descriptors (formats/udf/reader.ts,
 * named after ECMA-167 and OSTA UDF) mapped to the facts a person and udfinfo
 * compare: revision, identifiers, block and sector size, partitions, the
 * integrity descriptor.
 */
import { udfRevisionText, type PartitionMap } from '../formats/udf/descriptors.ts';
import type { UdfVolume } from '../formats/udf/reader.ts';

export interface UdfSummary {
  /** "1.02", "2.01", "2.50": from the domain identifier's suffix (UDF 2.1.5.3), else the file set's, else the LVID's minimum read revision. */
  revision: string;
  volumeId: string;
  logicalVolumeId: string;
  volumeSetId: string;
  fileSetId: string | null;
  blockSize: number;
  sectorSize: number;
  anchorSector: number;
  /** ISO 8601, the primary volume descriptor's recording time. */
  recorded: string | null;
  applicationId: string;
  /** Who wrote the volume ("*genisoimage", "*Microsoft CDIMAGE UDF"). */
  implementationId: string;
  usedReserveSequence: boolean;
  partitions: { number: number; contents: string; accessType: string; start: number; length: number }[];
  partitionMaps: PartitionMap[];
  /** Write-once media: the virtual allocation table found at the end of the recorded area, or null. */
  vat: null | { revision: '1.50' | '2.00'; sector: number; entries: number; previousVatLocation: number };
  integrity: null | {
    /**
     * 'close' when the volume was closed; on write-once media the LVID stays
     * open and the VAT records the closed state (as udfinfo reads it).
     */
    type: 'open' | 'close' | number;
    /** Where `type`, `files` and `directories` come from: the integrity descriptor, or the VAT. */
    from: 'lvid' | 'vat';
    recorded: string | null;
    files: number | null;
    directories: number | null;
    minReadRevision: string | null;
    minWriteRevision: string | null;
    maxWriteRevision: string | null;
    freeBlocks: number[];
    sizeBlocks: number[];
  };
  lvInfo: string[];
}

const ACCESS = ['unspecified', 'read-only', 'write-once', 'rewritable', 'overwritable'];

export function udfSummary(v: UdfVolume): UdfSummary {
  const lvid = v.integrity;
  // UDF 2.1.5.3: the domain identifier's suffix carries the revision the volume was written to.
  const domainRevision = v.logical.domainRevision || v.fileSet?.domainRevision || lvid?.minimumUdfReadRevision || 0;
  const rev = (r: number | null) => (r !== null ? udfRevisionText(r) : null);
  return {
    revision: udfRevisionText(domainRevision),
    volumeId: v.primary?.volumeIdentifier ?? '',
    logicalVolumeId: v.logical.logicalVolumeIdentifier,
    volumeSetId: v.primary?.volumeSetIdentifier ?? '',
    fileSetId: v.fileSet?.fileSetIdentifier ?? null,
    blockSize: v.logical.logicalBlockSize,
    sectorSize: v.sectorSize,
    anchorSector: v.anchorSector,
    recorded: v.primary?.recordingDateAndTime ?? null,
    applicationId: v.primary?.applicationIdentifier ?? '',
    implementationId: v.primary?.implementationIdentifier ?? '',
    usedReserveSequence: v.usedReserveSequence,
    partitions: v.partitions.map((p) => ({
      number: p.partitionNumber,
      contents: p.partitionContents,
      accessType: ACCESS[p.accessType] ?? String(p.accessType),
      start: p.partitionStartingLocation,
      length: p.partitionLength,
    })),
    partitionMaps: v.logical.partitionMaps.map((m) => ({ ...m })),
    vat: v.vat ? { revision: v.vat.revision, sector: v.vat.icbSector, entries: v.vat.entries.length, previousVatLocation: v.vat.previousVatLocation } : null,
    integrity: lvid
      ? {
          type: v.vat ? 'close' : lvid.integrityType,
          from: v.vat ? 'vat' : 'lvid',
          recorded: lvid.recordingDateAndTime,
          files: v.vat?.numberOfFiles ?? lvid.numberOfFiles,
          directories: v.vat?.numberOfDirectories ?? lvid.numberOfDirectories,
          minReadRevision: rev(lvid.minimumUdfReadRevision),
          minWriteRevision: rev(lvid.minimumUdfWriteRevision),
          maxWriteRevision: rev(lvid.maximumUdfWriteRevision),
          freeBlocks: lvid.freeSpaceTable,
          sizeBlocks: lvid.sizeTable,
        }
      : null,
    lvInfo: v.implementationUse?.lvInfo ?? [],
  };
}
