/**
 * OpenPGP signatures of checksum lists, checked with a key the user gives.
 *
 * Distributions sign their lists two ways: a detached signature beside the
 * list (Debian's SHA256SUMS.sign, Ubuntu's SHA256SUMS.gpg, Arch's .sig;
 * RFC 9580 §11.4 "Detached Signatures") or the list itself cleartext-signed
 * (Fedora's CHECKSUM; RFC 9580 §7 "Cleartext Signature Framework"). Either
 * is armored (RFC 9580 §6) or binary packets.
 *
 * The checking is OpenPGP.js (openpgp, maintained by Proton), imported only
 * when a signature is checked: neither the page nor the CLI loads it before.
 *
 * What a good signature means is said with it: the list was signed by the
 * key given, and has not changed since. Whether that key is the
 * distribution's is for the user to confirm (its fingerprint against the
 * distribution's own page); nothing here calls a key trusted.
 */
import type { VerifyMessageResult } from 'openpgp';

export type OpenPgpKind = 'signature' | 'public-key' | 'signed-message' | 'private-key';

export interface SignatureSigner {
  /** The signing (sub)key's 16-hex-digit key ID, as the signature names it. */
  keyId: string;
  /** The primary key's fingerprint (upper-case hex), when the key was given. */
  fingerprint: string | null;
  userIds: string[];
}

export type SignatureCheck =
  /** The list was signed by a key given and is unchanged since; `signedText` is the text that was signed. */
  | { status: 'good'; signer: SignatureSigner; created: string | null; signedText: string }
  /** A key given made this signature, but the list (or the signature) changed since, or the key cannot sign (expired, revoked). */
  | { status: 'bad'; signer: SignatureSigner; reason: string }
  /** None of the keys given made the signature. */
  | { status: 'wrong-key'; signatureKeyIds: string[]; givenFingerprints: string[] }
  /** The inputs are not what they should be (no signature, no key, not OpenPGP). */
  | { status: 'unreadable'; reason: string };

const ARMOR: [RegExp, OpenPgpKind][] = [
  [/^-----BEGIN PGP SIGNED MESSAGE-----/m, 'signed-message'],
  [/^-----BEGIN PGP SIGNATURE-----/m, 'signature'],
  [/^-----BEGIN PGP PUBLIC KEY BLOCK-----/m, 'public-key'],
  [/^-----BEGIN PGP PRIVATE KEY BLOCK-----/m, 'private-key'],
];

/** The files a user drops are told apart by content, not name: .asc, .sig, .gpg and .sign each hold any of these. */
export function openPgpKind(bytes: Uint8Array): OpenPgpKind | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  for (const [re, kind] of ARMOR) if (re.test(head)) return kind;
  // Binary: the first packet's tag (RFC 9580 §4.2): bit 7 set; bit 6 new format (tag in bits 0–5) or legacy (bits 2–5).
  const b = bytes[0];
  if (b === undefined || !(b & 0x80)) return null;
  const tag = b & 0x40 ? b & 0x3f : (b >> 2) & 0x0f;
  if (tag === 2) return 'signature';
  if (tag === 6) return 'public-key';
  if (tag === 5) return 'private-key';
  return null;
}

const text = (b: Uint8Array) => new TextDecoder('latin1').decode(b);
const hexId = (id: { toHex(): string }) => id.toHex().toUpperCase();

/**
 * Check `list` against `signature` (detached), or its own cleartext signature
 * when `signature` is null, with `keys` (one or more public keys, armored or
 * binary, concatenated).
 */
