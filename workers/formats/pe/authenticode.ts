/**
 * Authenticode signatures of a PE image (an EFI boot loader, setup.exe).
 *
 * Where they are: the optional header's data directory 4, the Certificate
 * Table, whose address is a file offset, not an RVA (PE/COFF specification
 * §4.7 "The Attribute Certificate Table"). It holds WIN_CERTIFICATE entries,
 * each aligned to 8 bytes:
 *
 *   +0 dwLength          u32  bytes of this entry, header included
 *   +4 wRevision         u16  0x0200 (WIN_CERT_REVISION_2_0) or 0x0100
 *   +6 wCertificateType  u16  0x0002 = WIN_CERT_TYPE_PKCS_SIGNED_DATA
 *   +8 bCertificate           a DER PKCS#7 ContentInfo
 *
 * What is read from each PKCS#7 SignedData (RFC 2315 §9.1, RFC 5652 §5): the
 * SpcIndirectDataContent's digest of the image ("Windows Authenticode
 * Portable Executable Signature Format", §"SpcIndirectDataContent"), the
 * certificates it carries, and each SignerInfo's issuer and serial, matched
 * to its certificate to name the signer. A nested signature (the
 * unauthenticated attribute 1.3.6.1.4.1.311.2.4.1, how a second signature
 * is added to an image) is read the same way.
 *
 * This names who the signature says signed it; it does not check the
 * signature, the chain, or that the digest is the image's: verify.ts does
 * (verifyPeSignatures).
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { Fields, hexOfBytes } from '../../io/bytes.ts';
import { FormatError } from '../../io/problems.ts';
import { DER_CLASS, DerReader, readName, TAG, type DerNode, type DistinguishedName } from './der.ts';
import { dataDirectory, readPeHeader, type PeHeader } from './pe.ts';
import { sameBytes } from './x509.ts';

/** Data directory index of the Certificate Table (PE/COFF §3.4.3). */
const CERTIFICATE_TABLE = 4;
export const WIN_CERT_TYPE_PKCS_SIGNED_DATA = 2;
/** Real tables hold one or two signatures of ~10 KiB each; a crafted one is cut here. */
const MAX_TABLE_BYTES = 256 * 1024;
const MAX_ENTRIES = 16;
const MAX_NESTING = 4;

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  spcIndirectData: '1.3.6.1.4.1.311.2.1.4',
  nestedSignature: '1.3.6.1.4.1.311.2.4.1',
} as const;

