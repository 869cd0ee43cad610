/**
 * Windows catalog files (.cat): how Windows signs most of its files without
 * touching them. A catalog is a PKCS#7 SignedData (RFC 2315 §9; CMS, RFC
 * 5652, when made by other tools) whose content is a certificate trust list
 * (szOID_CTL 1.3.6.1.4.1.311.10.1; [MS-CAESO] §4.4 "Certificate Trust
 * List"):
 *
 *   CertificateTrustList ::= SEQUENCE { version INTEGER DEFAULT v1, subjectUsage SEQUENCE OF OID,
 *     listIdentifier OCTET STRING OPTIONAL, sequenceNumber INTEGER OPTIONAL, thisUpdate Time,
 *     nextUpdate Time OPTIONAL, subjectAlgorithm AlgorithmIdentifier,
 *     trustedSubjects SEQUENCE OF TrustedSubject OPTIONAL, ctlExtensions [0] EXPLICIT OPTIONAL }
 *   TrustedSubject ::= SEQUENCE { subjectIdentifier OCTET STRING, subjectAttributes SET OF Attribute OPTIONAL }
 *
 * A member's hash is in its SpcIndirectDataContent attribute
 * (1.3.6.1.4.1.311.2.1.4), as in an Authenticode signature: of PE image data
 * (1.3.6.1.4.1.311.2.1.15) for a PE file, whose hash is then its
 * Authenticode digest (image-digest.ts), else the hash of the whole file.
 * Its other attributes (CAT_NAMEVALUE 1.3.6.1.4.1.311.12.2.1: a name and a
 * UTF-16 value, e.g. File=setup.exe) are kept as text.
 *
 * The catalog's own signature is checked as an Authenticode one
 * (signer-check.ts); a member found in a catalog whose signature is not
 * valid proves nothing, and the result says which.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { FormatError } from '../../io/format-error.ts';
import { hashSource, eachAlone, type HasherFactory } from '../../hash/hashers.ts';
import { DER_CLASS, DerReader, TAG, type DerNode } from './der.ts';
import { imageDigest } from './image-digest.ts';
import { readPeHeader } from './pe.ts';
import { OID, readSignedData, signerCertificate } from './signed-data.ts';
import { checkSigner } from './signer-check.ts';
import { bestSignature, describeCheck, verifyContext, type SignatureVerification, type VerifyOptions } from './verify.ts';
import { DIGEST_OIDS } from './webcrypto.ts';
import { hexOfBytes } from '../../io/bytes.ts';

/** Real catalogs run to a few MB (the largest in a Windows image, ~30 MB); anything larger is refused. */
export const MAX_CATALOG_BYTES = 64 * 1024 * 1024;
const MAX_MEMBERS = 500_000;

const SPC_PE_IMAGE_DATA = '1.3.6.1.4.1.311.2.1.15';
const CAT_NAMEVALUE = '1.3.6.1.4.1.311.12.2.1';
const CAT_MEMBERINFO = '1.3.6.1.4.1.311.12.2.2';

export interface CatalogMember {
  /** The member's subjectIdentifier as text (Windows writes the hash as UTF-16 hex; other tools a name). */
  tag: string;
  /** The hash it records (lower-case hex) and its algorithm, or null when it has no SpcIndirectDataContent. */
  digest: string | null;
  digestAlgorithm: string | null;
  /** 'pe': the hash is an Authenticode digest; 'flat': the hash of the whole file. */
  kind: 'pe' | 'flat' | null;
  /** CAT_NAMEVALUE pairs (File, OSAttr, …) and other attributes by OID. */
  attributes: { name: string; value: string }[];
}

export interface Catalog {
  /** The best signature's status: a member is only as trustworthy as this. */
  status: SignatureVerification['status'];
  signatures: SignatureVerification[];
  listIdentifier: string | null;
  thisUpdate: string | null;
  members: CatalogMember[];
  /** Members by lower-case digest. */
  byDigest: Map<string, CatalogMember>;
}

