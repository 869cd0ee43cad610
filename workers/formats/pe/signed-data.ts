/**
 * PKCS#7 / CMS SignedData (RFC 2315 §9, RFC 5652 §5), read for checking:
 * the signed content and the octets its message digest covers, the
 * certificates carried, and each SignerInfo with its attributes.
 *
 *   ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
 *   SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo,
 *     certificates [0] IMPLICIT OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos SET }
 *   SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, signedAttrs [0] IMPLICIT OPTIONAL,
 *     signatureAlgorithm, signature OCTET STRING, unsignedAttrs [1] IMPLICIT OPTIONAL }
 *
 * The digest covers the content's value octets, without its identifier and
 * length: for PKCS#7 content of any type (Authenticode's
 * SpcIndirectDataContent, a catalog's CTL) the contents of that SEQUENCE
 * (RFC 2315 §9.3), for CMS the OCTET STRING's value (RFC 5652 §5.4). The
 * signature covers the signed attributes re-encoded as an explicit SET OF,
 * tag 0x31 in place of [0] (RFC 5652 §5.4).
 */
import { FormatError } from '../../io/format-error.ts';
import { hexOfBytes } from '../../io/bytes.ts';
import { DER_CLASS, DerReader, TAG, type DerNode } from './der.ts';
import { readAlgorithm, readCertificate, sameBytes, type AlgorithmIdentifier, type Certificate } from './x509.ts';

export const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  counterSignature: '1.2.840.113549.1.9.6',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  spcIndirectData: '1.3.6.1.4.1.311.2.1.4',
  nestedSignature: '1.3.6.1.4.1.311.2.4.1',
  rfc3161Timestamp: '1.3.6.1.4.1.311.3.3.1',
  ctl: '1.3.6.1.4.1.311.10.1',
} as const;

/** Bounds: a real signature carries 2–6 certificates and one or two signers. */
const MAX_CERTIFICATES = 32;
const MAX_SIGNERS = 8;
const MAX_ATTRIBUTES = 64;
/** The largest certificate accepted (Microsoft's are under 2 KiB; 64 KiB leaves room for any honest one). */
const MAX_CERTIFICATE_BYTES = 64 * 1024;

export interface Attribute {
  type: string;
  values: DerNode[];
}

export interface SignerInfo {
  /** Where it starts, within the reader's bytes (for errors). */
  at: number;
  issuerDer: Uint8Array | null;
  serial: string | null;
  subjectKeyId: string | null;
  digestAlgorithm: string;
  /** The signed attributes as the signature covers them (tag 0x31), or null when there are none. */
  signedAttrs: Uint8Array | null;
  attributes: Attribute[];
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Uint8Array;
  unsignedAttributes: Attribute[];
}

export interface SignedData {
  der: DerReader;
  contentType: string;
  /** The content node (inside [0] EXPLICIT): a SEQUENCE for PKCS#7 content, an OCTET STRING for CMS. */
  content: DerNode | null;
  /** What the messageDigest attribute covers. */
  contentOctets: Uint8Array | null;
  /** The content itself as a node to read: the SEQUENCE, or the DER inside the OCTET STRING. */
  contentValue: DerNode | null;
  certificates: Certificate[];
  signerInfos: SignerInfo[];
}

/** A ContentInfo holding SignedData, at `node` of `der`. */
export function readSignedData(der: DerReader, node: DerNode): SignedData {
  const [type, wrapped] = der.children(der.expect(node, TAG.sequence, 'ContentInfo'));
  if (der.oid(type!) !== OID.signedData) der.fail('PKCS7_NOT_SIGNED_DATA', 'a ContentInfo that is not SignedData', node.start);
  const [signedData] = der.children(der.expect(wrapped, 0, 'ContentInfo.content', DER_CLASS.context));
  const parts = der.children(der.expect(signedData, TAG.sequence, 'SignedData'));
  const encap = der.children(der.expect(parts[2], TAG.sequence, 'SignedData.encapContentInfo'));
  const contentType = der.oid(encap[0]!);
  let content: DerNode | null = null;
  let contentValue: DerNode | null = null;
  if (encap[1]) {
    content = der.children(der.expect(encap[1], 0, 'encapContentInfo.eContent', DER_CLASS.context))[0] ?? null;
    if (content) {
      const octets = content.tag === TAG.octetString && content.cls === DER_CLASS.universal && !content.constructed;
      contentValue = octets ? (content.end > content.contentStart ? der.node(content.contentStart, content.end) : null) : content;
    }
  }
  const certificates: Certificate[] = [];
  let signerInfos: DerNode | undefined;
  for (const p of parts.slice(3)) {
    if (p.cls === DER_CLASS.context && p.tag === 0) {
      const list = der.children(p);
      if (list.length > MAX_CERTIFICATES)
        der.fail('PKCS7_TOO_MANY_CERTIFICATES', `${list.length} certificates in one signature (more than ${MAX_CERTIFICATES})`, p.start);
      for (const c of list) {
        // CertificateChoices (RFC 5652 §10.2.2): only the plain Certificate SEQUENCE is used; others are skipped.
        if (c.cls !== DER_CLASS.universal || c.tag !== TAG.sequence) continue;
        if (c.end - c.start > MAX_CERTIFICATE_BYTES)
          der.fail('X509_TOO_LARGE', `a certificate of ${c.end - c.start} bytes (more than ${MAX_CERTIFICATE_BYTES})`, c.start);
        certificates.push(readCertificate(der, c));
      }
    } else if (p.cls === DER_CLASS.universal && p.tag === TAG.set) signerInfos = p;
  }
  if (!signerInfos) der.fail('PKCS7_NO_SIGNER', 'SignedData has no signerInfos', signedData!.start);
  return {
    der,
    contentType,
    content,
    contentOctets: content ? der.content(content) : null,
    contentValue,
    certificates,
    signerInfos: der.boundedChildren(signerInfos, MAX_SIGNERS, 'signerInfos').map((si) => readSignerInfo(der, si)),
  };
}

