/**
 * Stage: the files. One walk names the boot files (the boot catalog and each
 * boot image, by the offset their data starts at) and, with --files, lists
 * everything: the best tree with --files, else a walk of the ISO 9660 tree
 * bounded to a few KiB of directories. Files the best tree cannot place (UDF
 * records the boot catalog with no data) are looked up in the ISO 9660 tree
 * afterwards.
 */
import { ISO_SECTOR } from '../../formats/iso9660/descriptors.ts';
import type { InspectionContext } from '../context.ts';
import { listFiles, walkForPaths } from '../walk.ts';

/** Quick mode reads at most this much directory data to find boot image paths. */
const QUICK_DIRECTORY_BUDGET = 24 * 1024;

const ISO_NAMINGS = new Set(['rockridge', 'joliet', 'iso9660']);

export async function readFiles(ctx: InspectionContext): Promise<void> {
  const { report, log, options } = ctx;
  const wanted = new Map<number, string | null>();
  if (report.boot) {
    wanted.set(report.boot.catalogLba * ISO_SECTOR, null);
    for (const e of report.boot.entries) wanted.set(e.lba * ISO_SECTOR, null);
  }
  // The primary descriptor's best tree (a Joliet-only disc's boot files are not named).
  const isoTree = ctx.vds?.primary ? (ctx.trees.find((t) => ISO_NAMINGS.has(t.naming)) ?? null) : null;
  const budget = options.files ? null : (options.quickDirectoryBudget ?? QUICK_DIRECTORY_BUDGET);
  if (options.files) {
    report.files = ctx.tree ? await listFiles(ctx.tree, log, wanted) : [];
    report.filesFrom = ctx.tree?.naming ?? null;
  }
  if (isoTree && (([...wanted.values()].includes(null) && ctx.tree !== isoTree) || (!options.files && wanted.size > 0)))
    await walkForPaths(isoTree, wanted, budget, log);
  if (report.boot) {
    report.boot.catalogPath = wanted.get(report.boot.catalogLba * ISO_SECTOR) ?? null;
    for (const e of report.boot.entries) e.path = wanted.get(e.lba * ISO_SECTOR) ?? null;
  }
}
