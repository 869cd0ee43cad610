/**
 * Authenticode signatures of a PE image, verified ("Windows Authenticode
 * Portable Executable Signature Format"; RFC 5652; RFC 5280):
 *  - the image digest recomputed (image-digest.ts) with the algorithm the
 *    SpcIndirectDataContent names, and compared with the digest it records;
 *  - the SignerInfo's attributes and signature, the timestamp and the chain
 *    (signer-check.ts, chain.ts) to Microsoft's anchors or the caller's;
 *  - nested signatures (unsigned attribute 1.3.6.1.4.1.311.2.4.1, how shim
 *    and Windows add a second signature) each the same way, and every
 *    WIN_CERTIFICATE entry of the table.
 * A file is as good as its best signature; every one is listed.
 *
 * Cost: the headers, the certificate table (a few KiB), and, for each
 * digest algorithm the signatures use, the whole file but its certificate
 * table, read front to back in 1 MiB pieces (shim: 1 MiB, GRUB: 4 MiB).
 */
import type { ByteSource } from '../../io/byte-source.ts';
import type { HasherFactory } from '../../hash/hashers.ts';
import { readCertificateTable, WIN_CERT_TYPE_PKCS_SIGNED_DATA } from './authenticode.ts';
import { extraAnchor, microsoftAnchors } from './chain.ts';
import { DER_CLASS, DerReader, TAG, type DerNode } from './der.ts';
import { imageDigest } from './image-digest.ts';
import { readPeHeader, type PeHeader } from './pe.ts';
import { OID, readSignedData, signerCertificate } from './signed-data.ts';
import { checkSigner, type SignatureStatus, type SignerCheck, type TimestampCheck, type VerifyContext } from './signer-check.ts';
import { DIGEST_OIDS } from './webcrypto.ts';
import type { Certificate } from './x509.ts';
import { hexOfBytes } from '../../io/bytes.ts';

const MAX_NESTING = 4;
const MAX_SIGNATURES = 16;

export interface VerifyOptions {
  /** Anchors trusted besides Microsoft's, as DER (a distribution's CA): a chain to one is valid but never "Microsoft". */
  extraAnchors?: readonly Uint8Array[];
  /** See VerifyContext.policy: 'authenticode' (default) checks dates; 'uefi-firmware' does not, as firmware does not. */
  policy?: VerifyContext['policy'];
  /** Now, in ms since 1970 (default: the clock). */
  now?: number;
  signal?: AbortSignal;
  /** The PE headers, when the caller has read them already. */
  header?: PeHeader;
  /** Authenticode digests (lower-case hex) the caller has computed already (one read pass for a catalog check and this): not computed again. */
  imageDigests?: Partial<Record<'sha1' | 'sha256', string>>;
}

/** A certificate's validity period, as ISO 8601. */
export interface CertificateValidity {
  notBefore: string;
  notAfter: string;
}
const isoOrNull = (ms: number) => (Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : '');
const validityOf = (c: { notBefore: number; notAfter: number }): CertificateValidity => ({
  notBefore: isoOrNull(c.notBefore),
  notAfter: isoOrNull(c.notAfter),
});

export interface SignatureVerification {
  /** Which WIN_CERTIFICATE entry (1-based) holds it, and how deep it is nested (0: an entry's own signature). */
  entry: number;
  nesting: number;
  status: SignatureStatus;
  /** The signing certificate's subject (OpenSSL one-line form) and common name, or null when not carried. */
  signer: string | null;
  signerName: string | null;
  /** The subjects of the chain, signer first: to the anchor when trusted, else as far as it went. */
  chain: string[];
  /** Each certificate's validity (ISO 8601), in the order of `chain`. */
  chainValidity: CertificateValidity[];
  /**
   * The anchor the chain reaches, when trusted (`key` is trust-anchors.ts's: e.g. 'microsoft-corporation-uefi-ca-2011'),
   * and the shipped root above it when there is one (Microsoft Root Certificate Authority 2010 above Windows Production PCA 2011).
   */
  anchor: { key: string; name: string; sha256: string; microsoft: boolean; role: string; root: string | null } | null;
  /** When untrusted: the name of the CA the chain stops at (the issuer no anchor matches). */
  untrustedIssuer: string | null;
  /** Some certificate of the chain names Microsoft (organisation or common name): what a forgery copies. */
  claimsMicrosoft: boolean;
  timestamp: TimestampCheck | null;
  /** Which time the certificates were checked at: a verified timestamp's, now, or none (UEFI firmware's rule). */
  validAt: SignerCheck['validAt'];
  algorithm: { digest: string; signature: string };
  imageDigest: { recorded: string; computed: string | null };
  /** Why it is not valid (or a note on what was not checked), or null. */
  reason: string | null;
  /** Typed code of a hostile structure met on the way (AUTHENTICODE_CHAIN_LOOP, …), or null. */
  code: string | null;
  timeNote: string | null;
  /** File offset of the signature value (the encrypted digest), for tests and for pointing at it. */
  signatureAt: number | null;
}