/** Read and verify a catalog file. */
export async function readCatalog(src: ByteSource, options: VerifyOptions = {}): Promise<Catalog> {
  if (src.size > MAX_CATALOG_BYTES)
    throw new FormatError('CATALOG_TOO_LARGE', `${src.name}: a catalog of ${src.size} bytes (more than ${MAX_CATALOG_BYTES})`, 'catalog', 0);
  const bytes = await src.read(0, src.size);
  // A member is about a dozen nodes: bound the walk in proportion to the file, never without a bound.
  const der = new DerReader(bytes, 0, 'catalog (PKCS#7 CTL)', Math.max(50_000, Math.ceil(bytes.length / 2)));
  const sd = readSignedData(der, der.node(0));
  if (sd.contentType !== OID.ctl || !sd.contentValue) der.fail('CATALOG_NOT_CTL', `the signed content is ${sd.contentType}, not a certificate trust list`, 0);
  const ctx = verifyContext(options);
  const signatures: SignatureVerification[] = [];
  for (const si of sd.signerInfos) {
    const signer = signerCertificate(si, sd.certificates);
    const check = await checkSigner(sd, si, OID.ctl, ctx);
    signatures.push({
      entry: 1,
      nesting: 0,
      signer: signer?.subject.oneLine ?? null,
      signerName: signer?.subject.commonName ?? null,
      imageDigest: { recorded: '', computed: null },
      signatureAt: si.signature.byteOffset - der.bytes.byteOffset,
      algorithm: { digest: DIGEST_OIDS[si.digestAlgorithm] ?? si.digestAlgorithm, signature: check.signatureAlgorithm },
      ...describeCheck(check, signer),
    });
  }
  const ctl = readCtl(der, sd.contentValue!);
  const byDigest = new Map<string, CatalogMember>();
  for (const m of ctl.members) if (m.digest && !byDigest.has(m.digest)) byDigest.set(m.digest, m);
  return { status: bestSignature(signatures)?.status ?? 'unsigned', signatures, ...ctl, byDigest };
}

function readCtl(der: DerReader, node: DerNode): Pick<Catalog, 'listIdentifier' | 'thisUpdate' | 'members'> {
  const f = der.children(der.expect(node, TAG.sequence, 'CertificateTrustList'));
  let i = 0;
  if (f[i]?.tag === TAG.integer && f[i]!.cls === DER_CLASS.universal) i++; // version
  der.expect(f[i++], TAG.sequence, 'CTL.subjectUsage');
  let listIdentifier: string | null = null;
  if (f[i]?.tag === TAG.octetString) listIdentifier = text(der.content(f[i++]!));
  if (f[i]?.tag === TAG.integer) i++; // sequenceNumber
  const thisUpdate = f[i] && (f[i]!.tag === TAG.utcTime || f[i]!.tag === TAG.generalizedTime) ? new Date(der.time(f[i++]!)).toISOString() : null;
  if (f[i] && (f[i]!.tag === TAG.utcTime || f[i]!.tag === TAG.generalizedTime)) i++; // nextUpdate
  der.expect(f[i++], TAG.sequence, 'CTL.subjectAlgorithm');
  const members: CatalogMember[] = [];
  const subjects = f[i];
  if (subjects && subjects.tag === TAG.sequence && subjects.cls === DER_CLASS.universal)
    for (const ts of der.boundedChildren(subjects, MAX_MEMBERS, 'catalog members')) members.push(readMember(der, ts));
  return { listIdentifier, thisUpdate, members };
}

