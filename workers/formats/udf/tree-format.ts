/**
 * UDF's tree (ECMA-167 part 4, OSTA UDF 2.60): the volume is opened from its
 * anchor (at sector 256 of the chosen session, else N−256 or N−1, at the
 * block sizes UDF media use that its recognition sequence allows, in
 * udfinfo's and blkid's order), and its file set's root is the tree.
 */
import { VRS_START_LBA } from '../iso9660/descriptors.ts';
import type { TreeFormat } from '../tree-format.ts';
import { memoTree } from '../tree.ts';
import { recognitionOf, UdfReader } from './reader.ts';

export const udfTrees: TreeFormat<UdfReader> = {
  async open({ image, log, vds, sessionStart }) {
    const nsr = vds?.udfRecognition.some((id) => id === 'NSR02' || id === 'NSR03') ?? false;
    // The recognition sequence's spacing decides the block sizes tried (reader.ts findAnchor), from the slots already read.
    const recognition = nsr && vds ? recognitionOf(vds.slots, sessionStart + VRS_START_LBA) : false;
    let udf: UdfReader | null;
    try {
      udf = await UdfReader.open(image, log, recognition, sessionStart);
    } catch (e) {
      log.fail(e, 'UDF volume', (sessionStart + 256) * 2048);
      return null;
    }
    if (!udf) return null;
    const tree = udf.tree();
    return { trees: tree ? [memoTree(tree)] : [], found: udf };
  },
};
