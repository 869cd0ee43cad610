/**
 * Stage 1: how the file holds its sectors, and the structures at its start.
 *
 * The system area (MBR, GPT, APM) and the volume descriptor set are read side
 * by side with the check for raw sectors (a BIN's sync pattern): in a
 * browser each read of a File is a round trip to the browser process, and
 * independent reads issued together cost about one. A file that stores whole
 * raw sectors (BIN, NRG, a CUE sheet's track) is then read again through
 * its 2048-byte user data, and what the first readers said of it is dropped.
 */
import { ProblemLog } from '../../io/problems.ts';
import { SectorMappedSource } from '../../io/sector-source.ts';
import { parseCue } from '../../formats/disk/cue.ts';
import { readPartitions } from '../../formats/disk/partitions.ts';
import { sectorLayout, startsWithSync } from '../../formats/disk/raw-sectors.ts';
import { ISO_SECTOR, readVolumeDescriptorSet, type VolumeDescriptorSet } from '../../formats/iso9660/descriptors.ts';
import { guard, type InspectionContext } from '../context.ts';

export async function readLayout(ctx: InspectionContext): Promise<void> {
  const { log, report } = ctx;
  if (report.file.size === 0) {
    log.error('EMPTY_FILE', 'The file is empty (0 bytes): not a disc image', 'file', 0);
    ctx.stopped = true;
    return;
  }
  const cue = ctx.options.cue ?? (ctx.options.cueText !== undefined ? parseCue(ctx.options.cueText) : null);
  const firstLog = new ProblemLog();
  firstLog.budget = log.budget;
  const [[partitions, vds], sync] = await Promise.all([
    readStart(ctx, firstLog),
    cue ? false : guard(log, 'sector sync', 0, () => startsWithSync(ctx.src), false),
  ]);
  const recognised = (vds !== null && (vds.primary !== null || vds.udfRecognition.length > 0)) || partitions.scheme !== null;
  const layout = await guard(log, 'sector layout', 0, () => sectorLayout(ctx.src, cue, sync, recognised), null);
  if (layout?.audioOnly) {
    report.kind = 'audio-cd';
    report.sectors = layout.summary;
    ctx.stopped = true;
    return;
  }
  if (layout?.mapping) {
    const mapping = layout.mapping;
    ctx.image = ctx.image.layered((file) => new SectorMappedSource(file, mapping));
    ctx.src = ctx.image.view(ctx.request);
    report.sectors = layout.summary;
    [ctx.partitions, ctx.vds] = await readStart(ctx, log);
  } else {
    firstLog.replayInto(log);
    ctx.partitions = partitions;
    ctx.vds = vds;
  }
}

/** The system area and the volume descriptor set, read side by side. */
function readStart(ctx: InspectionContext, log: ProblemLog) {
  return Promise.all([
    guard(log, 'system area', 0, () => readPartitions(ctx.src, log), ctx.report.partitions),
    guard<VolumeDescriptorSet | null>(log, 'volume descriptor set', 16 * ISO_SECTOR, () => readVolumeDescriptorSet(ctx.src, log), null),
  ]);
}
