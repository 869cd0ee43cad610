/**
 * Stage 3: the volumes. A disc's primary (or, lacking one, Joliet's)
 * descriptor names the volume; a file with no disc structures is probed for
 * file systems named by their own boot sectors: the image's start (a bare
 * volume), else each partition's. A disc's system area and partitions
 * (hybrid ISOs point one at their El Torito EFI image) are not probed: the
 * disc's own structures describe it, and identification stays within its
 * few kilobytes.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import type { ProblemLog } from '../../io/problems.ts';
import type { PartitionInfo } from '../../formats/disk/partitions.ts';
import { ISO_SECTOR } from '../../formats/iso9660/descriptors.ts';
import { probeVolume, type ProbedVolume } from '../../formats/volumes/probe.ts';
import type { VolumeInfo } from '../../report/types.ts';
import { fileSystemVolume, jolietInfo, volumeInfo } from '../../report/volume-info.ts';
import { guard, type FoundVolume, type InspectionContext } from '../context.ts';

/** Partition types that hold no file system of their own (extended containers, the GPT protective entry). */
const CONTAINER_TYPES = new Set(['0x05', '0x0f', '0x85', '0xee']);
/** At most this many partitions are probed for a file system. */
const MAX_PROBED_PARTITIONS = 16;

export async function readVolumes(ctx: InspectionContext): Promise<void> {
  const { log, report, vds, src } = ctx;
  const isDisc = vds !== null && (vds.primary !== null || vds.supplementary.length > 0 || vds.udfRecognition.length > 0);
  if (!isDisc) {
    const bare = await guard<ProbedVolume | null>(log, 'volume boot sector', 0, () => probeVolume(src, 0, src.size, log), null);
    ctx.volumes = bare ? [{ volume: bare, partition: null }] : await partitionVolumes(src, ctx.partitions, log);
  }
  report.volumes = ctx.volumes.map((v) => fileSystemVolume(v.volume, v.partition));

  const pvd = vds?.primary ?? null;
  const joliet = vds?.supplementary.find((s) => s.jolietLevel !== null) ?? null;
  if (pvd) {
    report.kind = 'iso9660';
    report.filesystems.iso9660 = true;
    report.volume = volumeInfo(pvd);
    checkVolumeExtent(report.volume, src.size, log);
  }
  if (joliet) report.filesystems.joliet = jolietInfo(joliet, pvd);
  if (!pvd && joliet) {
    // No primary descriptor, but Joliet's still describes the volume and its tree (the damage is reported by the descriptor reader).
    report.kind = 'iso9660';
    report.volume = volumeInfo(joliet);
    checkVolumeExtent(report.volume, src.size, log);
  }
}

/** Name the file system of each partition (its boot sector or superblock), side by side. */
async function partitionVolumes(src: ByteSource, partitions: PartitionInfo, log: ProblemLog): Promise<FoundVolume[]> {
  const found = await Promise.all(
    partitions.entries.slice(0, MAX_PROBED_PARTITIONS).map(async (e) => {
      const offset = e.start * 512;
      const length = Math.min(e.count * 512, src.size - offset);
      if (CONTAINER_TYPES.has(e.type) || e.count === 0 || offset >= src.size) return null;
      const volume = await guard(log, 'partition boot sector', offset, () => probeVolume(src, offset, length, log), null);
      return volume ? { volume, partition: e.index } : null;
    }),
  );
  return found.filter((v) => v !== null);
}

function checkVolumeExtent(v: VolumeInfo, size: number, log: ProblemLog): void {
  if (v.blockSize !== 2048) {
    log.warn('ODD_BLOCK_SIZE', `logical block size is ${v.blockSize}; nearly every disc uses 2048`, 'Primary Volume Descriptor', 16 * ISO_SECTOR + 128);
  }
  if (v.volumeBytes > size) {
    log.warn('IMAGE_TRUNCATED', `The image ends at ${size} bytes but its volume says ${v.volumeBytes}`, 'Primary Volume Descriptor', 16 * ISO_SECTOR + 80);
  }
}
