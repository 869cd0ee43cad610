/**
 * X.509 certificates (RFC 5280 §4.1), read over der.ts: what checking a
 * signature and a chain needs, and no more.
 *
 *   Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE { [0] EXPLICIT version DEFAULT v1, serialNumber, signature,
 *     issuer, validity, subject, subjectPublicKeyInfo, [1] issuerUID, [2] subjectUID, [3] EXPLICIT extensions }
 *
 * Every node is read along that fixed shape; sizes are bounded by the
 * caller (a signature's certificates come from a bounded table).
 */
import { DER_CLASS, DerReader, readName, TAG, type DerNode, type DistinguishedName } from './der.ts';
import { hexOfBytes } from '../../io/bytes.ts';

/** RFC 5280 §4.1.1.2 AlgorithmIdentifier: the OID and the encoding of its parameters (null when absent). */
export interface AlgorithmIdentifier {
  oid: string;
  params: Uint8Array | null;
}

export interface Certificate {
  /** The whole certificate's DER (what a fingerprint hashes and what matches an anchor). */
  der: Uint8Array;
  /** The tbsCertificate's DER: what the issuer signed (RFC 5280 §4.1.1.3). */
  tbs: Uint8Array;
  version: number;
  serial: string;
  /** The DER of the issuer and subject Names: chaining compares these (RFC 5280 §7.1, binary comparison first). */
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  notBefore: number;
  notAfter: number;
  /** SubjectPublicKeyInfo's DER, as WebCrypto's importKey('spki') takes it. */
  spki: Uint8Array;
  keyAlgorithm: AlgorithmIdentifier;
  /** basicConstraints (RFC 5280 §4.2.1.9), or null when absent. */
  basicConstraints: { ca: boolean; pathLength: number | null } | null;
  /** keyUsage bits (RFC 5280 §4.2.1.3) as names, or null when absent. */
  keyUsage: Set<string> | null;
  /** extKeyUsage OIDs (RFC 5280 §4.2.1.12), or null when absent. */
  extendedKeyUsage: string[] | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  /** Critical extensions this reader does not know: RFC 5280 §4.2 says such a certificate must be rejected. */
  unknownCritical: string[];
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Uint8Array;
}

const EXT = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
} as const;

/**
 * Extensions that may be critical without changing what is checked here: they only add names or policies, or (Netscape
 * certificate type, 2.16.840.1.113730.1.1, critical on Debian's Secure Boot CA) restrict usages that the extended key usage
 * check covers for code signing.
 */
const HARMLESS_CRITICAL = new Set(['2.5.29.17', '2.5.29.18', '2.5.29.32', '2.5.29.14', '2.5.29.35', '1.3.6.1.4.1.311.21.10', '2.16.840.1.113730.1.1']);

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
export function readAlgorithm(der: DerReader, n: DerNode | undefined, what: string): AlgorithmIdentifier {
  const [oid, params] = der.children(der.expect(n, TAG.sequence, what));
  return { oid: der.oid(oid!), params: params && !(params.tag === TAG.null && params.cls === DER_CLASS.universal) ? der.encoding(params) : null };
}

