/**
 * Who signed a disc's UEFI boot loaders, read from their Authenticode
 * signatures and compared with what sbverify (sbsigntool) and osslsigncode
 * read from the same files:
 *  - Debian's shim as Debian ships it (shim-signed): two signatures, by
 *    Microsoft's third-party CAs of 2011 and 2023;
 *  - Debian's GRUB (grub-efi-amd64-signed): Debian's own CA;
 *  - iPXE's unsigned loader, and the same signed here with sbsign and given a
 *    nested second signature with osslsigncode, by test CAs that carry the
 *    names of Microsoft's Windows CAs (2011 and 2023) — and the same names
 *    under another organisation, which must not pass for Microsoft.
 * Discs are made with xorriso: loaders in the tree, and one only inside the
 * El Torito UEFI boot image (a FAT image made with mkfs.fat and mtools).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { readAuthenticode } from '../../workers/formats/pe/authenticode.ts';
import { readiness } from '../../workers/report/describe.ts';
import { inspectPath } from './helpers.ts';

const SIGNED = resolve(import.meta.dirname, '../.tmp/signed-efi/root/usr/lib');
const SHIM = join(SIGNED, 'shim/shimx64.efi.signed');
const GRUB = join(SIGNED, 'grub/x86_64-efi-signed/grubx64.efi.signed');
const IPXE = '/usr/lib/ipxe/ipxe.efi';

const dir = mkdtempSync(join(tmpdir(), 'isoscope-authenticode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A test CA named `caName` and a signer under it, both of organisation `org`. */
function testCa(prefix: string, org: string, caName: string): void {
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${prefix}-ca.key`,
    '-out',
    `${prefix}-ca.crt`,
    '-days',
    '30',
    '-subj',
    `/C=US/O=${org}/CN=${caName}`,
  ]);
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${prefix}.key`, '-out', `${prefix}.csr`, '-subj', `/C=US/O=${org}/CN=Microsoft Windows`]);
  run('openssl', [
    'x509',
    '-req',
    '-in',
    `${prefix}.csr`,
    '-CA',
    `${prefix}-ca.crt`,
    '-CAkey',
    `${prefix}-ca.key`,
    '-CAcreateserial',
    '-out',
    `${prefix}.crt`,
    '-days',
    '30',
  ]);
}

/** An ISO whose tree holds `files` (path → source file), booting UEFI from an El Torito image holding `efiImage`'s files. */
function disc(name: string, files: Record<string, string>, efiImage?: Record<string, string>): string {
  const root = join(dir, `${name}.d`);
  mkdirSync(root, { recursive: true });
  for (const [path, from] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    copyFileSync(from, join(root, path));
  }
  const iso = join(dir, `${name}.iso`);
  const args = ['-as', 'mkisofs', '-quiet', '-R', '-J', '-V', name.toUpperCase(), '-o', iso];
  // Every disc boots UEFI from an El Torito image, as real media do (loaders are looked for only on such discs).
  const img = join(root, 'efiboot.img');
  run('mkfs.fat', ['-C', img, '4096']);
  run('mmd', ['-i', img, '::/EFI', '::/EFI/BOOT']);
  for (const [path, from] of Object.entries(efiImage ?? {})) run('mcopy', ['-i', img, from, `::/${path}`]);
  args.push('-e', 'efiboot.img', '-no-emul-boot');
  run('xorriso', [...args, root]);
  return iso;
}

/** sbverify --list: per WIN_CERTIFICATE entry, its certificates' subject → issuer. */
function sbverifyList(path: string): { subject: string; issuer: string }[][] {
  const text = run('sbverify', ['--list', path]);
  return text
    .split(/^signature \d+$/m)
    .slice(1)
    .map((block) => [...block.matchAll(/subject: (.*)\n\s+issuer:\s+(.*)/g)].map((m) => ({ subject: m[1]!.trim(), issuer: m[2]!.trim() })));
}

