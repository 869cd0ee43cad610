/**
 * Stage: Windows. On a disc (or a stick), the tree that holds sources/ is
 * asked what Windows it installs (install.wim's header and XML, setup.exe's
 * version, ei.cfg, the label); a bare WIM file is read as one.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { identifyWimFile, identifyWindows } from '../../formats/windows/identify.ts';
import { guard, type InspectionContext } from '../context.ts';
import { treeWith } from '../walk.ts';

export async function readWindows(ctx: InspectionContext): Promise<void> {
  const { report, log, src } = ctx;
  const winTree = (await treeWith(ctx.trees, 'sources', log)) ?? ctx.tree;
  if (winTree) {
    const label = report.volume?.label ?? ctx.volumes.find((v) => v.volume.fat)?.volume.label ?? null;
    const windows = await guard(log, 'Windows install image', null, () => identifyWindows(src, winTree, label, log, ctx.today), null);
    if (windows) report.windows = { ...windows, imageTree: winTree.naming };
  } else if (!report.kind && (await looksLikeWim(src))) {
    report.windows = await guard(log, 'WIM header', 0, () => identifyWimFile(src, log, ctx.today), undefined);
    if (report.windows) report.kind = 'wim';
  }
}

/** A WIM's magic (wimlib header.h): "MSWIM\0\0\0", or "WLPWM\0\0\0" for a pipable one. */
export async function looksLikeWim(src: ByteSource): Promise<boolean> {
  const magic = new TextDecoder('latin1').decode(await src.read(0, 8));
  return magic === 'MSWIM\0\0\0' || magic === 'WLPWM\0\0\0';
}