/** One Certificate at `node` of `der`. */
export function readCertificate(der: DerReader, node: DerNode): Certificate {
  const [tbsNode, sigAlg, sigValue] = der.children(der.expect(node, TAG.sequence, 'Certificate'));
  const t = der.children(der.expect(tbsNode, TAG.sequence, 'TBSCertificate'));
  let i = 0;
  let version = 1;
  if (t[0]?.cls === DER_CLASS.context && t[0].tag === 0) {
    version = der.smallInteger(der.children(t[0])[0]!) + 1;
    i = 1;
  }
  const serial = der.integerHex(der.expect(t[i], TAG.integer, 'TBSCertificate.serialNumber'));
  readAlgorithm(der, t[i + 1], 'TBSCertificate.signature');
  const issuerNode = der.expect(t[i + 2], TAG.sequence, 'TBSCertificate.issuer');
  const [nb, na] = der.children(der.expect(t[i + 3], TAG.sequence, 'TBSCertificate.validity'));
  const subjectNode = der.expect(t[i + 4], TAG.sequence, 'TBSCertificate.subject');
  const spkiNode = der.expect(t[i + 5], TAG.sequence, 'TBSCertificate.subjectPublicKeyInfo');
  const [keyAlg] = der.children(spkiNode);
  const cert: Certificate = {
    der: der.encoding(node),
    tbs: der.encoding(tbsNode!),
    version,
    serial,
    issuerDer: der.encoding(issuerNode),
    subjectDer: der.encoding(subjectNode),
    issuer: readName(der, issuerNode),
    subject: readName(der, subjectNode),
    notBefore: der.time(der.expect(nb, nb?.tag === TAG.generalizedTime ? TAG.generalizedTime : TAG.utcTime, 'Validity.notBefore')),
    notAfter: der.time(der.expect(na, na?.tag === TAG.generalizedTime ? TAG.generalizedTime : TAG.utcTime, 'Validity.notAfter')),
    spki: der.encoding(spkiNode),
    keyAlgorithm: readAlgorithm(der, keyAlg, 'SubjectPublicKeyInfo.algorithm'),
    basicConstraints: null,
    keyUsage: null,
    extendedKeyUsage: null,
    subjectKeyId: null,
    authorityKeyId: null,
    unknownCritical: [],
    signatureAlgorithm: readAlgorithm(der, sigAlg, 'Certificate.signatureAlgorithm'),
    signature: der.bitString(der.expect(sigValue, TAG.bitString, 'Certificate.signatureValue')).bytes,
  };
  const extensions = t.slice(i + 6).find((n) => n.cls === DER_CLASS.context && n.tag === 3);
  if (extensions) readExtensions(der, der.children(extensions)[0], cert);
  return cert;
}

/** Extensions ::= SEQUENCE OF Extension; Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
function readExtensions(der: DerReader, list: DerNode | undefined, cert: Certificate): void {
  for (const ext of der.boundedChildren(der.expect(list, TAG.sequence, 'Extensions'), 64, 'certificate extensions')) {
    const parts = der.children(der.expect(ext, TAG.sequence, 'Extension'));
    const id = der.oid(parts[0]!);
    const critical = parts.length === 3 ? der.boolean(parts[1]!) : false;
    const value = der.expect(parts.at(-1), TAG.octetString, 'Extension.extnValue');
    // The extension's own DER lies inside the OCTET STRING (RFC 5280 §4.1: extnValue).
    const inner = der.node(value.contentStart, value.end);
    switch (id) {
      case EXT.basicConstraints: {
        // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
        const f = der.children(der.expect(inner, TAG.sequence, 'BasicConstraints'));
        let ca = false;
        let pathLength: number | null = null;
        for (const n of f) {
          if (n.tag === 1 && n.cls === DER_CLASS.universal) ca = der.boolean(n);
          else if (n.tag === TAG.integer) pathLength = der.smallInteger(n);
        }
        cert.basicConstraints = { ca, pathLength };
        break;
      }
      case EXT.keyUsage: {
        const { bytes } = der.bitString(der.expect(inner, TAG.bitString, 'KeyUsage'));
        cert.keyUsage = new Set(KEY_USAGE_BITS.filter((_, bit) => (bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))));
        break;
      }
      case EXT.extKeyUsage:
        cert.extendedKeyUsage = der.boundedChildren(der.expect(inner, TAG.sequence, 'ExtKeyUsageSyntax'), 64, 'extended key usages').map((n) => der.oid(n));
        break;
      case EXT.subjectKeyId:
        cert.subjectKeyId = hexOfBytes(der.content(der.expect(inner, TAG.octetString, 'SubjectKeyIdentifier')));
        break;
      case EXT.authorityKeyId: {
        // AuthorityKeyIdentifier ::= SEQUENCE { [0] keyIdentifier OPTIONAL, … }
        const key = der.children(der.expect(inner, TAG.sequence, 'AuthorityKeyIdentifier')).find((n) => n.cls === DER_CLASS.context && n.tag === 0);
        cert.authorityKeyId = key ? hexOfBytes(der.content(key)) : null;
        break;
      }
      default:
        if (critical && !HARMLESS_CRITICAL.has(id)) cert.unknownCritical.push(id);
    }
  }
}

/** A certificate from its DER alone (an anchor, a test's certificate). */
export function parseCertificate(bytes: Uint8Array, structure = 'X.509 certificate'): Certificate {
  const der = new DerReader(bytes, null, structure);
  return readCertificate(der, der.node(0));
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
