/**
 * The registry of tree formats: every file-system tree a disc can carry,
 * best first (the order in which the file browser and identification prefer
 * them). One line per format: its reader (a TreeFormat in its folder under
 * formats/) and, where the report says what it found about the volume, the
 * mapper that says it.
 */
import type { TreeReader } from '../formats/tree.ts';
import type { DiscStructures, NestedTreeFormat, TreeFormat } from '../formats/tree-format.ts';
import { udfTrees } from '../formats/udf/tree-format.ts';
import { iso9660Trees, type Iso9660Found } from '../formats/iso9660/tree-format.ts';
import { fatTrees } from '../formats/fat/tree-format.ts';
import { wimTrees } from '../formats/wim/tree.ts';
import type { UdfReader } from '../formats/udf/reader.ts';
import { udfSummary } from '../report/udf-summary.ts';
import { udfVolumeInfo } from '../report/volume-info.ts';
import type { InspectionContext } from './context.ts';

/** A registered format: opens its trees on a disc and fills in the report's part about them. */
export type DiscTreeFormat = (ctx: InspectionContext) => Promise<TreeReader<unknown>[]>;

function register<F>(format: TreeFormat<F>, report?: (found: F, ctx: InspectionContext) => void): DiscTreeFormat {
  return async (ctx) => {
    const opened = await format.open(structuresOf(ctx));
    if (!opened) return [];
    report?.(opened.found, ctx);
    return opened.trees;
  };
}

export const DISC_TREE_FORMATS: readonly DiscTreeFormat[] = [register(udfTrees, reportUdf), register(iso9660Trees, reportIso9660), register(fatTrees)];

/** Formats whose trees live inside a file of another tree. */
export const NESTED_TREE_FORMATS: readonly NestedTreeFormat<unknown>[] = [wimTrees];

function structuresOf(ctx: InspectionContext): DiscStructures {
  return { image: ctx.src, log: ctx.log, vds: ctx.vds, sessionStart: ctx.sessionStart, volumes: ctx.volumes.map((v) => v.volume) };
}

function reportUdf(udf: UdfReader, { report, src }: InspectionContext): void {
  report.filesystems.udf = udfSummary(udf.volume);
  report.kind ??= 'udf';
  if (!report.volume) report.volume = udfVolumeInfo(udf, src.size);
}

function reportIso9660(found: Iso9660Found, { report }: InspectionContext): void {
  report.filesystems.rockRidge = found.rockRidge;
  report.filesystems.rockRidgeId = found.rockRidgeId;
}
