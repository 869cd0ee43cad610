/**
 * Signatures and small digests through WebCrypto (`globalThis.crypto.subtle`,
 * the same API in Node 20 and in a Web Worker): no cryptography is written
 * here, only the mapping from the algorithm identifiers a signature carries
 * to WebCrypto's parameters, and the one format conversion WebCrypto needs
 * (an ECDSA signature as raw r‖s instead of DER).
 *
 * Algorithm identifiers: RFC 3279 §2.2 (RSA PKCS#1 v1.5, ECDSA), RFC 4055
 * §3.1 (RSASSA-PSS parameters), RFC 5758 §3.2 (ECDSA with SHA-2), RFC 5480
 * §2.1.1.1 (named curves). MD5 has no WebCrypto digest: a signature over it
 * "cannot be checked", never "valid".
 */
import { DER_CLASS, DerReader, TAG } from './der.ts';
import type { AlgorithmIdentifier } from './x509.ts';
import { hexOfBytes } from '../../io/bytes.ts';

export type DigestName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** Digest algorithm OIDs (RFC 3279 §2.1, RFC 5754 §2), MD5 included so that it can be named. */
export const DIGEST_OIDS: Record<string, DigestName | 'MD5'> = {
  '1.2.840.113549.2.5': 'MD5',
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/** Signature algorithm OIDs that name their hash. */
const RSA_PKCS1: Record<string, DigestName | 'MD5'> = {
  '1.2.840.113549.1.1.4': 'MD5',
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.3.14.3.2.29': 'SHA-1', // OIW sha1WithRSASignature, on old Microsoft certificates
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};
const ECDSA: Record<string, DigestName> = {
  '1.2.840.10045.4.1': 'SHA-1',
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSA_PSS = '1.2.840.113549.1.1.10';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const MGF1 = '1.2.840.113549.1.1.8';
const CURVES: Record<string, { name: 'P-256' | 'P-384' | 'P-521'; size: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 32 },
  '1.3.132.0.34': { name: 'P-384', size: 48 },
  '1.3.132.0.35': { name: 'P-521', size: 66 },
};

export interface SignatureOutcome {
  outcome: 'valid' | 'invalid' | 'cannot-check';
  /** What was checked, e.g. "RSASSA-PKCS1-v1_5 with SHA-256". */
  algorithm: string;
  reason: string | null;
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available here');
  return s;
}

/** A digest of bytes in memory (signed attributes, a certificate's fingerprint): small inputs only; images go through workers/hash. */
export async function digest(name: DigestName, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest(name, data as Uint8Array<ArrayBuffer>));
}

/** Imported keys, by algorithm and SPKI: a chain checks the same CA key for every signature it issued. */
const keyCache = new Map<string, Promise<CryptoKey>>();
function importKey(spki: Uint8Array, params: RsaHashedImportParams | EcKeyImportParams): Promise<CryptoKey> {
  const id = `${JSON.stringify(params)}:${hexOfBytes(spki)}`;
  let key = keyCache.get(id);
  if (!key) {
    if (keyCache.size > 256) keyCache.clear();
    key = subtle().importKey('spki', spki as Uint8Array<ArrayBuffer>, params, false, ['verify']);
    keyCache.set(id, key);
  }
  return key;
}

/**
 * Verify `signature` over `data` with the key in `spki` (of algorithm `keyAlgorithm`), for the signature
 * algorithm `sigAlg`. `digestOid` is the SignerInfo's digestAlgorithm, used when the signature algorithm
 * names only the key type (rsaEncryption, id-ecPublicKey: what PKCS#7 SignerInfos often carry, RFC 5652 §5.3).
 */
