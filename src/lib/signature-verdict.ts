/**
 * How the views style a verified signature's verdict (report/signatures.ts,
 * report/secure-boot.ts): which of five kinds it is, and the words a chain is
 * shown with. Formatting only: every fact comes from the report.
 *
 *   microsoft  signed by Microsoft (its own signature, or a Microsoft catalog), verified
 *   other      a correct signature, by a certificate not from Microsoft
 *   changed    changed after it was signed (or its signature does not verify)
 *   claims     a signature or catalog that only claims Microsoft's name
 *   unsigned   not signed (no signature of its own, in no catalog)
 *   unchecked  not checked, or could not be (past the read budget, unreadable, MD5)
 */
import type { CatalogReport, EditionSignatures, SignedFile } from '../../workers/report/signatures.ts';
import type { BootLoaderReport, VerifiedSignature } from '../../workers/report/secure-boot.ts';

export type VerdictKind = 'microsoft' | 'other' | 'changed' | 'claims' | 'unsigned' | 'unchecked';

/** A short name for each kind (said beside the icon, so colour is never the only sign). */
export const KIND_NAMES: Record<VerdictKind, string> = {
  microsoft: 'signed by Microsoft',
  other: 'not Microsoft',
  changed: 'changed after signing',
  claims: 'only claims Microsoft',
  unsigned: 'not signed',
  unchecked: 'not checked',
};

export const KIND_ICONS: Record<VerdictKind, string> = {
  microsoft: '✔',
  other: '•',
  changed: '✘',
  claims: '✘',
  unsigned: '○',
  unchecked: '–',
};

/** One signature's verification. */
export function signatureKind(v: VerifiedSignature): VerdictKind {
  switch (v.status) {
    case 'valid':
      return v.microsoft ? 'microsoft' : 'other';
    case 'untrusted-chain':
      return v.claimsMicrosoft && v.code !== 'AUTHENTICODE_CERT_NOT_TIME_VALID' ? 'claims' : 'other';
    case 'digest-mismatch':
    case 'bad-signature':
      return 'changed';
    case 'unsigned':
      return 'unsigned';
    case 'cannot-check':
      return 'unchecked';
  }
}

/** One file's verdict (the disc's own files, an edition's). */
export function fileKind(f: Pick<SignedFile, 'verdict' | 'microsoft' | 'claimsMicrosoftButFails' | 'signature'>): VerdictKind {
  if (f.microsoft) return 'microsoft';
  if (f.verdict === 'changed-after-signing') return 'changed';
  if (f.claimsMicrosoftButFails) return 'claims';
  switch (f.verdict) {
    case 'signed-not-microsoft':
    case 'catalog-not-microsoft':
      return 'other';
    case 'embedded-invalid':
      // A signature that does not verify is 'changed'; one that cannot be read or checked (MD5) is not checked.
      return f.signature && f.signature.status !== 'cannot-check' ? signatureKind(f.signature) : 'unchecked';
    case 'not-in-catalog':
      return 'unsigned';
    default:
      return 'unchecked';
  }
}

export function catalogKind(c: CatalogReport): VerdictKind {
  if (c.microsoft) return 'microsoft';
  if (c.status === 'unreadable') return 'unchecked';
  if (c.claimsMicrosoft && c.status !== 'valid' && c.code !== 'AUTHENTICODE_CERT_NOT_TIME_VALID') return 'claims';
  return c.verified ? signatureKind(c.verified) : 'unsigned';
}

/** A UEFI loader: its best verified signature (a Microsoft one), else the most telling failure (as secureBootLine says it). */
export function loaderKind(l: BootLoaderReport): VerdictKind {
  if (l.unreadable) return 'unchecked';
  if (!l.signatures.length) return 'unsigned';
  const verified = l.signatures.flatMap((s) => (s.verified ? [s.verified] : []));
  if (!l.verification || !verified.length) return 'unchecked';
  if (verified.some((v) => v.status === 'valid' && v.microsoft)) return 'microsoft';
  const order: VerdictKind[] = ['changed', 'claims', 'other', 'unchecked', 'unsigned'];
  return verified.map(signatureKind).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0]!;
}

/** The edition check's overall kind: any file or catalog failing a claim to be Microsoft's first. */
export function editionKind(e: EditionSignatures): VerdictKind {
  if (e.claimsMicrosoftButFails || e.catalogs.claimsMicrosoftButFails) return 'claims';
  if (e.status !== 'complete') return 'unchecked';
  return e.notSigned === 0 ? 'microsoft' : 'other';
}

/** Which certificate dates were checked, in words. */
export function datesWords(v: VerifiedSignature): string {
  switch (v.validAt) {
    case 'signing-time':
      return 'checked at the time it was signed, which a verified timestamp gives';
    case 'now':
      return 'checked against today’s date (no verified timestamp says when it was signed)';
    case 'not-checked':
      return 'not checked, as UEFI firmware does not check them (it has no trusted clock)';
  }
}

/** The common name of a subject in OpenSSL's one-line form ("/C=US/O=…/CN=Microsoft Windows"), else the whole name. */
export function commonName(subject: string): string {
  return /\/CN=([^/]+)/.exec(subject)?.[1] ?? subject;
}