export interface PeVerification {
  /** The best signature's status ('unsigned' when the file has none). */
  status: SignatureStatus;
  best: SignatureVerification | null;
  signatures: SignatureVerification[];
  /** Bytes and reads this verification cost. */
  bytesRead: number;
  reads: number;
}

/** How good a status is, for "as good as its best signature". */
const RANK: Record<SignatureStatus, number> = { valid: 6, 'untrusted-chain': 5, 'cannot-check': 4, 'bad-signature': 3, 'digest-mismatch': 2, unsigned: 1 };

export function bestSignature(list: readonly SignatureVerification[]): SignatureVerification | null {
  let best: SignatureVerification | null = null;
  for (const s of list) {
    const better = !best || RANK[s.status] > RANK[best.status] || (RANK[s.status] === RANK[best.status] && !!s.anchor?.microsoft && !best.anchor?.microsoft);
    if (better) best = s;
  }
  return best;
}

const MICROSOFT = /microsoft/i;

/** The source, counting what is read through it (the cost this verification reports). */
function counting(src: ByteSource): ByteSource & { reads: number; bytesRead: number } {
  const c = {
    name: src.name,
    size: src.size,
    reads: 0,
    bytesRead: 0,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const b = await src.read(offset, length);
      c.reads++;
      c.bytesRead += b.length;
      return b;
    },
  };
  return c;
}

/** What a SignerInfo check says, in the fields every verification result shares (a PE's signature, a catalog's). */
export function describeCheck(
  check: SignerCheck,
  signer: Certificate | null,
): Pick<
  SignatureVerification,
  'status' | 'chain' | 'chainValidity' | 'anchor' | 'untrustedIssuer' | 'claimsMicrosoft' | 'timestamp' | 'validAt' | 'reason' | 'code' | 'timeNote'
> {
  const path = check.chain?.path ?? (signer ? [signer] : []);
  const top = path.at(-1);
  const a = check.chain?.anchor?.anchor;
  return {
    status: check.status,
    chain: path.map((c) => c.subject.oneLine),
    chainValidity: path.map(validityOf),
    anchor: a ? { key: a.key, name: a.name, sha256: a.sha256, microsoft: a.microsoft, role: a.role, root: check.chain?.root?.anchor.name ?? null } : null,
    untrustedIssuer: check.status === 'untrusted-chain' && top ? (top.issuer.commonName ?? top.issuer.oneLine) : null,
    claimsMicrosoft: path.some((c) => MICROSOFT.test(c.subject.oneLine) || MICROSOFT.test(c.issuer.oneLine)),
    timestamp: check.timestamp,
    validAt: check.validAt,
    reason: check.reason,
    code: check.code,
    timeNote: check.timeNote,
  };
}

/** The verification context for `options`: Microsoft's anchors and the caller's, the policy, the time. */
export function verifyContext(options: VerifyOptions): VerifyContext {
  return {
    anchors: [...microsoftAnchors(), ...(options.extraAnchors ?? []).map((d) => extraAnchor(d))],
    policy: options.policy ?? 'authenticode',
    now: options.now ?? Date.now(),
  };
}

/**
 * Verify every Authenticode signature of the PE image `src`, hashing it with `hashers`
 * (Node passes nodeHashers, the worker its WebAssembly hashers).
 */
