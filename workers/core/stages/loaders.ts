/**
 * Stage: who signed the UEFI boot loaders (EFI/BOOT/BOOT*.EFI in the tree,
 * else in the El Torito UEFI image). Only on discs that say they boot UEFI
 * (an El Torito UEFI entry, an EFI System partition): a data disc's tree is
 * not listed for them. Each signed loader is read whole and its Authenticode
 * signatures verified (formats/pe/verify.ts: the image digest with the
 * WebAssembly hashers, one code path in the worker and the CLI; the
 * signature and chain with WebCrypto), under UEFI firmware's rule that
 * expiry does not matter: 1 to 4 MiB per loader, alongside Windows
 * identification and after the disc's first answer.
 */
import { wasmHashers } from '../../hash/wasm-hashers.ts';
import { readEfiLoaders } from '../../formats/pe/efi-loaders.ts';
import { bootLoaderReports } from '../../report/secure-boot.ts';
import { guard, type InspectionContext } from '../context.ts';

export async function readLoaders(ctx: InspectionContext): Promise<void> {
  const { report, log } = ctx;
  const bootsUefi = (report.boot?.entries.some((e) => e.platform === 'uefi') ?? false) || report.partitions.entries.some((p) => /EFI System/i.test(p.typeName));
  if (!bootsUefi) return;
  const found = await guard(
    log,
    'UEFI boot loaders',
    null,
    () =>
      readEfiLoaders(
        ctx.src,
        ctx.tree,
        report.boot?.entries ?? [],
        log,
        ctx.options.verifySignatures === false ? undefined : { hashers: wasmHashers, options: { policy: 'uefi-firmware', signal: ctx.options.signal } },
      ),
    [],
  );
  if (found.length) report.bootLoaders = bootLoaderReports(found);
}
