/**
 * Checking one PKCS#7 SignerInfo (RFC 5652 §5.6 "Signature Verification
 * Process"), for an Authenticode signature and a catalog's alike:
 *  1. the signed attributes: content-type equal to the signed content's type
 *     (§11.1), message-digest equal to the digest of the content octets
 *     (§11.2);
 *  2. the signature over the re-encoded signed attributes, with the signer
 *     certificate's key (WebCrypto);
 *  3. a timestamp, when an unsigned attribute carries one and it verifies:
 *     an RFC 3161 TimeStampToken (Microsoft's attribute 1.3.6.1.4.1.311.3.3.1,
 *     RFC 3161 §2.4.2: its messageImprint is the digest of this signature's
 *     value) or a PKCS#9 counter-signature (RFC 5652 §11.4, RFC 2985 §5.3.6:
 *     its message-digest is the digest of this signature's value, its time
 *     the signingTime attribute);
 *  4. the chain (chain.ts), valid at the verified signing time, else now.
 */
import { TAG, type DerNode } from './der.ts';
import { buildChain, type Anchor, type ChainResult, type Purpose } from './chain.ts';
import { OID, readSignedData, readSignerInfo, signerCertificate, singleAttribute, type SignedData, type SignerInfo } from './signed-data.ts';
import { digest, DIGEST_OIDS, verifySignature } from './webcrypto.ts';
import { sameBytes, type Certificate } from './x509.ts';

export type SignatureStatus = 'valid' | 'digest-mismatch' | 'bad-signature' | 'untrusted-chain' | 'unsigned' | 'cannot-check';

export interface VerifyContext {
  anchors: readonly Anchor[];
  /**
   * 'authenticode' (Windows' rule): certificates must be valid at the time a verified timestamp gives, else now.
   * 'uefi-firmware': dates are not checked, as firmware does not (it has no trusted clock); what has expired is said.
   */
  policy: 'authenticode' | 'uefi-firmware';
  /** Now, in ms (tests fix it). */
  now: number;
}

export interface TimestampCheck {
  kind: 'rfc3161' | 'pkcs9-countersignature';
  /** The time it states, ISO 8601. */
  time: string;
  /** Its signature, digest and chain to a trusted anchor all check. */
  verified: boolean;
  /** The time-stamping authority's certificate subject. */
  authority: string | null;
  reason: string | null;
}

