/**
 * The UEFI boot loaders' signatures as the report carries them, and which of
 * Microsoft's Secure Boot certificates each one names.
 *
 * The four Microsoft CAs and what replaced what are Microsoft's (KB5062713,
 * "Windows Secure Boot certificate expiration and CA updates", 2025):
 *   Microsoft Windows Production PCA 2011 → Windows UEFI CA 2023 (the Windows boot manager)
 *   Microsoft Corporation UEFI CA 2011    → Microsoft UEFI CA 2023 (third-party loaders: shim, …)
 * When the loaders' signatures were verified (formats/pe/verify.ts, under
 * UEFI firmware's rule: dates are not checked), the CA is the Secure Boot db
 * anchor the verified chain reaches: the exact certificate, never its name.
 * When they were only read, the CA is recognised by its common name and
 * organisation (O=Microsoft Corporation) as the signature carries them, and
 * every sentence built from that says it was not checked.
 */
import type { DistinguishedName } from '../formats/pe/der.ts';
import type { EfiLoader } from '../formats/pe/efi-loaders.ts';
import type { SignatureVerification } from '../formats/pe/verify.ts';

export type MicrosoftCa = 'windows-pca-2011' | 'windows-uefi-ca-2023' | 'uefi-ca-2011' | 'uefi-ca-2023';

/** The Secure Boot db anchors (formats/pe/trust-anchors.ts keys) that verified chains reach. */
const DB_ANCHORS: Record<string, MicrosoftCa> = {
  'microsoft-windows-production-pca-2011': 'windows-pca-2011',
  'windows-uefi-ca-2023': 'windows-uefi-ca-2023',
  'microsoft-corporation-uefi-ca-2011': 'uefi-ca-2011',
  'microsoft-uefi-ca-2023': 'uefi-ca-2023',
};

const MICROSOFT_CAS: Record<string, MicrosoftCa> = {
  'Microsoft Windows Production PCA 2011': 'windows-pca-2011',
  'Windows UEFI CA 2023': 'windows-uefi-ca-2023',
  'Microsoft Corporation UEFI CA 2011': 'uefi-ca-2011',
  'Microsoft UEFI CA 2023': 'uefi-ca-2023',
};

export interface LoaderSignature {
  /** The signing certificate's subject (OpenSSL one-line form), or null when the signature does not carry it. */
  signer: string | null;
  /** Its issuer: the CA that the firmware must trust. */
  issuer: string;
  /** The issuer's common name. */
  issuerName: string | null;
  /** Which Microsoft Secure Boot CA that is: the verified anchor when `verified` is there, else by name; null for any other. */
  microsoftCa: MicrosoftCa | null;
  digestAlgorithm: string;
  /** The image digest the signature records (not recomputed). */
  imageDigest: string;
  /** 0 for a signature of its own, 1 for one nested in another. */
  nesting: number;
  /** The verification of this signature, when the loader's signatures were verified. */
  verified?: VerifiedSignature;
}

/** What the report keeps of a signature's verification (formats/pe/verify.ts SignatureVerification). */
export interface VerifiedSignature {
  status: SignatureVerification['status'];
  /** The anchor the chain reaches, and the shipped root above it, when valid. */
  anchor: string | null;
  root: string | null;
  /** The anchor is one of Microsoft's shipped with isoscope (not an extra one a caller passed). */
  microsoft: boolean;
  anchorSha256: string | null;
  /** Subjects, signer first. */
  chain: string[];
  /** Each certificate's validity period (ISO 8601), in the order of `chain`. */
  chainValidity: { notBefore: string; notAfter: string }[];
  validAt: SignatureVerification['validAt'];
  /** A verified timestamp's time (ISO), or null. */
  timestamp: string | null;
  claimsMicrosoft: boolean;
  untrustedIssuer: string | null;
  reason: string | null;
  code: string | null;
  timeNote: string | null;
  /** The sentence for a person (signatureWords). */
  words: string;
}

export interface BootLoaderReport {
  path: string;
  foundIn: EfiLoader['foundIn'];
  bootEntry: number | null;
  size: number;
  machine: string | null;
  signatures: LoaderSignature[];
  /** Why it could not be read as a PE image (then `signatures` says nothing), or null. */
  unreadable: string | null;
  /** The verification's summary when the signatures were verified: the best signature's status, what it read. */
  verification?: { status: SignatureVerification['status']; bytesRead: number } | null;
  /** Why the signatures could not be verified, when verifying was asked and failed. */
  verifyError?: string | null;
}