function readMember(der: DerReader, node: DerNode): CatalogMember {
  const [id, attrs] = der.children(der.expect(node, TAG.sequence, 'TrustedSubject'));
  const member: CatalogMember = {
    tag: text(der.content(der.expect(id, TAG.octetString, 'TrustedSubject.subjectIdentifier'))),
    digest: null,
    digestAlgorithm: null,
    kind: null,
    attributes: [],
  };
  if (!attrs) return member;
  for (const a of der.boundedChildren(der.expect(attrs, TAG.set, 'TrustedSubject.subjectAttributes'), 64, 'member attributes')) {
    const [type, values] = der.children(der.expect(a, TAG.sequence, 'Attribute'));
    const oid = der.oid(type!);
    const value = der.children(der.expect(values, TAG.set, 'Attribute values'))[0];
    if (!value) continue;
    if (oid === OID.spcIndirectData) {
      // SpcIndirectDataContent ::= SEQUENCE { data SEQUENCE { type OID, value ANY OPTIONAL }, messageDigest DigestInfo }
      const [data, digestInfo] = der.children(der.expect(value, TAG.sequence, 'SpcIndirectDataContent'));
      const dataType = der.oid(der.children(der.expect(data, TAG.sequence, 'SpcAttributeTypeAndOptionalValue'))[0]!);
      const [alg, digest] = der.children(der.expect(digestInfo, TAG.sequence, 'DigestInfo'));
      const algOid = der.oid(der.children(der.expect(alg, TAG.sequence, 'DigestInfo.digestAlgorithm'))[0]!);
      member.digest = hexOfBytes(der.content(der.expect(digest, TAG.octetString, 'DigestInfo.digest')));
      member.digestAlgorithm = DIGEST_OIDS[algOid] ?? algOid;
      member.kind = dataType === SPC_PE_IMAGE_DATA ? 'pe' : 'flat';
    } else if (oid === CAT_NAMEVALUE) {
      // CatNameValue ::= SEQUENCE { tag BMPString, fdwAttributes INTEGER, value OCTET STRING (UTF-16LE) }
      const [tag, , v] = der.children(der.expect(value, TAG.sequence, 'CatNameValue'));
      member.attributes.push({ name: der.text(tag!), value: v ? utf16le(der.content(v)) : '' });
    } else if (oid === CAT_MEMBERINFO) {
      const [guid] = der.children(der.expect(value, TAG.sequence, 'CatMemberInfo'));
      member.attributes.push({ name: 'MemberInfo', value: guid ? der.text(guid) : '' });
    } else member.attributes.push({ name: oid, value: hexOfBytes(der.encoding(value)) });
  }
  return member;
}

/** The member whose recorded hash is `digest` (hex, either case), or null: the file is in no signed list of this catalog. */
export function catalogMember(catalog: Catalog, digest: string): CatalogMember | null {
  return catalog.byDigest.get(digest.toLowerCase()) ?? null;
}

/**
 * The hash a catalog lists for a file: its Authenticode digest when it is a PE image, else the hash of the
 * whole file (what Windows' catalog tools record, [MS-CAESO]). Reads the whole file.
 */
export async function catalogDigestOf(src: ByteSource, hashers: HasherFactory, algorithm: 'sha1' | 'sha256'): Promise<{ digest: string; kind: 'pe' | 'flat' }> {
  // Not a PE image (no MZ header, no PE signature where it points): the whole file is hashed.
  const header = await readPeHeader(src).catch((e: unknown) => {
    if (e instanceof FormatError) return null;
    throw e;
  });
  if (header) return { digest: (await imageDigest(src, header, algorithm, hashers)).digest, kind: 'pe' };
  return { digest: (await hashSource(src, [algorithm], eachAlone(hashers)))[algorithm], kind: 'flat' };
}

/** A subjectIdentifier or list identifier as text: UTF-16LE when it looks like it, else Latin-1, else hex. */
function text(b: Uint8Array): string {
  if (b.length >= 2 && b.length % 2 === 0 && b.every((x, i) => (i % 2 ? x === 0 : x !== 0) || (i >= b.length - 2 && x === 0))) return utf16le(b);
  if (b.every((x) => x >= 0x20 && x < 0x7f)) return new TextDecoder('latin1').decode(b);
  return hexOfBytes(b);
}

function utf16le(b: Uint8Array): string {
  return new TextDecoder('utf-16le').decode(b).replace(/\0+$/, '');
}
