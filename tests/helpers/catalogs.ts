/**
 * Signing at test time, with the tools the signatures are compared with:
 * test CAs and signers made by openssl, Windows-shaped catalogs (.cat: a
 * PKCS#7 SignedData over a certificate trust list of member hashes, as
 * makecat writes them: the tag the hash in upper-case UTF-16 hex, a File
 * name/value pair with the name in lower case) signed by openssl cms, PE
 * images assembled by binutils-mingw-w64, and their Authenticode digests as
 * osslsigncode calculates them.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SIGNED_EFI = join(import.meta.dirname, '../.tmp/signed-efi/root/usr/lib');
export const SHIM = join(SIGNED_EFI, 'shim/shimx64.efi.signed');
export const GRUB = join(SIGNED_EFI, 'grub/x86_64-efi-signed/grubx64.efi.signed');

/** Microsoft Root Certificate Authority 2010's subject, as a test CA copies it (trust-anchors.ts has the real one). */
export const MICROSOFT_ROOT_2010_SUBJECT = '/C=US/ST=Washington/L=Redmond/O=Microsoft Corporation/CN=Microsoft Root Certificate Authority 2010';
export const MICROSOFT_WINDOWS_SUBJECT = '/C=US/ST=Washington/L=Redmond/O=Microsoft Corporation/CN=Microsoft Windows';

export class Signing {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  run(cmd: string, args: string[]): string {
    return execFileSync(cmd, args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  p(name: string): string {
    return join(this.dir, name);
  }

  /** A self-signed CA `prefix`-ca.crt with `subject`, valid 30 days. */
  ca(prefix: string, subject: string): void {
    this.run('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${prefix}-ca.key`, '-out', `${prefix}-ca.crt`,
      '-days', '30', '-subj', subject, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]); // prettier-ignore
  }

  /** A code-signing certificate `out`.crt with `subject`, issued by CA `prefix` (code signing and Windows System Component Verification). */
  signer(prefix: string, out: string, subject: string): void {
    this.run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${out}.key`, '-out', `${out}.csr`, '-subj', subject]);
    writeFileSync(
      this.p(`${out}.ext`),
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning,1.3.6.1.4.1.311.10.3.6\n',
    );
    this.run('openssl', [
      'x509', '-req', '-in', `${out}.csr`, '-CA', `${prefix}-ca.crt`, '-CAkey', `${prefix}-ca.key`, '-CAcreateserial',
      '-out', `${out}.crt`, '-days', '30', '-extfile', `${out}.ext`,
    ]); // prettier-ignore
  }

  /** A CA's certificate as DER (what a caller passes as an extra anchor). */
  der(crt: string): Uint8Array {
    return new Uint8Array(execFileSync('openssl', ['x509', '-in', this.p(crt), '-outform', 'DER']));
  }

  /** A small x64 PE image whose data section holds `text` (so each one's bytes and digests differ). */
  pe(out: string, text: string): string {
    const s = this.p(`${out}.s`);
    writeFileSync(s, `.globl start\n.text\nstart: ret\n.data\n.ascii ${JSON.stringify(text)}\n`);
    this.run('x86_64-w64-mingw32-as', [s, '-o', this.p(`${out}.o`)]);
    this.run('x86_64-w64-mingw32-ld', ['-e', 'start', '--subsystem', 'console', '-o', this.p(out), this.p(`${out}.o`)]);
    return this.p(out);
  }

  /**
   * The Authenticode digest (lower-case hex) of PE image `path` as osslsigncode calculates it: a copy signed by
   * `signer` with `-h alg`, then `osslsigncode verify` (signing adds the certificate table, which the digest leaves out).
   */
  authenticodeDigest(path: string, alg: 'sha1' | 'sha256', signer: string): string {
    const copy = this.p(`digest-${alg}-${path.replace(/[^a-z0-9]/gi, '_')}`);
    this.run('osslsigncode', ['sign', '-certs', `${signer}.crt`, '-key', `${signer}.key`, '-h', alg, '-in', path, '-out', copy]);
    let out: string;
    try {
      out = this.run('osslsigncode', ['verify', '-in', copy]);
    } catch (e) {
      out = `${(e as { stdout?: string }).stdout ?? ''}`;
    }
    const d = out.match(/Calculated message digest\s*:\s*([0-9A-F]+)/)?.[1];
    if (!d) throw new Error(`osslsigncode calculated no digest for ${path}:\n${out}`);
    return d.toLowerCase();
  }

  /**
   * A catalog `out` listing `members` (the hash, PE image data or a flat file, and the file name), its hashes with
   * `alg`, signed by `signer` with its CA's certificate carried; checked with `openssl cms -verify` against that CA.
   */
  catalog(out: string, members: CatalogMember[], alg: 'sha1' | 'sha256', signer: string, ca: string): string {
    const ctl = tlv(
      0x30,
      tlv(0x30, oid('1.3.6.1.4.1.311.12.1.1')),
      tlv(0x04, new Uint8Array(createHash('md5').update(out).digest())),
      tlv(0x17, Buffer.from('260101000000Z')),
      tlv(0x30, oid('1.3.6.1.4.1.311.12.1.2'), tlv(0x05)),
      tlv(0x30, ...members.map((m) => member(m, alg))),
    );
    writeFileSync(this.p(`${out}.ctl`), ctl);
    this.run('openssl', [
      'cms', '-sign', '-binary', '-nodetach', '-econtent_type', '1.3.6.1.4.1.311.10.1', '-md', 'sha256',
      '-signer', `${signer}.crt`, '-inkey', `${signer}.key`, '-certfile', `${ca}-ca.crt`, '-in', `${out}.ctl`, '-outform', 'DER', '-out', out,
    ]); // prettier-ignore
    this.run('openssl', [
      'cms', '-verify', '-inform', 'DER', '-in', out, '-CAfile', `${ca}-ca.crt`, '-purpose', 'any', '-binary', '-out', `${out}.verified`,
    ]); // prettier-ignore
    if (!readFileSync(this.p(`${out}.verified`)).equals(Buffer.from(ctl))) throw new Error(`openssl cms -verify did not give ${out}'s CTL back`);
    return this.p(out);
  }

