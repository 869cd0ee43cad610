/**
 * Stage: the signatures of a Windows disc's own executables (setup.exe,
 * sources/*.exe|*.dll, bootmgr.efi, efi/boot/*.efi, with sources/' catalogs
 * where present), verified within DISC_SIGNATURE_BUDGET (32 MiB of file data,
 * 64 files: formats/pe/disc-files.ts), into `report.signatures.disc`. Only on
 * a disc that holds a Windows install image: other discs' EFI loaders are
 * the boot loaders stage's. Reads through the opening request (its budget
 * and cancel), with the WebAssembly hashers (one code path in the worker
 * and the CLI).
 */
import { wasmHashers } from '../../hash/wasm-hashers.ts';
import { DISC_SIGNATURE_BUDGET, verifyDiscFiles, type DiscSignatureBudget } from '../../formats/pe/disc-files.ts';
import { discSignaturesReport } from '../../report/signatures.ts';
import { guard, type InspectionContext } from '../context.ts';
import { treeWith } from '../walk.ts';

export async function readDiscSignatures(ctx: InspectionContext, budget: DiscSignatureBudget = DISC_SIGNATURE_BUDGET): Promise<void> {
  const { report, log } = ctx;
  if (!report.windows || report.kind === 'wim') return;
  const tree = (await treeWith(ctx.trees, 'sources', log)) ?? ctx.tree;
  if (!tree) return;
  const found = await guard(
    log,
    'signatures of the disc’s files',
    null,
    () => verifyDiscFiles(ctx.src, tree, log, { hashers: wasmHashers, budget, signal: ctx.options.signal }),
    null,
  );
  if (!found) return;
  report.signatures = { ...report.signatures, disc: discSignaturesReport(found) };
  report.stats.signaturesMs = found.ms;
}
