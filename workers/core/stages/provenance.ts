/**
 * Stage: how the disc was made (provenance signals, docs/provenance.md) for
 * a Windows image; for any other disc, what it says it is (os-identity.ts)
 * and whether its size is a catalogued release's.
 */
import { findEntry, type TreeReader } from '../../formats/tree.ts';
import { identifyOs } from '../../formats/os-identity.ts';
import { provenanceOf, sizeOnlyProvenance, type ProvenanceFacts } from '../../report/provenance.ts';
import type { Report } from '../../report/types.ts';
import { guard, type InspectionContext } from '../context.ts';
import { treeWith } from '../walk.ts';

export async function readProvenance(ctx: InspectionContext): Promise<void> {
  const { report, log } = ctx;
  if (report.windows) {
    const facts = await guard(log, 'provenance signals', null, () => provenanceFacts(ctx, report.windows!), null);
    if (facts) report.provenance = provenanceOf(facts);
    return;
  }
  // Not a Windows image, but of a catalogued release's exact size: say so (and that hashing settles it).
  const p = sizeOnlyProvenance(report.file.size);
  if (p) report.provenance = p;
  const os = await guard(log, 'operating system identity', null, () => identifyOs(ctx.src, ctx.tree, report.volume, log), null);
  if (os) report.os = os;
}

/** What the provenance signals look at: the first levels of the trees (listings the identification already made, kept by memoTree). */
async function provenanceFacts(ctx: InspectionContext, windows: NonNullable<Report['windows']>): Promise<ProvenanceFacts> {
  const { report, log } = ctx;
  const names = async (tree: TreeReader<unknown> | null | undefined, path: string): Promise<string[]> => {
    if (!tree) return [];
    const dir = path ? await findEntry(tree, path, log) : tree.root;
    return dir?.dir ? (await tree.list(dir, log)).map((e) => e.name) : [];
  };
  const plainIso = ctx.trees.find((t) => t.naming === 'iso9660') ?? null;
  const winTree = (await treeWith(ctx.trees, 'sources', log)) ?? ctx.tree;
  return {
    fileSize: report.file.size,
    volume: report.volume,
    filesystems: report.filesystems,
    boot: report.boot,
    windows,
    isoRoot: plainIso ? await names(plainIso, '') : null,
    root: await names(winTree, ''),
    sources: await names(winTree, 'sources'),
    padding: await paddingAfterVolume(ctx),
  };
}

/**
 * Where the disc inside the file ends (the ISO 9660 volume space, or the end
 * of UDF's last partition), and whether the rest of the file is zeros,
 * sampled at its start, middle and end (three 4 KiB reads): how a rebuilt
 * image is padded to a release's size.
 */
async function paddingAfterVolume(ctx: InspectionContext): Promise<ProvenanceFacts['padding']> {
  const { report, src } = ctx;
  const udf = report.filesystems.udf;
  const udfEnd = udf ? Math.max(0, ...udf.partitions.map((p) => (p.start + p.length) * udf.blockSize)) : 0;
  const volumeEnd = Math.max(report.volume?.volumeBytes ?? 0, udfEnd);
  if (volumeEnd === 0 || src.size - volumeEnd < 1 << 20) return null;
  const at = [volumeEnd, Math.floor((volumeEnd + src.size) / 2 / 4096) * 4096, src.size - 4096];
  const samples = await Promise.all(at.map((o) => src.read(o, 4096)));
  return { volumeEnd, zeros: samples.every((b) => b.every((x) => x === 0)) };
}