function microsoftCa(name: DistinguishedName): MicrosoftCa | null {
  const fromMicrosoft = name.attributes.some((a) => a.type === 'O' && a.value === 'Microsoft Corporation');
  return (fromMicrosoft && name.commonName && MICROSOFT_CAS[name.commonName]) || null;
}

/**
 * One signature's verdict for a person:
 *   "Signed by Microsoft Windows (chain to Microsoft Root Certificate Authority 2010), unchanged since signing"
 *   "signature valid, but by a certificate not from Microsoft: Debian Secure Boot CA"
 *   "changed after it was signed"
 *   "signed by a certificate that only claims Microsoft's name"
 *   "not signed"
 */
export function signatureWords(
  v: Pick<SignatureVerification, 'status' | 'signerName' | 'signer' | 'anchor' | 'untrustedIssuer' | 'claimsMicrosoft' | 'reason' | 'code' | 'validAt'>,
): string {
  const who = v.signerName ?? v.signer ?? 'an unnamed certificate';
  switch (v.status) {
    case 'valid':
      if (v.anchor?.microsoft) return `Signed by ${who} (chain to ${v.anchor.root ?? v.anchor.name}), unchanged since signing`;
      return `signature valid, but by a certificate not from Microsoft: ${v.anchor?.name ?? who}`;
    case 'untrusted-chain':
      if (v.code === 'AUTHENTICODE_CERT_NOT_TIME_VALID')
        return `signed, but its certificates were not valid ${v.validAt === 'signing-time' ? 'when it was signed' : 'now, and no verified timestamp says when it was signed'}: ${v.reason}`;
      if (v.claimsMicrosoft)
        return `signed by a certificate that only claims Microsoft's name (${v.untrustedIssuer ?? who}): it does not chain to Microsoft's certificates`;
      return `signature valid, but by a certificate not from Microsoft: ${v.untrustedIssuer ?? who}`;
    case 'digest-mismatch':
      return 'changed after it was signed';
    case 'bad-signature':
      return `its signature does not verify (${v.reason ?? 'damaged or forged'})`;
    case 'cannot-check':
      return v.reason === 'cannot be checked (MD5)' ? 'signature cannot be checked (MD5)' : `signature cannot be checked: ${v.reason}`;
    case 'unsigned':
      return 'not signed';
  }
}

/** What the report keeps of one verification: a loader's, a disc file's, a catalog's. */
export function verifiedSignature(v: SignatureVerification): VerifiedSignature {
  return {
    status: v.status,
    anchor: v.anchor?.name ?? null,
    root: v.anchor?.root ?? null,
    microsoft: v.anchor?.microsoft ?? false,
    anchorSha256: v.anchor?.sha256 || null,
    chain: v.chain,
    chainValidity: v.chainValidity,
    validAt: v.validAt,
    timestamp: v.timestamp?.verified ? v.timestamp.time : null,
    claimsMicrosoft: v.claimsMicrosoft,
    untrustedIssuer: v.untrustedIssuer,
    reason: v.reason,
    code: v.code,
    timeNote: v.timeNote,
    words: signatureWords(v),
  };
}

export function bootLoaderReports(loaders: readonly EfiLoader[]): BootLoaderReport[] {
  return loaders.map((l) => {
    const verified = l.verification?.signatures ?? null;
    return {
      path: l.path,
      foundIn: l.foundIn,
      bootEntry: l.bootEntry,
      size: l.size,
      machine: l.machine,
      unreadable: l.unreadable,
      ...(l.verification !== undefined ? { verification: l.verification ? { status: l.verification.status, bytesRead: l.verification.bytesRead } : null } : {}),
      ...(l.verifyError ? { verifyError: l.verifyError } : {}),
      signatures: l.signatures.map((s, i) => {
        const issuer = s.signer?.issuer ?? s.signerIssuer;
        // Both readers walk entries, signers and nested signatures in the same order; the entry and depth confirm the pairing.
        const v = verified?.[i];
        const match = v && v.entry === s.entry && v.nesting === s.nesting ? v : undefined;
        const sig: LoaderSignature = {
          signer: s.signer?.subject.oneLine ?? null,
          issuer: issuer.oneLine,
          issuerName: issuer.commonName,
          // Verified: the Secure Boot CA is the anchor the valid chain reaches, or none; only unverified signatures are named by name.
          microsoftCa: verified ? (match?.status === 'valid' && match.anchor?.microsoft ? (DB_ANCHORS[match.anchor.key] ?? null) : null) : microsoftCa(issuer),
          digestAlgorithm: s.digestAlgorithm,
          imageDigest: s.imageDigest,
          nesting: s.nesting,
        };
        if (match) sig.verified = verifiedSignature(match);
        return sig;
      }),
    };
  });
}

