/**
 * Stage: the trees. Every registered format (tree-formats.ts) is asked for
 * its trees at once; the best one whose root can be read is the disc's tree.
 * A bare volume (no disc structures) names the report's kind and volume.
 */
import { bareVolumeInfo, volumeTypeName } from '../../report/volume-info.ts';
import type { InspectionContext } from '../context.ts';
import { DISC_TREE_FORMATS } from '../tree-formats.ts';
import { firstReadableTree } from '../walk.ts';

export async function openTrees(ctx: InspectionContext): Promise<void> {
  const { report, log, src } = ctx;
  const found = await Promise.all(DISC_TREE_FORMATS.map((open) => open(ctx)));
  ctx.trees = found.flat();
  const bare = ctx.volumes.find((v) => v.partition === null)?.volume;
  if (bare && !report.kind) {
    report.kind = bare.type === 'fat12' || bare.type === 'fat16' || bare.type === 'fat32' ? 'fat' : bare.type;
    report.volume = bareVolumeInfo(bare, src.size);
    if (report.volume.volumeBytes > src.size)
      log.warn(
        'IMAGE_TRUNCATED',
        `The image ends at ${src.size} bytes but its ${volumeTypeName(bare.type)} volume says ${report.volume.volumeBytes}`,
        `${volumeTypeName(bare.type)} boot sector`,
        0,
      );
  }
  ctx.tree = await firstReadableTree(ctx.trees, log);
  report.trees = ctx.trees.map((t) => t.naming);
}
