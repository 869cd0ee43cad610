/**
 * The UEFI boot loaders' signatures as the report carries them, and which of
 * Microsoft's Secure Boot certificates each one names.
 *
 * The four Microsoft CAs and what replaced what are Microsoft's (KB5062713,
 * "Windows Secure Boot certificate expiration and CA updates", 2025):
 *   Microsoft Windows Production PCA 2011 → Windows UEFI CA 2023 (the Windows boot manager)
 *   Microsoft Corporation UEFI CA 2011    → Microsoft UEFI CA 2023 (third-party loaders: shim, …)
 * A CA is recognised by its common name and organisation (O=Microsoft
 * Corporation) as the signature carries them; the signature itself is not
 * checked, and every sentence built from this says so.
 */
import type { DistinguishedName } from '../formats/pe/der.ts';
import type { EfiLoader } from '../formats/pe/efi-loaders.ts';

export type MicrosoftCa = 'windows-pca-2011' | 'windows-uefi-ca-2023' | 'uefi-ca-2011' | 'uefi-ca-2023';

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
  /** Which Microsoft Secure Boot CA that is, by name, or null for any other. */
  microsoftCa: MicrosoftCa | null;
  digestAlgorithm: string;
  /** The image digest the signature records (not recomputed). */
  imageDigest: string;
  /** 0 for a signature of its own, 1 for one nested in another. */
  nesting: number;
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
}

function microsoftCa(name: DistinguishedName): MicrosoftCa | null {
  const fromMicrosoft = name.attributes.some((a) => a.type === 'O' && a.value === 'Microsoft Corporation');
  return (fromMicrosoft && name.commonName && MICROSOFT_CAS[name.commonName]) || null;
}

export function bootLoaderReports(loaders: readonly EfiLoader[]): BootLoaderReport[] {
  return loaders.map((l) => ({
    path: l.path,
    foundIn: l.foundIn,
    bootEntry: l.bootEntry,
    size: l.size,
    machine: l.machine,
    unreadable: l.unreadable,
    signatures: l.signatures.map((s) => {
      const issuer = s.signer?.issuer ?? s.signerIssuer;
      return {
        signer: s.signer?.subject.oneLine ?? null,
        issuer: issuer.oneLine,
        issuerName: issuer.commonName,
        microsoftCa: microsoftCa(issuer),
        digestAlgorithm: s.digestAlgorithm,
        imageDigest: s.imageDigest,
        nesting: s.nesting,
      };
    }),
  }));
}

const CA_NAMES: Record<MicrosoftCa, string> = {
  'windows-pca-2011': 'Microsoft Windows Production PCA 2011',
  'windows-uefi-ca-2023': 'Windows UEFI CA 2023',
  'uefi-ca-2011': 'Microsoft Corporation UEFI CA 2011',
  'uefi-ca-2023': 'Microsoft UEFI CA 2023',
};

/**
 * One sentence per loader for "Ready to use?": whether Secure Boot will start
 * it, and on which firmware. Names what the signature says; not a check.
 */
export function secureBootLine(l: BootLoaderReport): string {
  const name = l.path.replace(/^.*\//, '');
  const where = l.foundIn === 'el-torito-image' ? ' (in the disc’s UEFI boot image)' : '';
  if (l.unreadable) return `${name}${where} could not be read as an EFI executable (${l.unreadable}): firmware will not start it.`;
  if (!l.signatures.length) return `${name}${where} is not signed: it starts only with Secure Boot turned off.`;
  const cas = new Set(l.signatures.map((s) => s.microsoftCa));
  const by = [...new Set(l.signatures.map((s) => s.issuerName ?? s.issuer))].join(' and ');
  const lead = `${name}${where} is signed by ${by}`;
  const claim = ' (as its signature names it; the signature itself is not checked)';
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
