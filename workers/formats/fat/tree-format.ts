/**
 * A FAT volume's tree (fatgen103): a USB stick saved as an image, bare or in
 * a partition. The volume was opened when its boot sector was probed
 * (volumes/probe.ts); the first one found is the tree.
 */
import type { TreeFormat } from '../tree-format.ts';
import { memoTree } from '../tree.ts';
import type { FatVolume } from './fat.ts';

export const fatTrees: TreeFormat<FatVolume> = {
  async open({ volumes }) {
    const fat = volumes.find((v) => v.fat)?.fat ?? null;
    return fat ? { trees: [memoTree(fat)], found: fat } : null;
  },
};