const CA_NAMES: Record<MicrosoftCa, string> = {
  'windows-pca-2011': 'Microsoft Windows Production PCA 2011',
  'windows-uefi-ca-2023': 'Windows UEFI CA 2023',
  'uefi-ca-2011': 'Microsoft Corporation UEFI CA 2011',
  'uefi-ca-2023': 'Microsoft UEFI CA 2023',
};

/** What each Secure Boot CA needs of the firmware (KB5062713, KB5025885). */
function readinessOf(cas: Set<MicrosoftCa | null>, lead: string, claim: string): string {
  if (cas.has('windows-pca-2011') && cas.has('windows-uefi-ca-2023')) return `${lead}: Secure Boot starts it on PCs that trust either certificate${claim}.`;
  if (cas.has('windows-pca-2011'))
    return `${lead}${claim}: PCs that have revoked the 2011 certificate (the BlackLotus mitigation, KB5025885) will not start it with Secure Boot on; media signed by ${CA_NAMES['windows-uefi-ca-2023']} will.`;
  if (cas.has('windows-uefi-ca-2023'))
    return `${lead}${claim}: PCs whose firmware does not yet hold the 2023 certificate (KB5062713) will not start it with Secure Boot on.`;
  if (cas.has('uefi-ca-2011') && cas.has('uefi-ca-2023'))
    return `${lead}, Microsoft's third-party CAs${claim}: Secure Boot starts it where the firmware allows third-party loaders (many Secured-core PCs ship with that off).`;
  if (cas.has('uefi-ca-2011') || cas.has('uefi-ca-2023'))
    return `${lead}, a Microsoft third-party CA${claim}: Secure Boot starts it where the firmware trusts that CA and allows third-party loaders.`;
  return `${lead}, not a Microsoft certificate${claim}: with Secure Boot on it starts only where that key is enrolled.`;
}

/**
 * One sentence per loader for "Ready to use?": whether Secure Boot will start
 * it, and on which firmware. With verified signatures, it rests on the
 * verified anchors; otherwise it names what the signature says, unchecked.
 */
export function secureBootLine(l: BootLoaderReport): string {
  const name = l.path.replace(/^.*\//, '');
  const where = l.foundIn === 'el-torito-image' ? ' (in the disc’s UEFI boot image)' : '';
  if (l.unreadable) return `${name}${where} could not be read as an EFI executable (${l.unreadable}): firmware will not start it.`;
  if (!l.signatures.length) return `${name}${where} is not signed: it starts only with Secure Boot turned off.`;
  const verified = l.signatures.map((s) => s.verified).filter((v): v is VerifiedSignature => v !== undefined);
  if (l.verification && verified.length) {
    const valid = l.signatures.filter((s) => s.verified?.status === 'valid' && s.verified.microsoft);
    if (valid.length) {
      const said = [...new Set(valid.map((s) => s.verified!.words))].join('; ');
      const cas = new Set(valid.map((s) => s.microsoftCa));
      const byCa = [...new Set(valid.map((s) => s.verified!.anchor!))].join(' and ');
      return readinessOf(cas, `${name}${where}: ${said}. Its Secure Boot CA is ${byCa}`, '');
    }
    // No Microsoft chain: the most telling verdict (a changed file first, then a forged name, then the rest).
    const order: VerifiedSignature['status'][] = ['digest-mismatch', 'bad-signature', 'untrusted-chain', 'valid', 'cannot-check'];
    const worst = [...verified].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status))[0]!;
    if (worst.status === 'digest-mismatch') return `${name}${where} was changed after it was signed: Secure Boot will refuse to start it.`;
    if (worst.status === 'bad-signature') return `${name}${where}: ${worst.words}: Secure Boot will refuse to start it.`;
    if (worst.status === 'cannot-check') return `${name}${where}: ${worst.words}.`;
    if (worst.claimsMicrosoft && worst.status === 'untrusted-chain' && worst.code !== 'AUTHENTICODE_CERT_NOT_TIME_VALID')
      return `${name}${where} is ${worst.words}: Secure Boot will not start it unless that certificate is enrolled.`;
    return `${name}${where}: ${worst.words}; with Secure Boot on it starts only where that key is enrolled.`;
  }
  const cas = new Set(l.signatures.map((s) => s.microsoftCa));
  const by = [...new Set(l.signatures.map((s) => s.issuerName ?? s.issuer))].join(' and ');
  return readinessOf(cas, `${name}${where} is signed by ${by}`, ' (as its signature names it; the signature itself is not checked)');
}