const DIGESTS: Record<string, string> = {
  '1.2.840.113549.2.5': 'MD5',
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

export interface CertificateNames {
  subject: DistinguishedName;
  issuer: DistinguishedName;
  serial: string;
}

export interface AuthenticodeSignature {
  /** Which WIN_CERTIFICATE entry (1-based) holds it. */
  entry: number;
  /** 0 for an entry's own signature, 1 for one nested in it, … */
  nesting: number;
  /** The algorithm of the image digest the signature covers. */
  digestAlgorithm: string;
  /** That digest, hex, as the signature records it (not recomputed). */
  imageDigest: string;
  /** The signing certificate, found by the SignerInfo's issuer and serial; null when the signature does not carry it. */
  signer: CertificateNames | null;
  /** The SignerInfo's issuer (present even when the certificate is not carried). */
  signerIssuer: DistinguishedName;
  /** Every certificate carried, in order. */
  certificates: CertificateNames[];
}

export interface PeSignatures {
  /** Where the Certificate Table is in the PE file, or null when the image is not signed. */
  table: { offset: number; size: number } | null;
  signatures: AuthenticodeSignature[];
}

/** One WIN_CERTIFICATE entry of the table (PE/COFF §4.7). */
export interface CertificateEntry {
  /** 1-based. */
  entry: number;
  /** File offset of its bCertificate (after the 8-byte header). */
  offset: number;
  type: number;
  bytes: Uint8Array;
}

/** The certificate table's entries (its headers and the table itself: a few KiB, at most MAX_TABLE_BYTES). */
export async function readCertificateTable(src: ByteSource, header?: PeHeader): Promise<{ table: PeSignatures['table']; entries: CertificateEntry[] }> {
  header ??= await readPeHeader(src);
  const dir = dataDirectory(header, CERTIFICATE_TABLE);
  if (!dir) return { table: null, entries: [] };
  if (dir.address + dir.size > src.size)
    throw new FormatError(
      'AUTHENTICODE_PAST_END',
      `the certificate table (${dir.size} bytes at ${dir.address}) runs past the file's ${src.size} bytes`,
      'PE certificate table',
      dir.address,
    );
  if (dir.size > MAX_TABLE_BYTES)
    throw new FormatError(
      'AUTHENTICODE_TOO_LARGE',
      `a certificate table of ${dir.size} bytes (more than ${MAX_TABLE_BYTES})`,
      'PE certificate table',
      dir.address,
    );
  const table = new Fields(await src.read(dir.address, dir.size), dir.address, 'WIN_CERTIFICATE');
  const entries: CertificateEntry[] = [];
  let at = 0;
  for (let entry = 1; at + 8 <= table.length && entry <= MAX_ENTRIES; entry++) {
    const length = table.u32le(at);
    const type = table.u16le(at + 6);
    if (length < 8 || at + length > table.length)
      throw new FormatError(
        'AUTHENTICODE_BAD_ENTRY',
        `WIN_CERTIFICATE ${entry} says ${length} bytes; ${table.length - at} remain`,
        'WIN_CERTIFICATE',
        dir.address + at,
      );
    entries.push({ entry, offset: dir.address + at + 8, type, bytes: table.raw(at + 8, length - 8) });
    at += (length + 7) & ~7; // §4.7: entries are quadword-aligned
  }
  return { table: { offset: dir.address, size: dir.size }, entries };
}

/** Read the Authenticode signatures of the PE image `src` (its headers and its certificate table: a few KiB). */
export async function readAuthenticode(src: ByteSource, header?: PeHeader): Promise<PeSignatures> {
  const { table, entries } = await readCertificateTable(src, header);
  const signatures: AuthenticodeSignature[] = [];
  for (const e of entries)
    if (e.type === WIN_CERT_TYPE_PKCS_SIGNED_DATA) {
      const der = new DerReader(e.bytes, e.offset, 'Authenticode PKCS#7');
      readContentInfo(der, der.node(0), e.entry, 0, signatures);
    }
  return { table, signatures };
}

/** ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT SignedData } */
function readContentInfo(der: DerReader, node: DerNode, entry: number, nesting: number, out: AuthenticodeSignature[]): void {
  const [type, wrapped] = der.children(der.expect(node, TAG.sequence, 'ContentInfo'));
  if (der.oid(type!) !== OID.signedData)
    throw new FormatError('AUTHENTICODE_NOT_SIGNED_DATA', 'a ContentInfo that is not PKCS#7 SignedData', 'ContentInfo', der.base);
  const [signedData] = der.children(der.expect(wrapped, 0, 'SignedData', DER_CLASS.context));
  const parts = der.children(der.expect(signedData, TAG.sequence, 'SignedData'));
  // version, digestAlgorithms, contentInfo, [0] certificates, [1] crls, signerInfos
  const content = der.children(der.expect(parts[2], TAG.sequence, 'SignedData.contentInfo'));
  if (der.oid(content[0]!) !== OID.spcIndirectData)
    throw new FormatError('AUTHENTICODE_NOT_SPC', 'the signed content is not SpcIndirectDataContent', 'SignedData.contentInfo', der.base);
  const [spc] = der.children(der.expect(content[1], 0, 'SpcIndirectDataContent', DER_CLASS.context));
  const [, digestInfo] = der.children(der.expect(spc, TAG.sequence, 'SpcIndirectDataContent'));
  const [digestAlg, digest] = der.children(der.expect(digestInfo, TAG.sequence, 'DigestInfo'));
  const algOid = der.oid(der.children(der.expect(digestAlg, TAG.sequence, 'AlgorithmIdentifier'))[0]!);
  const imageDigest = hexOfBytes(der.content(der.expect(digest, TAG.octetString, 'DigestInfo.digest')));

  const certificates: (CertificateNames & { issuerDer: Uint8Array })[] = [];
  let signerInfos: DerNode | undefined;
  for (const p of parts.slice(3)) {
    if (p.cls === DER_CLASS.context && p.tag === 0) for (const c of der.children(p)) certificates.push(readCertificate(der, c));
    else if (p.cls === DER_CLASS.universal && p.tag === TAG.set) signerInfos = p;
  }
  if (!signerInfos) throw new FormatError('AUTHENTICODE_NO_SIGNER', 'SignedData has no signerInfos', 'SignedData', der.base);
  const nested: DerNode[] = [];
  for (const si of der.children(signerInfos).slice(0, MAX_ENTRIES)) {
    const f = der.children(der.expect(si, TAG.sequence, 'SignerInfo'));
    // SignerInfo: version, issuerAndSerialNumber, digestAlgorithm, [0] authenticated, digestEncryptionAlgorithm, encryptedDigest, [1] unauthenticated
    const sid = f[1];
    let signer: CertificateNames | null = null;
    let signerIssuer: DistinguishedName = { attributes: [], oneLine: '', commonName: null };
    if (sid && sid.cls === DER_CLASS.universal && sid.tag === TAG.sequence) {
      const [issuer, serial] = der.children(sid);
      const issuerDer = der.encoding(issuer!);
      const serialHex = der.integerHex(serial!);
      signerIssuer = readName(der, issuer!);
      const cert = certificates.find((c) => c.serial === serialHex && sameBytes(c.issuerDer, issuerDer));
      if (cert) signer = { subject: cert.subject, issuer: cert.issuer, serial: cert.serial };
    }
    out.push({
      entry,
      nesting,
      digestAlgorithm: DIGESTS[algOid] ?? algOid,
      imageDigest,
      signer,
      signerIssuer,
      certificates: certificates.map(({ subject, issuer, serial }) => ({ subject, issuer, serial })),
    });
    const unauthenticated = f.find((n) => n.cls === DER_CLASS.context && n.tag === 1);
    if (unauthenticated && nesting < MAX_NESTING)
      for (const attr of der.children(unauthenticated)) {
        const [type, values] = der.children(der.expect(attr, TAG.sequence, 'Attribute'));
        if (der.oid(type!) === OID.nestedSignature) nested.push(...der.children(der.expect(values, TAG.set, 'Attribute values')));
      }
  }
  for (const n of nested.slice(0, MAX_ENTRIES)) readContentInfo(der, n, entry, nesting + 1, out);
}

/** Certificate ::= SEQUENCE { tbsCertificate, … }; tbsCertificate: [0] version, serialNumber, signature, issuer, validity, subject, … (RFC 5280 §4.1) */
function readCertificate(der: DerReader, node: DerNode): CertificateNames & { issuerDer: Uint8Array } {
  const [tbs] = der.children(der.expect(node, TAG.sequence, 'Certificate'));
  const t = der.children(der.expect(tbs, TAG.sequence, 'TBSCertificate'));
  const v = t[0]?.cls === DER_CLASS.context && t[0].tag === 0 ? 1 : 0;
  const issuer = der.expect(t[v + 2], TAG.sequence, 'TBSCertificate.issuer');
  return {
    serial: der.integerHex(t[v]!),
    issuer: readName(der, issuer),
    subject: readName(der, der.expect(t[v + 4], TAG.sequence, 'TBSCertificate.subject')),
    issuerDer: der.encoding(issuer),
  };
}