export async function verifyPeSignatures(src: ByteSource, hashers: HasherFactory, options: VerifyOptions = {}): Promise<PeVerification> {
  const counted = counting(src);
  const header = options.header ?? (await readPeHeader(counted));
  const { entries } = await readCertificateTable(counted, header);
  const ctx = verifyContext(options);
  const digests = new Map<'sha1' | 'sha256', Promise<string>>();
  const computed = (alg: 'sha1' | 'sha256') => {
    let d = digests.get(alg);
    const given = options.imageDigests?.[alg];
    if (!d && given) digests.set(alg, (d = Promise.resolve(given)));
    if (!d) {
      d = imageDigest(counted, header, alg, hashers, options.signal).then((r) => r.digest);
      digests.set(alg, d);
    }
    return d;
  };
  const out: SignatureVerification[] = [];
  for (const e of entries) {
    if (e.type !== WIN_CERT_TYPE_PKCS_SIGNED_DATA) continue;
    const der = new DerReader(e.bytes, e.offset, 'Authenticode PKCS#7');
    await verifyContentInfo(der, der.node(0), e.entry, 0, ctx, computed, out);
  }
  const best = bestSignature(out);
  return { status: best?.status ?? 'unsigned', best, signatures: out, bytesRead: counted.bytesRead, reads: counted.reads };
}

async function verifyContentInfo(
  der: DerReader,
  node: DerNode,
  entry: number,
  nesting: number,
  ctx: VerifyContext,
  computed: (alg: 'sha1' | 'sha256') => Promise<string>,
  out: SignatureVerification[],
): Promise<void> {
  if (out.length >= MAX_SIGNATURES) der.fail('AUTHENTICODE_TOO_MANY_SIGNATURES', `more than ${MAX_SIGNATURES} signatures`, node.start);
  const sd = readSignedData(der, node);
  if (sd.contentType !== OID.spcIndirectData || !sd.contentValue)
    der.fail('AUTHENTICODE_NOT_SPC', 'the signed content is not SpcIndirectDataContent', node.start);
  // SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue, messageDigest DigestInfo }
  const [, digestInfo] = der.children(der.expect(sd.contentValue, TAG.sequence, 'SpcIndirectDataContent'));
  const [digestAlg, recordedNode] = der.children(der.expect(digestInfo, TAG.sequence, 'DigestInfo'));
  const algOid = der.oid(der.children(der.expect(digestAlg, TAG.sequence, 'DigestInfo.digestAlgorithm'))[0]!);
  const recorded = hexOfBytes(der.content(der.expect(recordedNode, TAG.octetString, 'DigestInfo.digest')));
  const digestName = DIGEST_OIDS[algOid] ?? algOid;
  const hasherAlg = digestName === 'SHA-1' ? 'sha1' : digestName === 'SHA-256' ? 'sha256' : null;
  const nested: DerNode[] = [];
  for (const si of sd.signerInfos) {
    const signer = signerCertificate(si, sd.certificates);
    const base = {
      entry,
      nesting,
      signer: signer?.subject.oneLine ?? null,
      signerName: signer?.subject.commonName ?? null,
      imageDigest: { recorded, computed: null as string | null },
      signatureAt: der.base === null ? null : der.base + (si.signature.byteOffset - der.bytes.byteOffset),
      anchor: null,
      untrustedIssuer: null,
      claimsMicrosoft: false,
      timestamp: null,
      validAt: 'now' as const,
      code: null,
      timeNote: null,
      chain: signer ? [signer.subject.oneLine] : [],
      chainValidity: signer ? [validityOf(signer)] : [],
    };
    if (!hasherAlg) {
      out.push({
        ...base,
        status: 'cannot-check',
        algorithm: { digest: digestName, signature: '' },
        reason: `the image digest is ${digestName}: only SHA-1 and SHA-256 are checked`,
      });
    } else {
      const image = await computed(hasherAlg);
      base.imageDigest.computed = image;
      if (image !== recorded) {
        out.push({
          ...base,
          status: 'digest-mismatch',
          algorithm: { digest: digestName, signature: '' },
          reason: 'the file was changed after it was signed: its digest is not the one signed',
        });
      } else {
        const check = await checkSigner(sd, si, OID.spcIndirectData, ctx);
        out.push({ ...base, ...describeCheck(check, signer), algorithm: { digest: digestName, signature: check.signatureAlgorithm } });
      }
    }
    if (nesting < MAX_NESTING)
      for (const attr of si.unsignedAttributes) if (attr.type === OID.nestedSignature) nested.push(...attr.values.filter((v) => v.cls === DER_CLASS.universal));
  }
  for (const n of nested) await verifyContentInfo(der, n, entry, nesting + 1, ctx, computed, out);
}
