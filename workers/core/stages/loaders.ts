/**
 * Stage: who signed the UEFI boot loaders (EFI/BOOT/BOOT*.EFI in the tree,
 * else in the El Torito UEFI image). Only on discs that say they boot UEFI
 * (an El Torito UEFI entry, an EFI System partition): a data disc's tree is
 * not listed for them. A few KiB each, read alongside Windows identification.
 */
import { readEfiLoaders } from '../../formats/pe/efi-loaders.ts';
import { bootLoaderReports } from '../../report/secure-boot.ts';
import { guard, type InspectionContext } from '../context.ts';

export async function readLoaders(ctx: InspectionContext): Promise<void> {
  const { report, log } = ctx;
  const bootsUefi = (report.boot?.entries.some((e) => e.platform === 'uefi') ?? false) || report.partitions.entries.some((p) => /EFI System/i.test(p.typeName));
  if (!bootsUefi) return;
  const found = await guard(log, 'UEFI boot loaders', null, () => readEfiLoaders(ctx.src, ctx.tree, report.boot?.entries ?? [], log), []);
  if (found.length) report.bootLoaders = bootLoaderReports(found);
}