export async function checkSignedList(list: Uint8Array, signature: Uint8Array | null, keys: Uint8Array | Uint8Array[]): Promise<SignatureCheck> {
  const openpgp = await import('openpgp');
  const keyFiles = Array.isArray(keys) ? keys : [keys];
  const publicKeys: Awaited<ReturnType<typeof openpgp.readKeys>> = [];
  for (const file of keyFiles) {
    const keyKind = openPgpKind(file);
    if (keyKind === 'private-key')
      return { status: 'unreadable', reason: 'The key file holds a private key: give the public key (never share a private one).' };
    if (keyKind !== 'public-key') return { status: 'unreadable', reason: 'The key file is not an OpenPGP public key.' };
    try {
      publicKeys.push(...(isArmored(file) ? await openpgp.readKeys({ armoredKeys: text(file) }) : await openpgp.readKeys({ binaryKeys: file })));
    } catch (e) {
      return { status: 'unreadable', reason: `The key could not be read: ${(e as Error).message}` };
    }
  }
  if (!publicKeys.length) return { status: 'unreadable', reason: 'No public key was given.' };

  const listKind = openPgpKind(list);
  let verifying: Promise<VerifyMessageResult>;
  let signedText: string;
  let signatureKeyIds: string[];
  try {
    if (signature === null) {
      if (listKind !== 'signed-message') return { status: 'unreadable', reason: 'The list is not signed inside, and no signature file was given.' };
      const message = await openpgp.readCleartextMessage({ cleartextMessage: new TextDecoder().decode(list) });
      signedText = message.getText();
      signatureKeyIds = message.getSigningKeyIDs().map(hexId);
      verifying = openpgp.verify({ message, verificationKeys: publicKeys, format: 'utf8' });
    } else {
      if (openPgpKind(signature) !== 'signature') return { status: 'unreadable', reason: 'The signature file is not an OpenPGP signature.' };
      const sig = isArmored(signature)
        ? await openpgp.readSignature({ armoredSignature: text(signature) })
        : await openpgp.readSignature({ binarySignature: signature });
      signatureKeyIds = sig.getSigningKeyIDs().map(hexId);
      signedText = new TextDecoder().decode(list);
      const message = await openpgp.createMessage({ binary: list });
      verifying = openpgp.verify({ message, signature: sig, verificationKeys: publicKeys, format: 'binary' });
    }
  } catch (e) {
    return { status: 'unreadable', reason: `The signature could not be read: ${(e as Error).message}` };
  }

  // Which given key holds the signing (sub)key: none is "wrong key", told apart from a bad signature.
  const signerKey = publicKeys.find((k) => signatureKeyIds.some((id) => k.getKeys().some((sub) => hexId(sub.getKeyID()) === id)));
  if (!signerKey) return { status: 'wrong-key', signatureKeyIds, givenFingerprints: publicKeys.map((k) => k.getFingerprint().toUpperCase()) };
  const signer: SignatureSigner = {
    keyId: signatureKeyIds.find((id) => signerKey.getKeys().some((sub) => hexId(sub.getKeyID()) === id))!,
    fingerprint: signerKey.getFingerprint().toUpperCase(),
    userIds: signerKey.getUserIDs(),
  };
  try {
    const result = await verifying;
    const mine = result.signatures.find((s) => hexId(s.keyID) === signer.keyId) ?? result.signatures[0];
    if (!mine) return { status: 'bad', signer, reason: 'The signature holds no signature by this key.' };
    await mine.verified; // rejects when the signature does not match, or the key cannot be used
    const packet = (await mine.signature).packets[0];
    return { status: 'good', signer, created: packet?.created ? packet.created.toISOString() : null, signedText };
  } catch (e) {
    return { status: 'bad', signer, reason: (e as Error).message };
  }
}

function isArmored(bytes: Uint8Array): boolean {
  return /^-----BEGIN PGP /m.test(new TextDecoder('latin1').decode(bytes.subarray(0, 4096)));
}

/** What a report keeps of a signature check (the signed text is used, not kept), and which file was checked. */
export type ListSignature = (
  | { status: 'good'; signer: SignatureSigner; created: string | null }
  | { status: 'bad'; signer: SignatureSigner; reason: string }
  | { status: 'wrong-key'; signatureKeyIds: string[]; givenFingerprints: string[] }
  | { status: 'unreadable'; reason: string }
) & { file: string };

export function listSignature(check: SignatureCheck, file: string): ListSignature {
  if (check.status === 'good') return { status: 'good', signer: check.signer, created: check.created, file };
  return { ...check, file };
}
