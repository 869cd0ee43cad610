/**
 * --verify-signatures [N]: every system file of every edition of the
 * install image (or of edition N) checked against its own signature and the
 * edition's catalogs (core/signatures.ts), into report.signatures.editions,
 * and printed: the counts, then the files that are not signed by Microsoft.
 *
 * Exit status (main.ts): 1 when a file claims Microsoft but fails (its
 * signature or catalog names Microsoft and does not verify to Microsoft's
 * anchors, or a Microsoft catalog lists its name with another hash), when a
 * catalog claims Microsoft but fails, or when an edition could not be
 * checked (no install image, no such image); otherwise 0 (files that are
 * simply not signed, or signed by others, are listed but do not fail).
 */
import type { ByteSource } from '../io/byte-source.ts';
import type { Disc } from '../core/disc.ts';
import { verifyEditionSignatures } from '../core/signatures.ts';
import { nestedTreeId } from '../formats/tree.ts';
import { formatBytes } from '../report/format.ts';
import type { EditionSignatures } from '../report/signatures.ts';
import type { Report } from '../report/types.ts';

/** Check `which` edition ('all', or an image number) of the install image into `report.signatures.editions`. */
export async function addEditionSignatures(disc: Disc, report: Report, which: 'all' | number, wimFile?: ByteSource): Promise<void> {
  const editions: EditionSignatures[] = [];
  report.signatures = { ...report.signatures, editions };
  const at = disc.installImage();
  const problem = (code: string, message: string) => report.errors.push({ code, message, structure: 'signatures', offset: null });
  if (!at) return void problem('SIGNATURES_NO_INSTALL_IMAGE', '--verify-signatures: no install image (sources/install.wim, .esd, .swm) to check');
  const { images, problems } = await disc.images(at.parent, at.path);
  report.warnings.push(...problems);
  const chosen = which === 'all' ? images : images.filter((i) => i.index === which);
  if (!chosen.length)
    return void problem(
      'SIGNATURES_NO_IMAGE',
      which === 'all'
        ? '--verify-signatures: the install image lists no image'
        : `--verify-signatures ${which}: the install image has no image ${which} (it has ${images.length})`,
    );
  // node:crypto's hashers: loaded only here (as for --hash).
  const { nodeHashers } = await import('../hash/node-hashers.ts');
  for (const img of chosen) {
    const r = await verifyEditionSignatures(disc, nestedTreeId(at.parent, at.path, img.index), { hashers: nodeHashers, label: img.label, wimFile });
    editions.push(r);
    if (r.status !== 'complete') problem('SIGNATURES_INCOMPLETE', `--verify-signatures: image ${img.label}: ${r.words}`);
  }
}

/** Whether --verify-signatures fails (see the top of this file). */
export function signaturesFail(report: Report): boolean {
  const editions = report.signatures?.editions;
  if (!editions?.length) return true;
  return editions.some((e) => e.status !== 'complete' || e.claimsMicrosoftButFails > 0 || e.catalogs.claimsMicrosoftButFails > 0);
}

/** The editions' results for the terminal: counts, the files not signed by Microsoft, the catalogs that are not Microsoft's. */
export function formatEditionSignatures(report: Report, maxFiles = 200): string {
  const editions = report.signatures?.editions;
  if (!editions) return '';
  const lines: string[] = [];
  if (!editions.length) lines.push('', 'Signatures: no edition could be checked (see the errors above).');
  for (const e of editions) {
    lines.push('', `Signatures, image ${e.label ?? e.image}: ${e.words}`);
    for (const f of e.files.slice(0, maxFiles)) lines.push(`  ${f.path}: ${f.words}`);
    const more = e.notSigned - Math.min(e.files.length, maxFiles);
    if (more > 0) lines.push(`  … and ${more.toLocaleString('en-US')} more (--json lists ${e.files.length.toLocaleString('en-US')})`);
    const c = e.catalogs;
    lines.push(
      `  Catalogs: ${c.total.toLocaleString('en-US')} read, ${c.microsoft.toLocaleString('en-US')} signed by Microsoft${c.notMicrosoft.length ? '; not by Microsoft:' : ''}`,
    );
    for (const k of c.notMicrosoft.slice(0, 20)) lines.push(`    ${k.path}: ${k.words}`);
    if (c.notMicrosoft.length > 20) lines.push(`    … and ${c.notMicrosoft.length - 20 + c.omitted} more`);
    const speed = e.bytesPerSecond ? `, ${formatBytes(e.bytesPerSecond)}/s` : '';
    lines.push(`  Read ${formatBytes(e.bytesRead)} of ${formatBytes(e.bytesTotal)} in ${(e.ms / 1000).toFixed(1)} s${speed}.`, `  ${e.note}`);
  }
  return lines.join('\n') + '\n';
}