export async function verifySignature(
  spki: Uint8Array,
  keyAlgorithm: AlgorithmIdentifier,
  sigAlg: AlgorithmIdentifier,
  signature: Uint8Array,
  data: Uint8Array,
  digestOid: string | null = null,
): Promise<SignatureOutcome> {
  const fromDigestOid = digestOid ? DIGEST_OIDS[digestOid] : undefined;
  const cannot = (algorithm: string, reason: string): SignatureOutcome => ({ outcome: 'cannot-check', algorithm, reason });
  let algorithm: string;
  let importParams: RsaHashedImportParams | EcKeyImportParams;
  let verifyParams: AlgorithmIdentifier_ | RsaPssParams | EcdsaParams;
  let sig = signature;
  if (RSA_PKCS1[sigAlg.oid] || (sigAlg.oid === RSA_ENCRYPTION && fromDigestOid)) {
    const hash = RSA_PKCS1[sigAlg.oid] ?? fromDigestOid!;
    algorithm = `RSASSA-PKCS1-v1_5 with ${hash}`;
    if (hash === 'MD5') return cannot(algorithm, 'cannot be checked (MD5): WebCrypto has no MD5, and MD5 signatures prove nothing today');
    if (keyAlgorithm.oid !== RSA_ENCRYPTION) return cannot(algorithm, `an RSA signature but a key of type ${keyAlgorithm.oid}`);
    importParams = { name: 'RSASSA-PKCS1-v1_5', hash };
    verifyParams = { name: 'RSASSA-PKCS1-v1_5' };
  } else if (sigAlg.oid === RSA_PSS) {
    const pss = pssParams(sigAlg.params);
    if (typeof pss === 'string') return cannot('RSA-PSS', pss);
    algorithm = `RSA-PSS with ${pss.hash}`;
    if (keyAlgorithm.oid !== RSA_ENCRYPTION && keyAlgorithm.oid !== RSA_PSS)
      return cannot(algorithm, `an RSA-PSS signature but a key of type ${keyAlgorithm.oid}`);
    importParams = { name: 'RSA-PSS', hash: pss.hash };
    verifyParams = { name: 'RSA-PSS', saltLength: pss.saltLength };
  } else if (ECDSA[sigAlg.oid] || (sigAlg.oid === EC_PUBLIC_KEY && fromDigestOid)) {
    const hash = ECDSA[sigAlg.oid] ?? fromDigestOid!;
    algorithm = `ECDSA with ${hash}`;
    if (hash === 'MD5') return cannot(algorithm, 'cannot be checked (MD5)');
    const curve = keyAlgorithm.oid === EC_PUBLIC_KEY && keyAlgorithm.params ? curveOf(keyAlgorithm.params) : null;
    if (!curve) return cannot(algorithm, 'an ECDSA signature whose key is not on a named P-256, P-384 or P-521 curve');
    algorithm = `ECDSA ${curve.name} with ${hash}`;
    const raw = ecdsaRaw(signature, curve.size);
    if (!raw) return { outcome: 'invalid', algorithm, reason: 'the ECDSA signature is not a DER SEQUENCE of two integers of the curve’s size' };
    sig = raw;
    importParams = { name: 'ECDSA', namedCurve: curve.name };
    verifyParams = { name: 'ECDSA', hash };
  } else return cannot(sigAlg.oid, `signature algorithm ${sigAlg.oid} is not one WebCrypto checks`);
  let key: CryptoKey;
  try {
    key = await importKey(spki, importParams);
  } catch (e) {
    return cannot(algorithm, `the public key could not be imported (${(e as Error).message})`);
  }
  try {
    const ok = await subtle().verify(verifyParams, key, sig as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
    return { outcome: ok ? 'valid' : 'invalid', algorithm, reason: ok ? null : 'the signature does not match the signed bytes and the key' };
  } catch (e) {
    return cannot(algorithm, `WebCrypto could not check it (${(e as Error).message})`);
  }
}

/** WebCrypto's plain `{name}` parameter type, spelled out so as not to clash with x509.ts's AlgorithmIdentifier. */
type AlgorithmIdentifier_ = { name: string };

/**
 * RSASSA-PSS-params (RFC 4055 §3.1): [0] hashAlgorithm DEFAULT sha1, [1] maskGenAlgorithm DEFAULT mgf1SHA1,
 * [2] saltLength DEFAULT 20, [3] trailerField DEFAULT 1. WebCrypto's RSA-PSS uses MGF1 with the same hash.
 */
function pssParams(params: Uint8Array | null): { hash: DigestName; saltLength: number } | string {
  let hash: DigestName = 'SHA-1';
  let mgfHash: DigestName = 'SHA-1';
  let saltLength = 20;
  if (params) {
    const der = new DerReader(params, null, 'RSASSA-PSS-params');
    const seq = der.expect(der.node(0), TAG.sequence, 'RSASSA-PSS-params');
    for (const f of der.children(seq)) {
      if (f.cls !== DER_CLASS.context) continue;
      const inner = der.children(f)[0];
      if (f.tag === 0) {
        const h = DIGEST_OIDS[der.oid(der.children(der.expect(inner, TAG.sequence, 'hashAlgorithm'))[0]!)];
        if (!h || h === 'MD5') return 'RSA-PSS with a hash WebCrypto does not have';
        hash = h;
      } else if (f.tag === 1) {
        const [mgf, mgfParams] = der.children(der.expect(inner, TAG.sequence, 'maskGenAlgorithm'));
        if (der.oid(mgf!) !== MGF1) return 'RSA-PSS with a mask generation function other than MGF1';
        const h = DIGEST_OIDS[der.oid(der.children(der.expect(mgfParams, TAG.sequence, 'MGF1 hash'))[0]!)];
        if (!h || h === 'MD5') return 'RSA-PSS with an MGF1 hash WebCrypto does not have';
        mgfHash = h;
      } else if (f.tag === 2) saltLength = der.smallInteger(inner!);
      else if (f.tag === 3 && der.smallInteger(inner!) !== 1) return 'RSA-PSS with a trailer field other than 0xBC';
    }
  }
  if (mgfHash !== hash) return `RSA-PSS with MGF1-${mgfHash} under ${hash} (WebCrypto uses the same hash for both)`;
  return { hash, saltLength };
}

/** ECParameters ::= CHOICE { namedCurve OID, … } (RFC 5480 §2.1.1). */
function curveOf(params: Uint8Array): (typeof CURVES)[string] | null {
  const der = new DerReader(params, null, 'ECParameters');
  const n = der.node(0);
  return n.tag === TAG.oid && n.cls === DER_CLASS.universal ? (CURVES[der.oid(n)] ?? null) : null;
}

/** Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3) → r‖s, each left-padded to the curve's size. */
function ecdsaRaw(sig: Uint8Array, size: number): Uint8Array | null {
  try {
    const der = new DerReader(sig, null, 'ECDSA signature');
    const [r, s] = der.children(der.expect(der.node(0), TAG.sequence, 'Ecdsa-Sig-Value'));
    const out = new Uint8Array(size * 2);
    for (const [i, n] of [r, s].entries()) {
      let v = der.integerBytes(n!);
      while (v.length > 1 && v[0] === 0) v = v.subarray(1);
      if (v.length > size) return null;
      out.set(v, (i + 1) * size - v.length);
    }
    return out;
  } catch {
    return null;
  }
}