  copy(from: string, to: string): string {
    copyFileSync(from, this.p(to));
    return this.p(to);
  }
}

export interface CatalogMember {
  /** Lower-case hex. */
  digest: string;
  pe: boolean;
  file: string;
}

/** Flat hashes (lower-case hex) of a file, as sha1sum and sha256sum print them. */
export function fileHash(path: string, alg: 'sha1' | 'sha256'): string {
  return execFileSync(`${alg}sum`, [path], { encoding: 'utf8' }).split(' ')[0]!;
}

/** A DER TLV. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(content);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return new Uint8Array([tag, ...len, ...body]);
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out = [arcs[0]! * 40 + arcs[1]!];
  for (const a of arcs.slice(2)) {
    const b = [a & 0x7f];
    for (let v = a >> 7; v; v >>= 7) b.unshift((v & 0x7f) | 0x80);
    out.push(...b);
  }
  return tlv(0x06, new Uint8Array(out));
}

const utf16 = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));

/** A member as makecat writes one: the hash as UTF-16 hex, SpcIndirectDataContent (PE image data or flat), File=name. */
function member(m: CatalogMember, alg: 'sha1' | 'sha256'): Uint8Array {
  const spcType = m.pe ? '1.3.6.1.4.1.311.2.1.15' : '1.3.6.1.4.1.311.2.1.25';
  const algOid = alg === 'sha1' ? '1.3.14.3.2.26' : '2.16.840.1.101.3.4.2.1';
  const spc = tlv(0x30, tlv(0x30, oid(spcType)), tlv(0x30, tlv(0x30, oid(algOid), tlv(0x05)), tlv(0x04, Buffer.from(m.digest, 'hex'))));
  const nameValue = tlv(
    0x30,
    tlv(0x1e, Buffer.from('File', 'utf16le').swap16()),
    tlv(0x02, new Uint8Array([0x10, 0x01, 0x00, 0x01])),
    tlv(0x04, utf16(m.file.toLowerCase() + '\0')),
  );
  return tlv(
    0x30,
    tlv(0x04, utf16(m.digest.toUpperCase() + '\0')),
    tlv(0x31, tlv(0x30, oid('1.3.6.1.4.1.311.2.1.4'), tlv(0x31, spc)), tlv(0x30, oid('1.3.6.1.4.1.311.12.2.1'), tlv(0x31, nameValue))),
  );
}
