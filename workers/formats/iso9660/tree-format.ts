/**
 * ISO 9660's trees (ECMA-119 §6.8), under the namings a disc carries, best
 * first: Rock Ridge (the primary tree with SUSP entries, IEEE P1282 / RRIP),
 * Joliet (the supplementary descriptor's UCS-2 tree) and the plain
 * identifiers. A disc with no primary descriptor but a Joliet one still has
 * Joliet's tree.
 */
import { Fields } from '../../io/bytes.ts';
import type { TreeFormat } from '../tree-format.ts';
import { memoTree, type TreeReader } from '../tree.ts';
import { parseDirectoryRecord } from './descriptors.ts';
import { extensionIds, hasRockRidge, parseSuspIndicator, readSuspEntries } from './rockridge.ts';
import { IsoTreeReader, type IsoDirRef } from './tree.ts';

export interface Iso9660Found {
  rockRidge: boolean;
  /** The SUSP ER extension id, e.g. RRIP_1991A. */
  rockRidgeId: string | null;
  /** The best of the primary descriptor's trees (null without one). */
  best: TreeReader<IsoDirRef> | null;
}

export const iso9660Trees: TreeFormat<Iso9660Found> = {
  async open({ image, log, vds }) {
    const pvd = vds?.primary ?? null;
    const joliet = vds?.supplementary.find((s) => s.jolietLevel !== null) ?? null;
    const jolietTree = joliet ? memoTree(new IsoTreeReader(image, joliet.root, 'joliet', joliet.logicalBlockSize, 0)) : null;
    if (!pvd) return jolietTree ? { trees: [jolietTree], found: { rockRidge: false, rockRidgeId: null, best: null } } : null;
    const bs = pvd.logicalBlockSize;
    const rootOffset = pvd.root.extent * bs;
    try {
      // The root's "." record carries SUSP's SP entry (IEEE P1281 §5.3) when the tree has Rock Ridge names.
      const bytes = await image.read(rootOffset, 2048);
      const dot = parseDirectoryRecord(new Fields(bytes, rootOffset, 'ISO 9660 root directory'), 0, log);
      const sp = parseSuspIndicator(dot.systemUse);
      let rockRidgeId: string | null = null;
      let rockRidge = false;
      if (sp) {
        const entries = await readSuspEntries(image, dot.systemUse, dot.systemUseOffset, 0, bs, log);
        rockRidgeId = extensionIds(entries).find((id) => /RRIP|1282/.test(id)) ?? null;
        rockRidge = rockRidgeId !== null || hasRockRidge(entries);
      }
      const trees: TreeReader<IsoDirRef>[] = [];
      if (rockRidge && sp) trees.push(memoTree(new IsoTreeReader(image, pvd.root, 'rockridge', bs, sp.lenSkip)));
      if (jolietTree) trees.push(jolietTree);
      trees.push(memoTree(new IsoTreeReader(image, pvd.root, 'iso9660', bs, 0)));
      return { trees: trees, found: { rockRidge, rockRidgeId, best: trees[0]! } };
    } catch (e) {
      log.fail(e, 'ISO 9660 root directory', rootOffset);
      return null;
    }
  },
};