/** osslsigncode verify: every signature (nested ones too) with its recorded digest and its signer's subject and issuer. */
function osslsigncode(path: string): { digest: string; subject: string; issuer: string }[] {
  let text: string;
  try {
    text = run('osslsigncode', ['verify', '-in', path]);
  } catch (e) {
    text = String((e as { stdout?: string }).stdout ?? ''); // it exits 1 when the chain is not trusted: the listing is printed all the same
  }
  return text
    .split('Current message digest')
    .slice(1)
    .map((block) => {
      const signer = block.match(/Signer #0:\s*\n\s*Subject: (.*)\n\s*Issuer : (.*)/)!;
      return { digest: block.match(/^\s*:\s*([0-9A-F]+)/)![1]!.toLowerCase(), subject: signer[1]!.trim(), issuer: signer[2]!.trim() };
    });
}

let windows2011: string, windowsBoth: string, notMicrosoft: string;

beforeAll(() => {
  for (const f of [SHIM, GRUB])
    if (!existsSync(f)) throw new Error(`${f} is missing: run tests/setup/ensure-tools.sh (it unpacks shim-signed and grub-efi-amd64-signed)`);
  testCa('pca', 'Microsoft Corporation', 'Microsoft Windows Production PCA 2011');
  testCa('ca23', 'Microsoft Corporation', 'Windows UEFI CA 2023');
  testCa('other', 'Not Microsoft', 'Microsoft Windows Production PCA 2011');
  windows2011 = join(dir, 'windows-2011.efi');
  run('sbsign', ['--key', 'pca.key', '--cert', 'pca.crt', '--addcert', 'pca-ca.crt', '--output', windows2011, IPXE]);
  windowsBoth = join(dir, 'windows-both.efi');
  run('osslsigncode', ['sign', '-nest', '-certs', 'ca23.crt', '-key', 'ca23.key', '-h', 'sha256', '-in', windows2011, '-out', windowsBoth]);
  notMicrosoft = join(dir, 'not-microsoft.efi');
  run('sbsign', ['--key', 'other.key', '--cert', 'other.crt', '--output', notMicrosoft, IPXE]);
}, 60_000);

describe('Authenticode signatures, as sbverify and osslsigncode read them', () => {
  const cases = () => [SHIM, GRUB, windows2011, windowsBoth, notMicrosoft];

  it('names each entry’s certificates as sbverify --list does', async () => {
    for (const path of cases()) {
      const read = await readAuthenticode(await NodeFileSource.open(path));
      const own = read.signatures.filter((s) => s.nesting === 0);
      expect(
        own.map((s) => s.certificates.map((c) => ({ subject: c.subject.oneLine, issuer: c.issuer.oneLine }))),
        path,
      ).toEqual(sbverifyList(path));
    }
  });

  it('reads every signature, nested ones too, with its digest and signer, as osslsigncode does', async () => {
    // osslsigncode 2.9 reads one WIN_CERTIFICATE only ("Corrupted attribute certificate table" on shim's two); sbverify covers shim.
    for (const path of cases().filter((p) => p !== SHIM)) {
      const read = await readAuthenticode(await NodeFileSource.open(path));
      const got = read.signatures.map((s) => ({ digest: s.imageDigest, subject: s.signer!.subject.oneLine, issuer: s.signer!.issuer.oneLine }));
      expect(got, path).toEqual(osslsigncode(path));
    }
  });

  it('finds no signature in an unsigned loader', async () => {
    expect(await readAuthenticode(await NodeFileSource.open(IPXE))).toEqual({ table: null, signatures: [] });
  });

  it('reports a cut or malformed certificate table as a typed error with its offset', async () => {
    const bytes = readFileSync(windows2011);
    const cut = join(dir, 'cut.efi');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
    await expect(readAuthenticode(await NodeFileSource.open(cut))).rejects.toMatchObject({ code: 'AUTHENTICODE_PAST_END' });
    const table = (await readAuthenticode(await NodeFileSource.open(windows2011))).table!;
    const garbled = Buffer.from(bytes);
    garbled[table.offset + 9] = 0x80; // the PKCS#7 SEQUENCE's length octet: indefinite, not DER
    writeFileSync(cut, garbled);
    await expect(readAuthenticode(await NodeFileSource.open(cut))).rejects.toMatchObject({ code: 'DER_INDEFINITE_LENGTH', offset: table.offset + 8 });
  });
});

/** iPXE's loader with `der` appended as its certificate table (one WIN_CERTIFICATE, PKCS_SIGNED_DATA), data directory 4 pointing at it. */
function withCertificateTable(der: Uint8Array): string {
  const pe = new Uint8Array(readFileSync(IPXE));
  const v = new DataView(pe.buffer);
  const peAt = v.getUint32(0x3c, true);
  const opt = peAt + 24;
  const dirs = opt + (v.getUint16(opt, true) === 0x20b ? 112 : 96);
  const at = Math.ceil(pe.length / 8) * 8;
  const entry = new Uint8Array(Math.ceil((8 + der.length) / 8) * 8);
  const e = new DataView(entry.buffer);
  e.setUint32(0, 8 + der.length, true);
  e.setUint16(4, 0x0200, true);
  e.setUint16(6, 0x0002, true);
  entry.set(der, 8);
  const out = new Uint8Array(at + entry.length);
  out.set(pe);
  out.set(entry, at);
  const o = new DataView(out.buffer);
  o.setUint32(dirs + 4 * 8, at, true);
  o.setUint32(dirs + 4 * 8 + 4, entry.length, true);
  const path = join(dir, `crafted-${der.length}.efi`);
  writeFileSync(path, out);
  return path;
}

/** A DER header for `tag` around `length` content bytes. */
const tlv = (tag: number, content: Uint8Array) => {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return new Uint8Array([tag, ...len, ...content]);
};

describe('crafted signatures are bounded', () => {
  it('60 000 tiny certificates stop at the node bound, as a typed error, at once', async () => {
    const signedDataOid = new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);
    const spcOid = new Uint8Array([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x04]);
    const digestInfo = tlv(
      0x30,
      new Uint8Array([...tlv(0x30, new Uint8Array([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01])), ...tlv(0x04, new Uint8Array(32))]),
    );
    const spc = tlv(0x30, new Uint8Array([...spcOid, ...tlv(0xa0, tlv(0x30, new Uint8Array([...tlv(0x30, new Uint8Array()), ...digestInfo])))]));
    const many = tlv(
      0xa0,
      new Uint8Array(60_000 * 2).map((_, i) => (i % 2 ? 0x00 : 0x05)),
    ); // 60 000 NULLs where certificates go
    const signedData = tlv(
      0x30,
      new Uint8Array([...tlv(0x02, new Uint8Array([1])), ...tlv(0x31, new Uint8Array()), ...spc, ...many, ...tlv(0x31, new Uint8Array())]),
    );
    const contentInfo = tlv(0x30, new Uint8Array([...signedDataOid, ...tlv(0xa0, signedData)]));
    const t0 = performance.now();
    await expect(readAuthenticode(await NodeFileSource.open(withCertificateTable(contentInfo)))).rejects.toMatchObject({ code: 'DER_TOO_MANY_NODES' });
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('discs: which Microsoft certificate their loaders need', () => {
  it('a data disc (no UEFI boot entry) is not searched for loaders', async () => {
    const root = join(dir, 'data.d');
    mkdirSync(join(root, 'EFI/BOOT'), { recursive: true });
    copyFileSync(SHIM, join(root, 'EFI/BOOT/BOOTX64.EFI'));
    run('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-o', join(dir, 'data.iso'), root]);
    expect((await inspectPath(join(dir, 'data.iso'))).bootLoaders).toBeUndefined();
  });

  it('shim: Microsoft’s third-party CAs of 2011 and 2023; GRUB beside it is not a removable-media loader', async () => {
    const r = await inspectPath(disc('linux', { 'EFI/BOOT/BOOTX64.EFI': SHIM, 'EFI/BOOT/grubx64.efi': GRUB }));
    expect(r.bootLoaders).toHaveLength(1);
    const [l] = r.bootLoaders!;
    expect(l).toMatchObject({ path: '/EFI/BOOT/BOOTX64.EFI', foundIn: 'tree', machine: 'x64' });
    expect(l!.signatures.map((s) => s.microsoftCa)).toEqual(['uefi-ca-2011', 'uefi-ca-2023']);
    // Both signatures verified (digest, signature, chain to the shipped anchors), not only named.
    expect(l!.signatures.map((s) => s.verified?.status)).toEqual(['valid', 'valid']);
    const said = readiness(r).join('\n');
    expect(said).toMatch(/Signed by Microsoft Windows UEFI Driver Publisher \(chain to Microsoft Corporation UEFI CA 2011\), unchanged since signing/);
    expect(said).toMatch(/Microsoft Corporation UEFI CA 2011 and Microsoft UEFI CA 2023, Microsoft's third-party CAs/);
  });

  it('GRUB as the loader: Debian’s CA, not Microsoft’s', async () => {
    const r = await inspectPath(disc('grub', { 'efi/boot/bootx64.efi': GRUB }));
    expect(r.bootLoaders![0]!.signatures.map((s) => [s.issuerName, s.microsoftCa])).toEqual([['Debian Secure Boot CA', null]]);
    expect(readiness(r).join('\n')).toMatch(/signature valid, but by a certificate not from Microsoft: Debian Secure Boot CA/);
  });

  it('CAs that copy the names of Microsoft’s Windows CAs are not Microsoft’s: their signatures only claim the name, nested or not', async () => {
    const r2011 = await inspectPath(disc('win2011', { 'efi/boot/bootx64.efi': windows2011 }));
    expect(r2011.bootLoaders![0]!.signatures.map((s) => [s.issuerName, s.microsoftCa])).toEqual([['Microsoft Windows Production PCA 2011', null]]);
    expect(readiness(r2011).join('\n')).toMatch(/only claims Microsoft's name/);
    expect(readiness(r2011).join('\n')).not.toMatch(/KB5025885|third-party CAs|Windows UEFI CA 2023/);
    const both = await inspectPath(disc('winboth', { 'efi/boot/bootx64.efi': windowsBoth }));
    expect(both.bootLoaders![0]!.signatures.map((s) => [s.issuerName, s.microsoftCa, s.nesting])).toEqual([
      ['Microsoft Windows Production PCA 2011', null, 0],
      ['Windows UEFI CA 2023', null, 1],
    ]);
    expect(readiness(both).join('\n')).toMatch(/only claims Microsoft's name/);
    const other = await inspectPath(disc('other', { 'efi/boot/bootx64.efi': notMicrosoft }));
    expect(other.bootLoaders![0]!.signatures[0]!.microsoftCa).toBeNull();
  });

  it('a loader only inside the El Torito UEFI image; an unsigned one says Secure Boot must be off', async () => {
    const r = await inspectPath(disc('eltorito', { 'README.TXT': IPXE }, { 'EFI/BOOT/BOOTX64.EFI': windows2011, 'EFI/BOOT/BOOTIA32.EFI': IPXE }));
    const byName = Object.fromEntries(r.bootLoaders!.map((l) => [l.path.toUpperCase(), l]));
    expect(Object.keys(byName).sort()).toEqual(['/EFI/BOOT/BOOTIA32.EFI', '/EFI/BOOT/BOOTX64.EFI']);
    expect(byName['/EFI/BOOT/BOOTX64.EFI']).toMatchObject({ foundIn: 'el-torito-image', bootEntry: 1 });
    expect(byName['/EFI/BOOT/BOOTX64.EFI']!.signatures[0]!.microsoftCa).toBeNull();
    expect(byName['/EFI/BOOT/BOOTIA32.EFI']!.signatures).toEqual([]);
    expect(readiness(r).join('\n')).toMatch(/BOOTIA32\.EFI \(in the disc’s UEFI boot image\) is not signed: it starts only with Secure Boot turned off/);
  });

  it('a file named like a loader that is no PE image is said to be unreadable, never "not signed"', async () => {
    const text = join(dir, 'not-pe.txt');
    writeFileSync(text, 'this is not an EFI application\n');
    const r = await inspectPath(disc('not-pe', {}, { 'EFI/BOOT/BOOTX64.EFI': text }));
    expect(r.bootLoaders![0]).toMatchObject({ unreadable: 'is not an MZ/PE executable', signatures: [] });
    expect(r.warnings.map((w) => w.code)).toContain('PE_NOT_MZ');
    expect(r.errors).toEqual([]);
    const said = readiness(r).join('\n');
    expect(said).toMatch(/BOOTX64\.EFI \(in the disc’s UEFI boot image\) could not be read as an EFI executable/);
    expect(said).not.toMatch(/not signed/);
  });
});