export function readSignerInfo(der: DerReader, node: DerNode): SignerInfo {
  const f = der.children(der.expect(node, TAG.sequence, 'SignerInfo'));
  const sid = f[1]!;
  let issuerDer: Uint8Array | null = null;
  let serial: string | null = null;
  let subjectKeyId: string | null = null;
  if (sid.cls === DER_CLASS.universal && sid.tag === TAG.sequence) {
    // IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber INTEGER }
    const [issuer, sn] = der.children(sid);
    issuerDer = der.encoding(der.expect(issuer, TAG.sequence, 'IssuerAndSerialNumber.issuer'));
    serial = der.integerHex(der.expect(sn, TAG.integer, 'IssuerAndSerialNumber.serialNumber'));
  } else if (sid.cls === DER_CLASS.context && sid.tag === 0) {
    // [0] SubjectKeyIdentifier (CMS version 3, RFC 5652 §5.3)
    subjectKeyId = hexOfBytes(der.content(sid));
  } else der.fail('PKCS7_BAD_SID', 'a SignerInfo whose signer identifier is neither issuer and serial nor key identifier', sid.start);
  const digestAlgorithm = readAlgorithm(der, f[2], 'SignerInfo.digestAlgorithm').oid;
  let i = 3;
  let signedAttrs: Uint8Array | null = null;
  let attributes: Attribute[] = [];
  if (f[i]?.cls === DER_CLASS.context && f[i]!.tag === 0) {
    const n = f[i]!;
    signedAttrs = new Uint8Array(der.encoding(n));
    signedAttrs[0] = 0x31; // RFC 5652 §5.4: the signature covers the explicit SET OF encoding
    attributes = readAttributes(der, n);
    i++;
  }
  const signatureAlgorithm = readAlgorithm(der, f[i], 'SignerInfo.signatureAlgorithm');
  const signature = der.content(der.expect(f[i + 1], TAG.octetString, 'SignerInfo.signature'));
  const unsigned = f[i + 2];
  const unsignedAttributes = unsigned?.cls === DER_CLASS.context && unsigned.tag === 1 ? readAttributes(der, unsigned) : [];
  return { at: node.start, issuerDer, serial, subjectKeyId, digestAlgorithm, signedAttrs, attributes, signatureAlgorithm, signature, unsignedAttributes };
}

/** Attribute ::= SEQUENCE { attrType OID, attrValues SET OF ANY } (RFC 5652 §5.3) */
function readAttributes(der: DerReader, n: DerNode): Attribute[] {
  return der.boundedChildren(n, MAX_ATTRIBUTES, 'attributes').map((a) => {
    const [type, values] = der.children(der.expect(a, TAG.sequence, 'Attribute'));
    return { type: der.oid(type!), values: der.boundedChildren(der.expect(values, TAG.set, 'Attribute.attrValues'), MAX_SIGNERS * 2, 'attribute values') };
  });
}

/** The one value of attribute `type`, or null when absent; several values are an error (RFC 5652 §11.1, §11.2). */
export function singleAttribute(der: DerReader, attributes: readonly Attribute[], type: string): DerNode | null {
  const found = attributes.filter((a) => a.type === type);
  if (found.length === 0) return null;
  if (found.length > 1 || found[0]!.values.length !== 1)
    throw new FormatError('PKCS7_BAD_ATTRIBUTE', `attribute ${type} appears more than once or with several values`, der.structure, der.base);
  return found[0]!.values[0]!;
}

/** The certificate a SignerInfo names, among those carried. */
export function signerCertificate(si: SignerInfo, certificates: readonly Certificate[]): Certificate | null {
  return (
    certificates.find((c) =>
      si.issuerDer ? c.serial === si.serial && sameBytes(c.issuerDer, si.issuerDer) : si.subjectKeyId !== null && c.subjectKeyId === si.subjectKeyId,
    ) ?? null
  );
}
