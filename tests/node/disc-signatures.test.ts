/**
 * The signatures of a Windows disc's own executables, checked during the
 * inspection within its read budget (#23 §2: setup.exe, sources/*.exe|*.dll,
 * bootmgr.efi, efi/boot/*.efi, with sources/' catalogs): the stage run on a
 * disc made by genisoimage, its files signed here by osslsigncode (a test CA
 * copying Microsoft's names), Debian's shim (Microsoft's UEFI CA) and GRUB
 * (Debian's CA), a catalog signed by openssl cms. Each verdict is compared
 * with osslsigncode verify on the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectDisc } from '../../workers/core/inspect.ts';
import { readDiscSignatures } from '../../workers/core/stages/signatures.ts';
import { DISC_SIGNATURE_BUDGET } from '../../workers/formats/pe/disc-files.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { catalogDigestOf } from '../../workers/formats/pe/catalog.ts';
import { nodeHashers } from '../../workers/hash/node-hashers.ts';
import { anchorDer, MICROSOFT_ANCHORS } from '../../workers/formats/pe/trust-anchors.ts';
import { GRUB, MICROSOFT_ROOT_2010_SUBJECT, MICROSOFT_WINDOWS_SUBJECT, SHIM, Signing } from '../helpers/catalogs.ts';
import { capture, run, scratch } from '../helpers/wim-images.ts';

const dir = scratch('isoscope-discsig-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const s = new Signing(join(dir, 'sign'));
const root = join(dir, 'disc');
let iso: string;
const sizes: Record<string, number> = {};

function put(path: string, data: Uint8Array): void {
  const p = join(root, path);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  sizes[`/${path}`] = data.length;
}

/** sbverify --cert with Microsoft's UEFI CA 2011 as shipped (osslsigncode 2.9 cannot read shim's two certificate entries). */
function sbverify(path: string): boolean {
  const pem = s.p('uefi-ca-2011.pem');
  writeFileSync(s.p('uefi-ca-2011.der'), anchorDer(MICROSOFT_ANCHORS.find((a) => a.key === 'microsoft-corporation-uefi-ca-2011')!));
  s.run('openssl', ['x509', '-inform', 'DER', '-in', s.p('uefi-ca-2011.der'), '-out', pem]);
  try {
    execFileSync('sbverify', ['--cert', pem, path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** osslsigncode verify: whether the digest it calculates is the one signed, and whether the signature verifies against `ca`. */
function ossl(path: string, ca?: string): { digestOk: boolean; ok: boolean } {
  let out: string;
  let ok = true;
  try {
    out = execFileSync('osslsigncode', ['verify', ...(ca ? ['-CAfile', ca] : []), '-in', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    out = `${(e as { stdout?: string }).stdout ?? ''}`;
    ok = false;
  }
  const current = /Current message digest\s*:\s*([0-9A-F]+)/.exec(out)?.[1];
  const calculated = /Calculated message digest\s*:\s*([0-9A-F]+)/.exec(out)?.[1];
  return { digestOk: !!current && current === calculated, ok };
}

beforeAll(() => {
  s.ca('ms', MICROSOFT_ROOT_2010_SUBJECT);
  s.signer('ms', 'ms-signer', MICROSOFT_WINDOWS_SUBJECT);
  s.ca('other', '/C=US/O=Test Distribution/CN=Test Distribution CA');
  s.signer('other', 'other-signer', '/C=US/O=Test Distribution/CN=Test Catalog Signer');
  const setup = s.pe('setup.exe', 'isoscope test setup');
  s.run('osslsigncode', ['sign', '-certs', 'ms-signer.crt', '-key', 'ms-signer.key', '-h', 'sha256', '-in', setup, '-out', s.p('setup-signed.exe')]);
  const sourcesSetup = s.pe('sources-setup.exe', 'isoscope test sources/setup');
  const listed = s.pe('listed.dll', 'isoscope test listed.dll');
  const unlisted = s.pe('unlisted.dll', 'isoscope test unlisted.dll');
  const cat = s.catalog(
    'sources.cat',
    [
      { digest: s.authenticodeDigest(sourcesSetup, 'sha256', 'other-signer'), pe: true, file: 'setup.exe' },
      { digest: s.authenticodeDigest(listed, 'sha256', 'other-signer'), pe: true, file: 'listed.dll' },
    ],
    'sha256',
    'other-signer',
    'other',
  );
  const changedShim = Buffer.from(readFileSync(SHIM));
  changedShim[0x2000] = changedShim[0x2000]! ^ 0x01;
  writeFileSync(s.p('setuphost.exe'), changedShim);

  put('setup.exe', readFileSync(s.p('setup-signed.exe')));
  put('bootmgr.efi', readFileSync(SHIM));
  put('efi/boot/bootx64.efi', readFileSync(SHIM));
  put('sources/setup.exe', readFileSync(sourcesSetup));
  put('sources/setuphost.exe', changedShim);
  put('sources/listed.dll', readFileSync(listed));
  put('sources/unlisted.dll', readFileSync(unlisted));
  put('sources/grub.dll', readFileSync(GRUB));
  put('sources/sources.cat', readFileSync(cat));
  const wimSrc = join(dir, 'wimsrc');
  mkdirSync(join(wimSrc, 'Windows/System32'), { recursive: true });
  writeFileSync(join(wimSrc, 'Windows/System32/edition.txt'), 'Windows 10 Pro\r\n');
  mkdirSync(join(root, 'sources'), { recursive: true });
  capture(wimSrc, join(root, 'sources/install.wim'), { name: 'Windows 10 Pro' });
  iso = join(dir, 'disc.iso');
  run('genisoimage', ['-quiet', '-udf', '-allow-limited-size', '-V', 'CCCOMA_X64FRE_EN-US_DV9', '-o', iso, root]);
}, 120_000);

async function inspected(budget = DISC_SIGNATURE_BUDGET) {
  const src = await NodeFileSource.open(iso);
  const ctx = await inspectDisc(src);
  expect(ctx.report.windows).toBeTruthy();
  await readDiscSignatures(ctx, budget);
  await src.close();
  return ctx.report;
}

describe('the disc’s own executables, during the inspection', () => {
  it('each file’s verdict, as osslsigncode verify says of the same bytes; sources/ catalogs used; within the budget', async () => {
    const report = await inspected();
    const d = report.signatures!.disc!;
    const f = new Map(d.files.map((x) => [x.path, x]));
    // The order the budget is spent in: boot manager, EFI loaders, setup, then sources/ executables and libraries, smallest first.
    expect(d.files.map((x) => [x.path, x.role])).toEqual([
      ['/bootmgr.efi', 'boot-manager'],
      ['/efi/boot/bootx64.efi', 'efi-loader'],
      ['/setup.exe', 'setup'],
      ['/sources/setup.exe', 'setup'],
      ['/sources/setuphost.exe', 'sources'],
      ...['/sources/listed.dll', '/sources/unlisted.dll'].sort((a, b) => sizes[a]! - sizes[b]! || (a < b ? -1 : 1)).map((p) => [p, 'sources']),
      ['/sources/grub.dll', 'sources'],
    ]);
    for (const p of ['/bootmgr.efi', '/efi/boot/bootx64.efi']) {
      expect(f.get(p), p).toMatchObject({ verdict: 'embedded', microsoft: true });
      expect(f.get(p)!.words).toBe('Signed by Microsoft Windows UEFI Driver Publisher (chain to Microsoft Corporation UEFI CA 2011), unchanged since signing');
      expect(sbverify(join(root, p))).toBe(true);
    }
    // setup.exe: signed by a test CA that copies Microsoft's names; its digest is right (osslsigncode agrees), its chain is not Microsoft's.
    expect(f.get('/setup.exe')).toMatchObject({ verdict: 'embedded-invalid', claimsMicrosoftButFails: true });
    expect(f.get('/setup.exe')!.words).toMatch(/^signed by a certificate that only claims Microsoft's name \(Microsoft Root Certificate Authority 2010\)/);
    expect(ossl(join(root, 'setup.exe'))).toEqual({ digestOk: true, ok: false });
    expect(ossl(join(root, 'setup.exe'), s.p('ms-ca.crt'))).toEqual({ digestOk: true, ok: true });
    // shim changed after signing, renamed setuphost.exe: sbverify fails it too.
    expect(f.get('/sources/setuphost.exe')).toMatchObject({ verdict: 'changed-after-signing', claimsMicrosoftButFails: true });
    expect(sbverify(join(root, 'sources/setuphost.exe'))).toBe(false);
    // Unsigned files found in sources/' catalog (not Microsoft's) or in none.
    for (const p of ['/sources/setup.exe', '/sources/listed.dll'])
      expect(f.get(p), p).toMatchObject({ verdict: 'catalog-not-microsoft', catalog: '/sources/sources.cat' });
    expect(f.get('/sources/unlisted.dll')).toMatchObject({ verdict: 'not-in-catalog' });
    expect(f.get('/sources/grub.dll')).toMatchObject({ verdict: 'signed-not-microsoft' });
    expect(ossl(join(root, 'sources/grub.dll'))).toEqual({ digestOk: true, ok: false });
    expect(d.catalogs).toMatchObject([{ path: '/sources/sources.cat', status: 'untrusted-chain', members: 2 }]);
    expect(d.notChecked).toBe(0);
    expect(d.claimsMicrosoftButFails).toBe(2);
    expect(d.words).toBe(
      "setup.exe, sources/setup.exe, bootmgr.efi, efi/boot/bootx64.efi and 4 files of sources/: 2 of these 8 signed by Microsoft; setup.exe: signed by a certificate that only claims Microsoft's name (Microsoft Root Certificate Authority 2010): it does not chain to Microsoft's certificates; setuphost.exe: changed after it was signed: its own signature no longer matches its bytes.",
    );
    // What it read: each file once, whole, and the catalog: the sum of their sizes (the disc's block cache may add a little).
    const total = Object.entries(sizes)
      .filter(([p]) => p !== '/sources/install.wim')
      .reduce((n, [, x]) => n + x, 0);
    expect(d.bytesRead).toBeGreaterThanOrEqual(total);
    expect(d.bytesRead).toBeLessThan(total + 64 * 1024);
    expect(d.bytesRead).toBeLessThanOrEqual(DISC_SIGNATURE_BUDGET.bytes);
    expect(report.errors).toEqual([]);
  });

  it('past the budget: files that do not fit are "not checked", smaller ones after them still are', async () => {
    const budget = { bytes: 2 * 1024 * 1024, files: 64 };
    const d = (await inspected(budget)).signatures!.disc!;
    const f = new Map(d.files.map((x) => [x.path, x]));
    // bootmgr.efi (shim, ~1 MiB) fits; the loader does not fit after it; the small PEs do; GRUB (4 MiB) never does.
    expect(f.get('/bootmgr.efi')!.verdict).toBe('embedded');
    expect(f.get('/efi/boot/bootx64.efi')!.verdict).toBe('not-checked');
    expect(f.get('/efi/boot/bootx64.efi')!.words).toBe('not checked: past the read budget of the inspection (2.00 MiB, 64 files)');
    expect(f.get('/sources/unlisted.dll')!.verdict).toBe('not-in-catalog');
    expect(f.get('/sources/grub.dll')!.verdict).toBe('not-checked');
    expect(d.bytesRead).toBeLessThanOrEqual(budget.bytes);
    expect(d.words).toMatch(/; 3 not checked \(past the inspection's read budget\)\.$/);
  });

  it('an unsigned PE whose size is not a multiple of 8 hashes as osslsigncode extract-data pads it', async () => {
    const pe = s.p('unlisted.dll');
    expect(readFileSync(pe).length % 8).not.toBe(0);
    s.run('osslsigncode', ['extract-data', '-h', 'sha256', '-in', pe, '-out', s.p('unlisted.data')]);
    const theirs = /\[HEX DUMP\]:([0-9A-F]{64})/.exec(s.run('openssl', ['asn1parse', '-inform', 'DER', '-in', s.p('unlisted.data')]))![1]!.toLowerCase();
    expect((await catalogDigestOf(await NodeFileSource.open(pe), nodeHashers, 'sha256')).digest).toBe(theirs);
  });
});
