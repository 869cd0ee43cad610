/**
 * Certification paths (RFC 5280 §6.1, simplified to what code signing
 * needs): from a signer's certificate, through the certificates its
 * signature carries, to a trust anchor shipped with isoscope
 * (trust-anchors.ts) or passed by the caller.
 *
 * Trust is by the exact anchor certificate, or by its subject and public
 * key together (a re-issued anchor with the same key, RFC 5280 §6.1.1 (d)
 * trust anchor information): never by a name alone. Each link is checked:
 *  - the signature of the certificate below, with the key above (WebCrypto);
 *  - issuer/subject name chaining (RFC 5280 §4.1.2.4, binary comparison);
 *  - basicConstraints cA and pathLenConstraint, keyUsage keyCertSign, for
 *    every issuer that is not an anchor (§4.2.1.9, §4.2.1.3); an anchor is
 *    trusted as it is (a v1 root such as Microsoft Root Authority has no
 *    extensions at all);
 *  - the purpose's extended key usage on the signer's certificate, where it
 *    has the extension (§4.2.1.12);
 *  - no unknown critical extension (§4.2);
 *  - validity at the time given (the signing time a verified timestamp
 *    proves, else now), the anchor's included: an anchor that has expired
 *    since still validates what was signed while it was valid. With `at`
 *    null, dates are not checked (UEFI firmware's rule: it has no trusted
 *    clock; sbverify checks the same way).
 *
 * Bounded: at most MAX_DEPTH certificates under the anchor, MAX_ATTEMPTS
 * signature checks per path search (a crafted set of certificates that name
 * each other in a loop, or many with the same name, cannot make it spin).
 */
import { anchorDer, MICROSOFT_ANCHORS, type TrustAnchor } from './trust-anchors.ts';
import { verifySignature } from './webcrypto.ts';
import { parseCertificate, sameBytes, type Certificate } from './x509.ts';

const MAX_DEPTH = 8;
const MAX_ATTEMPTS = 64;

export type Purpose = 'code-signing' | 'timestamping';

/**
 * Extended key usages accepted for each purpose: RFC 5280 §4.2.1.12's
 * id-kp-codeSigning and id-kp-timeStamping, anyExtendedKeyUsage, and the
 * Microsoft EKUs that Windows and UEFI signing certificates carry instead of
 * (or besides) code signing.
 */
const PURPOSE_EKUS: Record<Purpose, string[]> = {
  'code-signing': [
    '1.3.6.1.5.5.7.3.3', // id-kp-codeSigning
    '1.3.6.1.4.1.311.10.3.6', // Windows System Component Verification
    '1.3.6.1.4.1.311.10.3.5', // Windows Hardware Driver Verification (WHQL)
    '1.3.6.1.4.1.311.10.3.39', // Windows Hardware Driver Extended Verification
    '1.3.6.1.4.1.311.61.1.1', // Kernel Mode Code Signing
    '1.3.6.1.4.1.311.76.8.1', // Microsoft Publisher
    '1.3.6.1.4.1.311.80.2.1', // Microsoft UEFI signing (on "Microsoft Windows UEFI Driver Publisher")
    '1.3.6.1.4.1.311.10.3.1', // Certificate Trust List signing (catalogs)
    '2.5.29.37.0', // anyExtendedKeyUsage
  ],
  timestamping: ['1.3.6.1.5.5.7.3.8', '2.5.29.37.0'],
};

export interface Anchor {
  anchor: TrustAnchor;
  cert: Certificate;
}

export interface ChainResult {
  trusted: boolean;
  /** Signer first; ends at the anchor when trusted, else at the furthest certificate reached. */
  path: Certificate[];
  anchor: Anchor | null;
  /**
   * When the anchor reached is itself issued by another anchor (a Secure Boot db CA under Microsoft's root),
   * that root, its signature on the anchor checked: what "chain to …" names. Dates are not held against it here.
   */
  root: Anchor | null;
  /** Why no trusted path was found, or null. */
  reason: string | null;
  /** A typed code for the hostile cases (loop, depth, too many attempts), or null. */
  code: string | null;
}