export interface SignerCheck {
  status: Exclude<SignatureStatus, 'unsigned' | 'digest-mismatch'>;
  signer: Certificate | null;
  chain: ChainResult | null;
  timestamp: TimestampCheck | null;
  validAt: 'signing-time' | 'now' | 'not-checked';
  /** e.g. "RSASSA-PKCS1-v1_5 with SHA-256". */
  signatureAlgorithm: string;
  reason: string | null;
  /** A typed code for hostile input found on the way (a chain loop, a chain too deep), or null. */
  code: string | null;
  /** Under 'uefi-firmware': which certificate of the chain is outside its dates now, said though not held against it. */
  timeNote: string | null;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Check signer `si` of `sd` over its content (whose type must be `contentType`), for `purpose`.
 */
export async function checkSigner(
  sd: SignedData,
  si: SignerInfo,
  contentType: string,
  ctx: VerifyContext,
  purpose: Purpose = 'code-signing',
): Promise<SignerCheck> {
  const base = { chain: null, timestamp: null, validAt: 'now' as const, code: null, timeNote: null };
  const signer = signerCertificate(si, sd.certificates);
  const core = await checkSignatureCore(sd, si, contentType, signer, sd.contentOctets);
  if (core.status !== 'valid') return { ...base, signer, status: core.status, signatureAlgorithm: core.algorithm, reason: core.reason };

  let timestamp: TimestampCheck | null = null;
  if (purpose === 'code-signing') timestamp = await checkTimestamp(sd, si, ctx);
  const at = ctx.policy === 'uefi-firmware' ? null : timestamp?.verified ? Date.parse(timestamp.time) : ctx.now;
  const validAt = ctx.policy === 'uefi-firmware' ? 'not-checked' : timestamp?.verified ? 'signing-time' : 'now';
  const chain = await buildChain(signer!, sd.certificates, ctx.anchors, at, purpose);
  let timeNote: string | null = null;
  if (ctx.policy === 'uefi-firmware') {
    const out = chain.path.filter((c) => ctx.now > c.notAfter || ctx.now < c.notBefore);
    if (out.length)
      timeNote = `${out.map((c) => `${c.subject.commonName ?? c.subject.oneLine} ${ctx.now > c.notAfter ? `expired on ${day(c.notAfter)}` : `is valid only from ${day(c.notBefore)}`}`).join('; ')}: UEFI firmware does not check certificate dates`;
  }
  return {
    status: chain.trusted ? 'valid' : 'untrusted-chain',
    signer,
    chain,
    timestamp,
    validAt,
    signatureAlgorithm: core.algorithm,
    reason: chain.trusted ? null : chain.reason,
    code: chain.code,
    timeNote,
  };
}

/** Steps 1–2: signed attributes and the signature itself (no chain). */
async function checkSignatureCore(
  sd: SignedData,
  si: SignerInfo,
  contentType: string,
  signer: Certificate | null,
  contentOctets: Uint8Array | null,
): Promise<{ status: 'valid' | 'bad-signature' | 'cannot-check'; algorithm: string; reason: string | null }> {
  const hashName = DIGEST_OIDS[si.digestAlgorithm];
  const algorithm = hashName ?? si.digestAlgorithm;
  if (!signer) return { status: 'cannot-check', algorithm, reason: 'the signature does not carry its signer’s certificate' };
  if (!hashName) return { status: 'cannot-check', algorithm, reason: `digest algorithm ${si.digestAlgorithm} is unknown` };
  if (hashName === 'MD5') return { status: 'cannot-check', algorithm: 'MD5', reason: 'cannot be checked (MD5)' };
  if (!contentOctets) return { status: 'bad-signature', algorithm, reason: 'the signed content is missing' };
  const der = sd.der;
  let signed: Uint8Array;
  if (si.signedAttrs) {
    const ct = singleAttribute(der, si.attributes, OID.contentType);
    if (!ct || der.oid(ct) !== contentType)
      return { status: 'bad-signature', algorithm, reason: 'the signed attributes do not name the signed content’s type (RFC 5652 §11.1)' };
    const md = singleAttribute(der, si.attributes, OID.messageDigest);
    if (!md || md.tag !== TAG.octetString) return { status: 'bad-signature', algorithm, reason: 'the signed attributes have no message digest' };
    if (!sameBytes(der.content(md), await digest(hashName, contentOctets)))
      return { status: 'bad-signature', algorithm, reason: 'the signed attributes’ message digest is not the digest of the signed content' };
    signed = si.signedAttrs;
  } else signed = contentOctets; // RFC 5652 §5.4: without signed attributes the signature covers the content itself
  const sig = await verifySignature(signer.spki, signer.keyAlgorithm, si.signatureAlgorithm, si.signature, signed, si.digestAlgorithm);
  if (sig.outcome === 'valid') return { status: 'valid', algorithm: sig.algorithm, reason: null };
  return { status: sig.outcome === 'invalid' ? 'bad-signature' : 'cannot-check', algorithm: sig.algorithm, reason: sig.reason };
}

/** Step 3: the first timestamp among `si`'s unsigned attributes, checked; null when there is none. */
async function checkTimestamp(sd: SignedData, si: SignerInfo, ctx: VerifyContext): Promise<TimestampCheck | null> {
  const der = sd.der;
  for (const attr of si.unsignedAttributes) {
    if (attr.type === OID.rfc3161Timestamp) {
      const value = attr.values[0];
      if (!value) continue;
      return checkRfc3161(sd, si, value, ctx);
    }
    if (attr.type === OID.counterSignature) {
      const value = attr.values[0];
      if (!value) continue;
      const cs = readSignerInfo(der, value);
      const time = singleAttribute(der, cs.attributes, OID.signingTime);
      if (!time) return { kind: 'pkcs9-countersignature', time: '', verified: false, authority: null, reason: 'the counter-signature states no signing time' };
      const when = der.time(time);
      const tsa = signerCertificate(cs, sd.certificates);
      const result: TimestampCheck = {
        kind: 'pkcs9-countersignature',
        time: new Date(when).toISOString(),
        verified: false,
        authority: tsa?.subject.oneLine ?? null,
        reason: null,
      };
      // RFC 5652 §11.4: a countersignature's message-digest covers the countersigned signature value; it has no content-type.
      const hashName = DIGEST_OIDS[cs.digestAlgorithm];
      const md = singleAttribute(der, cs.attributes, OID.messageDigest);
      if (!tsa) return { ...result, reason: 'the counter-signature’s certificate is not carried' };
      if (!hashName || hashName === 'MD5') return { ...result, reason: `the counter-signature’s digest (${hashName ?? cs.digestAlgorithm}) cannot be checked` };
      if (!md || !sameBytes(der.content(md), await digest(hashName, si.signature)))
        return { ...result, reason: 'the counter-signature does not cover this signature' };
      const sig = await verifySignature(
        tsa.spki,
        tsa.keyAlgorithm,
        cs.signatureAlgorithm,
        cs.signature,
        cs.signedAttrs ?? new Uint8Array(),
        cs.digestAlgorithm,
      );
      if (sig.outcome !== 'valid') return { ...result, reason: `the counter-signature ${sig.outcome === 'invalid' ? 'does not verify' : 'cannot be checked'}` };
      const chain = await buildChain(tsa, sd.certificates, ctx.anchors, when, 'timestamping');
      return chain.trusted ? { ...result, verified: true } : { ...result, reason: `the time-stamping authority is not trusted: ${chain.reason}` };
    }
  }
  return null;
}

/**
 * RFC 3161 TimeStampToken: a ContentInfo of SignedData over TSTInfo (§2.4.2):
 *   TSTInfo ::= SEQUENCE { version, policy, messageImprint SEQUENCE { hashAlgorithm, hashedMessage }, serialNumber, genTime, … }
 */
async function checkRfc3161(outer: SignedData, si: SignerInfo, value: DerNode, ctx: VerifyContext): Promise<TimestampCheck> {
  const der = outer.der;
  const token = readSignedData(der, value);
  const unverified = (time: string, authority: string | null, reason: string): TimestampCheck => ({
    kind: 'rfc3161',
    time,
    verified: false,
    authority,
    reason,
  });
  if (token.contentType !== OID.tstInfo || !token.contentValue) return unverified('', null, 'the timestamp token holds no TSTInfo');
  const f = der.children(der.expect(token.contentValue, TAG.sequence, 'TSTInfo'));
  const [alg, hashed] = der.children(der.expect(f[2], TAG.sequence, 'TSTInfo.messageImprint'));
  const genTime = der.time(der.expect(f[4], TAG.generalizedTime, 'TSTInfo.genTime'));
  const time = new Date(genTime).toISOString();
  const tsi = token.signerInfos[0];
  const tsa = tsi ? signerCertificate(tsi, [...token.certificates, ...outer.certificates]) : null;
  const authority = tsa?.subject.oneLine ?? null;
  const imprintHash = DIGEST_OIDS[der.oid(der.children(der.expect(alg, TAG.sequence, 'messageImprint.hashAlgorithm'))[0]!)];
  if (!imprintHash || imprintHash === 'MD5') return unverified(time, authority, 'the timestamp’s imprint uses a digest that cannot be checked');
  if (!sameBytes(der.content(der.expect(hashed, TAG.octetString, 'messageImprint.hashedMessage')), await digest(imprintHash, si.signature)))
    return unverified(time, authority, 'the timestamp is not over this signature');
  if (!tsi) return unverified(time, authority, 'the timestamp token has no signer');
  const core = await checkSignatureCore(token, tsi, OID.tstInfo, tsa, token.contentOctets);
  if (core.status !== 'valid') return unverified(time, authority, `the timestamp’s signature: ${core.reason}`);
  const chain = await buildChain(tsa!, [...token.certificates, ...outer.certificates], ctx.anchors, genTime, 'timestamping');
  return chain.trusted
    ? { kind: 'rfc3161', time, verified: true, authority, reason: null }
    : unverified(time, authority, `the time-stamping authority is not trusted: ${chain.reason}`);
}