let microsoft: Anchor[] | null = null;
/** Microsoft's anchors, parsed once. */
export function microsoftAnchors(): Anchor[] {
  microsoft ??= MICROSOFT_ANCHORS.map((anchor) => ({ anchor, cert: parseCertificate(anchorDer(anchor), `trust anchor ${anchor.name}`) }));
  return microsoft;
}

/** An extra anchor from its DER (a distribution's CA, a test CA): never Microsoft's, whatever its name. */
export function extraAnchor(der: Uint8Array): Anchor {
  const cert = parseCertificate(der, 'extra trust anchor');
  return {
    cert,
    anchor: {
      key: 'extra',
      name: cert.subject.commonName ?? cert.subject.oneLine,
      role: 'root',
      subject: cert.subject.oneLine,
      notBefore: new Date(cert.notBefore).toISOString(),
      notAfter: new Date(cert.notAfter).toISOString(),
      sha256: '',
      source: { repo: 'passed by the caller', path: '', commit: '' },
      secondSource: { repo: 'passed by the caller', path: '', commit: '' },
      der: '',
      microsoft: false,
    },
  };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const nameOf = (c: Certificate) => c.subject.commonName ?? c.subject.oneLine;

function sameName(a: Uint8Array, b: Uint8Array): boolean {
  return sameBytes(a, b);
}

function isAnchor(c: Certificate, anchors: readonly Anchor[]): Anchor | null {
  return anchors.find((a) => sameBytes(a.cert.der, c.der) || (sameBytes(a.cert.subjectDer, c.subjectDer) && sameBytes(a.cert.spki, c.spki))) ?? null;
}

function timeProblem(c: Certificate, at: number | null, what: string): string | null {
  if (at === null) return null;
  if (at < c.notBefore) return `${what} ${nameOf(c)} was not yet valid on ${day(at)} (from ${day(c.notBefore)})`;
  if (at > c.notAfter) return `${what} ${nameOf(c)} had expired by ${day(at)} (on ${day(c.notAfter)})`;
  return null;
}

/** The anchor that issued anchor `a` (a db CA's root), when its signature on `a` verifies. */
async function rootAbove(a: Anchor, anchors: readonly Anchor[]): Promise<Anchor | null> {
  if (sameName(a.cert.issuerDer, a.cert.subjectDer)) return null;
  for (const r of anchors) {
    if (r === a || !sameName(r.cert.subjectDer, a.cert.issuerDer)) continue;
    const sig = await verifySignature(r.cert.spki, r.cert.keyAlgorithm, a.cert.signatureAlgorithm, a.cert.signature, a.cert.tbs);
    if (sig.outcome === 'valid') return r;
  }
  return null;
}

/** Find a trusted path for `leaf` through `pool` to one of `anchors`, valid at `at` (ms, or null: dates not checked). */
export async function buildChain(
  leaf: Certificate,
  pool: readonly Certificate[],
  anchors: readonly Anchor[],
  at: number | null,
  purpose: Purpose,
): Promise<ChainResult> {
  let attempts = 0;
  let best: ChainResult = { trusted: false, path: [leaf], anchor: null, root: null, reason: null, code: null };
  const fail = (path: Certificate[], reason: string, code: string | null = null): null => {
    // Keep the failure that got furthest: it says the most about where the chain breaks.
    if (!best.reason || path.length >= best.path.length) best = { trusted: false, path, anchor: null, root: null, reason, code };
    return null;
  };

  const leafEku = leaf.extendedKeyUsage;
  if (leafEku && !leafEku.some((e) => PURPOSE_EKUS[purpose].includes(e)))
    return { ...best, reason: `${nameOf(leaf)} is not for ${purpose} (its extended key usages: ${leafEku.join(', ')})`, code: null };

  /** `path` ends with the certificate whose issuer is looked for; `intermediates` counts non-self-issued CAs below it. */
  const extend = async (path: Certificate[]): Promise<ChainResult | null> => {
    const c = path.at(-1)!;
    const role = path.length === 1 ? 'the signer' : 'CA';
    if (c.unknownCritical.length) return fail(path, `${nameOf(c)} has a critical extension this reader does not know (${c.unknownCritical.join(', ')})`);
    const anchorHere = isAnchor(c, anchors);
    if (anchorHere) {
      const t = timeProblem(anchorHere.cert, at, 'the anchor');
      if (t) return fail(path, t, 'AUTHENTICODE_CERT_NOT_TIME_VALID');
      const root = await rootAbove(anchorHere, anchors);
      return { trusted: true, path: root ? [...path, root.cert] : path, anchor: anchorHere, root, reason: null, code: null };
    }
    const t = timeProblem(c, at, role);
    if (t) return fail(path, t, 'AUTHENTICODE_CERT_NOT_TIME_VALID');
    if (path.length > MAX_DEPTH)
      return fail(path, `the chain is longer than ${MAX_DEPTH} certificates without reaching a trusted anchor`, 'AUTHENTICODE_CHAIN_TOO_DEEP');
    const candidates: { cert: Certificate; anchor: Anchor | null }[] = [
      ...anchors.filter((a) => sameName(a.cert.subjectDer, c.issuerDer)).map((a) => ({ cert: a.cert, anchor: a })),
      ...pool.filter((p) => sameName(p.subjectDer, c.issuerDer) && !isAnchor(p, anchors)).map((cert) => ({ cert, anchor: null })),
    ];
    if (!candidates.length) {
      const selfIssued = sameName(c.issuerDer, c.subjectDer);
      return fail(
        path,
        selfIssued
          ? `the chain ends at ${nameOf(c)}, which is not a trusted anchor`
          : `no certificate of its issuer ${c.issuer.commonName ?? c.issuer.oneLine} is carried or trusted`,
      );
    }
    for (const cand of candidates) {
      if (path.some((p) => sameBytes(p.der, cand.cert.der))) {
        if (!sameBytes(cand.cert.der, c.der)) fail(path, `certificates name each other as issuer in a loop (${nameOf(cand.cert)})`, 'AUTHENTICODE_CHAIN_LOOP');
        continue;
      }
      if (++attempts > MAX_ATTEMPTS) return fail(path, `more than ${MAX_ATTEMPTS} candidate issuers tried`, 'AUTHENTICODE_CHAIN_TOO_MANY_CANDIDATES');
      if (!cand.anchor) {
        // An intermediate must be a CA allowed to sign certificates, within its path length (RFC 5280 §6.1.4 (k)–(n)).
        const bc = cand.cert.basicConstraints;
        if (!bc?.ca) {
          fail([...path, cand.cert], `${nameOf(cand.cert)} is not a CA (basicConstraints)`);
          continue;
        }
        const below = path.slice(1).filter((p) => !sameName(p.issuerDer, p.subjectDer)).length;
        if (bc.pathLength !== null && below > bc.pathLength) {
          fail([...path, cand.cert], `${nameOf(cand.cert)} allows ${bc.pathLength} CA(s) below it; the chain has ${below}`);
          continue;
        }
        if (cand.cert.keyUsage && !cand.cert.keyUsage.has('keyCertSign')) {
          fail([...path, cand.cert], `${nameOf(cand.cert)} may not sign certificates (keyUsage)`);
          continue;
        }
      }
      const sig = await verifySignature(cand.cert.spki, cand.cert.keyAlgorithm, c.signatureAlgorithm, c.signature, c.tbs);
      if (sig.outcome !== 'valid') {
        fail(
          [...path, cand.cert],
          `${nameOf(c)}’s certificate signature ${sig.outcome === 'invalid' ? 'does not verify' : 'cannot be checked'} with ${nameOf(cand.cert)}’s key${sig.reason ? ` (${sig.reason})` : ''}`,
        );
        continue;
      }
      const found = await extend([...path, cand.cert]);
      if (found) return found;
      if (attempts > MAX_ATTEMPTS) return null;
    }
    return null;
  };
  return (await extend([leaf])) ?? best;
}
