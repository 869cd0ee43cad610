/**
 * The catalog signature check of a Windows edition (#23 §2), through the
 * Disc, on a WIM made here: catalogs shaped as Windows writes them (a PKCS#7
 * CTL of member hashes, makecat's tags and File names) signed by openssl
 * cms at test time and checked with openssl cms -verify; member hashes as
 * osslsigncode calculates a PE's Authenticode digest and as sha1sum and
 * sha256sum hash other files; the files put in an install.wim by
 * wimlib-imagex capture (one changed afterwards by wimlib-imagex update),
 * on a genisoimage UDF disc. What the check reads is compared with what
 * wimlib-imagex dir --detailed lists (sizes, hard links).
 *
 * No Microsoft key signs anything here, so no catalog of these tests is
 * Microsoft's: catalogs signed by a test CA that copies the names of
 * Microsoft Root Certificate Authority 2010 are "signed by a certificate
 * that only claims Microsoft's name", and valid but not Microsoft's when
 * that CA is passed as an extra anchor. Microsoft's real signatures come
 * from Debian's shim (Microsoft's third-party UEFI CA, embedded).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, linkSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDisc, type Disc } from '../../workers/core/disc.ts';
import { isSystemFile, verifyEditionSignatures, type EditionProgress } from '../../workers/core/signatures.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { nodeHashers } from '../../workers/hash/node-hashers.ts';
import { main } from '../../workers/cli/main.ts';
import { CatalogIndex, judgeFile, type CatalogInfo, type FileExamination } from '../../workers/formats/pe/file-check.ts';
import type { EditionSignatures } from '../../workers/report/signatures.ts';
import type { Report } from '../../workers/report/types.ts';
import { fileHash, GRUB, MICROSOFT_ROOT_2010_SUBJECT, MICROSOFT_WINDOWS_SUBJECT, SHIM, Signing } from '../helpers/catalogs.ts';
import { append, capture, randomBytes, run, scratch, wimlibDir, wimlibExtract } from '../helpers/wim-images.ts';

const dir = scratch('isoscope-editionsig-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const s = new Signing(join(dir, 'sign'));
const CATROOT = 'Windows/System32/CatRoot/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}';
const PACKAGE_CAT = 'Microsoft-Windows-Test-Package~31bf3856ad364e35~amd64~~10.0.1.0.cat';
const TREE1 = 'udf|/sources/install.wim#1';
const TREE2 = 'udf|/sources/install.wim#2';

function put(root: string, path: string, data: Uint8Array | string): string {
  const p = join(root, path);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  return p;
}

let iso: string, wim: string, esdIso: string, esd: string;
let msCa: Uint8Array;
let disc: Disc;
let close: () => Promise<void>;

beforeAll(async () => {
  for (const f of [SHIM, GRUB]) if (!existsSync(f)) throw new Error(`${f} is missing: run tests/setup/ensure-tools.sh`);
  s.ca('ms', MICROSOFT_ROOT_2010_SUBJECT);
  s.signer('ms', 'ms-signer', MICROSOFT_WINDOWS_SUBJECT);
  s.ca('other', '/C=US/O=Test Distribution/CN=Test Distribution CA');
  s.signer('other', 'other-signer', '/C=US/O=Test Distribution/CN=Test Catalog Signer');
  msCa = s.der('ms-ca.crt');

  const pe = Object.fromEntries(
    ['notepad.exe', 'kernel32.dll', 'ntdll.dll', 'changed.exe', 'oem.dll', 'added.dll', 'tool.exe', 'replacement.exe'].map((n) => [
      n,
      s.pe(n, `isoscope test ${n}`),
    ]),
  );
  const src = join(dir, 'src');
  const sys = (p: string) => `Windows/System32/${p}`;
  for (const n of ['notepad.exe', 'kernel32.dll', 'ntdll.dll', 'changed.exe', 'oem.dll', 'added.dll']) put(src, sys(n), readFileSync(pe[n]!));
  put(src, 'Program Files/App/tool.exe', readFileSync(pe['tool.exe']!));
  const hosts = put(src, sys('drivers/etc/hosts'), '# Copyright (c) 1993-2009 Microsoft Corp.\r\n127.0.0.1       localhost\r\n');
  const license = put(src, sys('license.rtf'), '{\\rtf1 MICROSOFT SOFTWARE LICENSE TERMS}\r\n');
  put(src, sys('added.txt'), 'added after the build\r\n');
  put(src, 'Windows/Boot/EFI/bootmgfw.efi', readFileSync(SHIM));
  put(src, sys('grubx64.efi'), readFileSync(GRUB));
  const changedShim = Buffer.from(readFileSync(SHIM));
  changedShim[0x2000] = changedShim[0x2000]! ^ 0x01;
  put(src, sys('shimchanged.efi'), changedShim);
  put(src, sys('config/SYSTEM'), 'regf'.repeat(1000));
  put(src, sys('LogFiles/setup.log'), 'log\r\n');
  put(src, 'Users/Default/NTUSER.DAT', new Uint8Array(4096).fill(0x41));
  // Data no check reads, making the discs larger than what an opening reads whole (so reads of the files reach the file).
  put(src, 'Users/Default/Videos/filler.bin', randomBytes(6 << 20, 11));
  put(src, 'Program Files/App/readme.txt', 'readme\r\n');
  const sxs = join(src, 'Windows/WinSxS/amd64_microsoft-windows-notepad_31bf3856ad364e35_10.0.1.0_none');
  mkdirSync(sxs, { recursive: true });
  linkSync(join(src, sys('notepad.exe')), join(sxs, 'notepad.exe'));

  const sha256 = (n: string) => s.authenticodeDigest(pe[n]!, 'sha256', 'other-signer');
  const cat = (name: string, file: string) => put(src, `${CATROOT}/${name}`, readFileSync(file));
  cat(
    PACKAGE_CAT,
    s.catalog(
      'package.cat',
      [
        { digest: sha256('notepad.exe'), pe: true, file: 'notepad.exe' },
        { digest: sha256('kernel32.dll'), pe: true, file: 'kernel32.dll' },
        { digest: sha256('changed.exe'), pe: true, file: 'changed.exe' },
        { digest: fileHash(hosts, 'sha256'), pe: false, file: 'hosts' },
      ],
      'sha256',
      'ms-signer',
      'ms',
    ),
  );
  cat(
    'Legacy-Sha1.cat',
    s.catalog(
      'legacy.cat',
      [
        { digest: s.authenticodeDigest(pe['ntdll.dll']!, 'sha1', 'other-signer'), pe: true, file: 'ntdll.dll' },
        { digest: fileHash(license, 'sha1'), pe: false, file: 'license.rtf' },
      ],
      'sha1',
      'ms-signer',
      'ms',
    ),
  );
  const oemCat = s.catalog('oem.cat', [{ digest: sha256('oem.dll'), pe: true, file: 'oem.dll' }], 'sha256', 'other-signer', 'other');
  cat('Oem-Driver.cat', oemCat);

  // Edition 2: nothing in it claims Microsoft and fails.
  const src2 = join(dir, 'src2');
  put(src2, `${CATROOT}/Oem-Driver.cat`, readFileSync(oemCat));
  // A catalog cut short (its last third gone): a typed error for that catalog, the rest still checked.
  const oemBytes = readFileSync(oemCat);
  put(src2, `${CATROOT}/Broken.cat`, oemBytes.subarray(0, Math.floor((oemBytes.length * 2) / 3)));
  put(src2, sys('oem.dll'), readFileSync(pe['oem.dll']!));
  put(src2, sys('added.dll'), readFileSync(pe['added.dll']!));
  put(src2, sys('grubx64.efi'), readFileSync(GRUB));
  put(src2, 'Windows/Boot/EFI/bootmgfw.efi', readFileSync(SHIM));

  const wimDir = join(dir, 'wim');
  mkdirSync(wimDir);
  wim = join(wimDir, 'install.wim');
  capture(src, wim, { name: 'Windows 10 Pro' });
  append(src2, wim, 'Windows 10 Education');
  // The changed members: wimlib-imagex update replaces them in image 1.
  const newHosts = put(dir, 'new-hosts', '127.0.0.1 localhost\r\n10.0.0.1 windowsupdate.microsoft.com\r\n');
  run('wimlib-imagex', ['update', wim, '1', '--command', `add ${pe['replacement.exe']} /Windows/System32/changed.exe`]);
  run('wimlib-imagex', ['update', wim, '1', '--command', `add ${newHosts} /Windows/System32/drivers/etc/hosts`]);
  expect(wimlibExtract(wim, 1, '/Windows/System32/changed.exe')).toEqual(readFileSync(pe['replacement.exe']!));

  const root = join(dir, 'disc');
  mkdirSync(join(root, 'sources'), { recursive: true });
  writeFileSync(join(root, 'sources/install.wim'), readFileSync(wim));
  iso = join(dir, 'disc.iso');
  run('genisoimage', ['-quiet', '-udf', '-allow-limited-size', '-V', 'TEST_EDITION_SIGS', '-o', iso, root]);
  // The same editions as a solid LZMS install.esd (wimlib-imagex export --solid): thousands of files share a chunk there.
  const esdRoot = join(dir, 'esd-disc');
  mkdirSync(join(esdRoot, 'sources'), { recursive: true });
  esd = join(esdRoot, 'sources/install.esd');
  run('wimlib-imagex', ['export', wim, 'all', esd, '--solid']);
  esdIso = join(dir, 'esd.iso');
  run('genisoimage', ['-quiet', '-udf', '-allow-limited-size', '-V', 'TEST_EDITION_ESD', '-o', esdIso, esdRoot]);
  const file = await NodeFileSource.open(iso);
  disc = await openDisc(file);
  close = () => file.close();
}, 180_000);
afterAll(() => close?.());

const byPath = (r: EditionSignatures) => new Map(r.files.map((f) => [f.path, f]));

/** The system files of image `index` as wimlib-imagex dir --detailed lists them: paths, and the bytes of their distinct data. */
function wimlibSystemFiles(index: number): { paths: string[]; bytes: number; contents: number } {
  const entries = wimlibDir(wim, index).filter((e) => !(e.attributes & 0x10) && e.reparseTag === null);
  const isCat = (p: string) => /\/CatRoot\/.*\.cat$/i.test(p);
  const chosen = entries.filter((e) => isSystemFile(e.path) || isCat(e.path));
  const seen = new Map<string, number>();
  for (const e of chosen) {
    const data = e.streams.find((x) => x.kind === 'data' && x.name === '');
    if (data?.sha1) seen.set(data.sha1, data.size);
  }
  return {
    paths: entries.filter((e) => isSystemFile(e.path)).map((e) => e.path),
    bytes: [...seen.values()].reduce((n, x) => n + x, 0),
    contents: seen.size,
  };
}

describe('an edition’s system files against its catalogs, through the Disc', () => {
  it('with the test CA that copies Microsoft’s names passed as an anchor: its catalogs are valid but not Microsoft’s; members found, changed members and files of no catalog named', async () => {
    const r = await verifyEditionSignatures(disc, TREE1, { extraAnchors: [msCa], hashers: nodeHashers, label: '1 · Windows 10 Pro' });
    expect(r.status).toBe('complete');
    const theirs = wimlibSystemFiles(1);
    expect(r.systemFiles).toBe(theirs.paths.length);
    expect(r.systemFiles).toBe(14);
    expect(r.checked).toBe(14);
    // Read once per distinct contents (the WinSxS hard link is notepad.exe's data), catalogs included: as wimlib lists them.
    expect(r.bytesTotal).toBe(theirs.bytes);
    expect(r.contentsRead).toBe(theirs.contents - 3); // the three catalogs are read as catalogs
    expect(r.bytesRead).toBe(r.bytesTotal);

    expect(r.catalogs).toMatchObject({ total: 3, microsoft: 0 });
    const cats = new Map(r.catalogs.notMicrosoft.map((c) => [c.path.replace(/^.*\//, ''), c]));
    expect(cats.get(PACKAGE_CAT)).toMatchObject({
      status: 'valid',
      microsoft: false,
      claimsMicrosoft: true,
      members: 4,
      algorithms: ['SHA-256'],
      words: 'signature valid, but by a certificate not from Microsoft: Microsoft Root Certificate Authority 2010',
    });
    expect(cats.get('Legacy-Sha1.cat')).toMatchObject({ status: 'valid', members: 2, algorithms: ['SHA-1'] });
    expect(cats.get('Oem-Driver.cat')).toMatchObject({
      status: 'untrusted-chain',
      claimsMicrosoft: false,
      words: 'signature valid, but by a certificate not from Microsoft: Test Distribution CA',
    });

    const f = byPath(r);
    const sys = (p: string) => `/Windows/System32/${p}`;
    // Members found: by Authenticode digest (SHA-256 and SHA-1, as osslsigncode calculates it) and by flat hash (sha1sum).
    for (const p of [sys('notepad.exe'), sys('kernel32.dll'), sys('ntdll.dll'), sys('license.rtf')])
      expect(f.get(p), p).toMatchObject({ verdict: 'catalog-not-microsoft', microsoft: false, claimsMicrosoftButFails: false });
    expect(f.get(sys('ntdll.dll'))!.catalog).toMatch(/Legacy-Sha1\.cat$/);
    expect(f.get(sys('notepad.exe'))!.words).toBe(
      `listed only in catalog ${PACKAGE_CAT}, and that catalog is not signed by Microsoft: signature valid, but by a certificate not from Microsoft: Microsoft Root Certificate Authority 2010`,
    );
    // The hard link in WinSxS has the same contents, read once, judged alike.
    const sxs = '/Windows/WinSxS/amd64_microsoft-windows-notepad_31bf3856ad364e35_10.0.1.0_none/notepad.exe';
    expect(f.get(sxs)).toMatchObject({ verdict: 'catalog-not-microsoft', sameContentsAs: [sys('notepad.exe')] });
    expect(f.get(sys('oem.dll'))).toMatchObject({ verdict: 'catalog-not-microsoft', claimsMicrosoftButFails: false });
    // Changed members (wimlib-imagex update replaced them): the catalog lists their names with other hashes.
    for (const [p, name] of [
      [sys('changed.exe'), 'changed.exe'],
      [sys('drivers/etc/hosts'), 'hosts'],
    ] as const)
      expect(f.get(p), p).toMatchObject({
        verdict: 'changed-after-signing',
        claimsMicrosoftButFails: true,
        words: `changed after it was signed, or not the file that was signed: catalog ${PACKAGE_CAT} lists a file named ${name} with another hash`,
      });
    // Files of no catalog, named.
    for (const p of [sys('added.dll'), sys('added.txt'), '/Program Files/App/tool.exe'])
      expect(f.get(p), p).toMatchObject({ verdict: 'not-in-catalog', words: 'not signed: no signature of its own, and no catalog lists its hash' });
    // Embedded signatures verified through the Disc: shim's Microsoft signatures, GRUB's Debian one, shim changed after signing.
    expect(f.has('/Windows/Boot/EFI/bootmgfw.efi')).toBe(false);
    expect(r.byAnchor).toEqual({ 'Microsoft Corporation UEFI CA 2011': 1 });
    expect(f.get(sys('grubx64.efi'))).toMatchObject({
      verdict: 'signed-not-microsoft',
      words: 'signature valid, but by a certificate not from Microsoft: Debian Secure Boot CA',
    });
    expect(f.get(sys('shimchanged.efi'))).toMatchObject({
      verdict: 'changed-after-signing',
      claimsMicrosoftButFails: true,
      words: 'changed after it was signed: its own signature no longer matches its bytes',
    });
    // Not system files: the registry hive, logs, a profile, Program Files' data.
    for (const p of [sys('config/SYSTEM'), sys('LogFiles/setup.log'), '/Users/Default/NTUSER.DAT', '/Program Files/App/readme.txt'])
      expect(f.has(p), p).toBe(false);

    expect(r).toMatchObject({ signedByMicrosoft: 1, embedded: 1, byCatalog: 0, notSigned: 13, claimsMicrosoftButFails: 3, filesOmitted: 0 });
    expect(r.verdicts).toEqual({
      embedded: 1,
      catalog: 0,
      'signed-not-microsoft': 1,
      'catalog-not-microsoft': 6,
      'embedded-invalid': 0,
      'changed-after-signing': 3,
      'not-in-catalog': 3,
      unreadable: 0,
    });
    expect(r.words).toBe('1 of 14 system files are signed by Microsoft (embedded or by catalog); these 13 are not:');
    // Those failing a claim to be Microsoft's come first.
    expect(r.files.slice(0, 3).every((x) => x.claimsMicrosoftButFails)).toBe(true);
    expect(r.note).toMatch(/never a claim that the whole image is genuine/);
    expect(r.problems).toEqual([]);
  });

  it('without that anchor, the catalogs only claim Microsoft’s name: every file they list fails its claim', async () => {
    const r = await verifyEditionSignatures(disc, TREE1, { hashers: nodeHashers });
    const cats = new Map(r.catalogs.notMicrosoft.map((c) => [c.path.replace(/^.*\//, ''), c]));
    expect(cats.get(PACKAGE_CAT)).toMatchObject({ status: 'untrusted-chain', claimsMicrosoft: true });
    expect(cats.get(PACKAGE_CAT)!.words).toMatch(/^signed by a certificate that only claims Microsoft's name \(Microsoft Root Certificate Authority 2010\)/);
    const f = byPath(r);
    expect(f.get('/Windows/System32/notepad.exe')).toMatchObject({ verdict: 'catalog-not-microsoft', claimsMicrosoftButFails: true });
    expect(f.get('/Windows/System32/oem.dll')).toMatchObject({ verdict: 'catalog-not-microsoft', claimsMicrosoftButFails: false });
    // notepad.exe twice (System32, WinSxS), kernel32, ntdll, license.rtf; changed.exe, hosts, shimchanged.efi.
    expect(r.claimsMicrosoftButFails).toBe(8);
  });

  it('the other edition: its files as they are, nothing failing a claim', async () => {
    const r = await verifyEditionSignatures(disc, TREE2, { hashers: nodeHashers });
    expect(r).toMatchObject({ status: 'complete', systemFiles: 4, signedByMicrosoft: 1, claimsMicrosoftButFails: 0 });
    expect(r.words).toBe('1 of 4 system files are signed by Microsoft (embedded or by catalog); these 3 are not:');
    const broken = r.catalogs.notMicrosoft.find((c) => c.path.endsWith('/Broken.cat'))!;
    expect(broken).toMatchObject({ status: 'unreadable', microsoft: false, members: 0 });
    expect(broken.code).toMatch(/^(DER|PKCS7|CATALOG)_/);
    expect(broken.words).toMatch(/^not a catalog that can be read: /);
    expect(byPath(r).get('/Windows/System32/oem.dll')).toMatchObject({ verdict: 'catalog-not-microsoft' });
  });

  it('WebAssembly hashers (the worker’s) give the same verdicts as node:crypto', async () => {
    const a = await verifyEditionSignatures(disc, TREE1, { extraAnchors: [msCa] });
    const b = await verifyEditionSignatures(disc, TREE1, { extraAnchors: [msCa], hashers: nodeHashers });
    expect(a.files.map((x) => [x.path, x.verdict])).toEqual(b.files.map((x) => [x.path, x.verdict]));
    expect(a.verdicts).toEqual(b.verdicts);
  });
});

describe('read in the WIM’s own order', () => {
  it('a solid install.esd: the same verdicts, its chunks read about once (file by file, each file would read its chunk again); a bare WIM given as wimFile likewise', async () => {
    const file = await NodeFileSource.open(esdIso);
    const d = await openDisc(file);
    const solid = await verifyEditionSignatures(d, 'udf|/sources/install.esd#1', { extraAnchors: [msCa], hashers: nodeHashers });
    const plain = await verifyEditionSignatures(disc, TREE1, { extraAnchors: [msCa], hashers: nodeHashers });
    expect(solid.files.map((x) => [x.path, x.verdict, x.words])).toEqual(plain.files.map((x) => [x.path, x.verdict, x.words]));
    expect(solid.verdicts).toEqual(plain.verdicts);
    // In the WIM's order each solid chunk is decompressed about once (a chunk holding catalogs may be read again for the
    // files); file by file through disc.source, every file decompresses its chunk again.
    const size = readFileSync(esd).length;
    expect(solid.storedBytesRead).toBeGreaterThan(0);
    expect(solid.storedBytesRead).toBeLessThan(1.25 * size);
    const before = d.stats.bytesRead;
    const perFile = await verifyEditionSignatures(
      { tree: d.tree.bind(d), source: (t, p, sig) => (t === 'udf' ? Promise.resolve(null) : d.source(t, p, sig)) },
      'udf|/sources/install.esd#1',
      { extraAnchors: [msCa], hashers: nodeHashers },
    );
    expect(perFile.verdicts).toEqual(plain.verdicts);
    expect(d.stats.bytesRead - before).toBeGreaterThan(3 * size);
    await file.close();

    const bare = await NodeFileSource.open(wim);
    const b = await openDisc(bare);
    expect(b.report.kind).toBe('wim');
    const r = await verifyEditionSignatures(b, '|/#1', { extraAnchors: [msCa], hashers: nodeHashers, wimFile: bare });
    expect(r.verdicts).toEqual(plain.verdicts);
    // Every resource once, and the WIM's header, XML and blob table read again for this check.
    expect(r.storedBytesRead).toBeLessThan(bare.size + 128 * 1024);
    // Without it, file by file through the Disc: the same verdicts, no count of the WIM's bytes.
    const slow = await verifyEditionSignatures(b, '|/#1', { extraAnchors: [msCa], hashers: nodeHashers });
    expect(slow.verdicts).toEqual(plain.verdicts);
    expect(slow.storedBytesRead).toBeNull();
    await bare.close();
  });
});

describe('progress and cancel', () => {
  it('reports bytes done of the total, files, and a time estimate; ends at the total', async () => {
    const seen: EditionProgress[] = [];
    const r = await verifyEditionSignatures(disc, TREE1, { hashers: nodeHashers, concurrency: 1, progressInterval: 0, onProgress: (p) => seen.push({ ...p }) });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen[0]).toMatchObject({ phase: 'catalogs', bytesDone: 0, filesDone: 0, bytesTotal: r.bytesTotal, filesTotal: 3 + r.contentsRead });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytesDone).toBeGreaterThanOrEqual(seen[i - 1]!.bytesDone);
    expect(seen.at(-1)).toMatchObject({ phase: 'files', bytesDone: r.bytesTotal, filesDone: 3 + r.contentsRead });
    const estimated = seen.filter((p) => p.msLeft !== null);
    expect(estimated.length).toBeGreaterThan(0);
    expect(estimated.at(-1)!.msLeft).toBe(0);
    expect(estimated.every((p) => p.bytesPerSecond! > 0)).toBe(true);
  });

  it('cancelled mid-run: settles with a typed cancelled result holding what was checked', async () => {
    const ac = new AbortController();
    const r = await verifyEditionSignatures(disc, TREE1, {
      hashers: nodeHashers,
      concurrency: 1,
      progressInterval: 0,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'files' && p.filesDone >= 5) ac.abort();
      },
    });
    expect(r.status).toBe('cancelled');
    expect(r.checked).toBeGreaterThan(0);
    expect(r.checked).toBeLessThan(r.systemFiles);
    expect(r.bytesRead).toBeLessThan(r.bytesTotal);
    expect(r.words).toMatch(new RegExp(`^Cancelled after ${r.checked} of 14 system files: `));
  });

  it('cancelled before it starts: cancelled, nothing read', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await verifyEditionSignatures(disc, TREE1, { signal: ac.signal });
    expect(r).toMatchObject({ status: 'cancelled', checked: 0, bytesRead: 0 });
  });

  it('an image that is not there: failed, with why', async () => {
    const r = await verifyEditionSignatures(disc, 'udf|/sources/install.wim#9');
    expect(r.status).toBe('failed');
    expect(r.words).toBe('The signatures of this edition could not be checked.');
  });
});

describe('the verdict when a catalog is Microsoft’s (judgeFile, with a catalog marked as verified: no Microsoft key signs a test catalog)', () => {
  const info = (over: Partial<CatalogInfo>): CatalogInfo => ({
    path: '/x.cat',
    size: 1,
    status: 'valid',
    best: null,
    microsoft: true,
    datesChecked: true,
    claimsMicrosoft: true,
    members: 1,
    algorithms: ['SHA-256'],
    error: null,
    code: null,
    ...over,
  });
  const ex = (digest: string): FileExamination => ({
    kind: 'pe',
    digests: { sha256: digest },
    embedded: null,
    embeddedError: null,
    datesChecked: true,
    note: null,
    bytesRead: 0,
    reads: 0,
  });
  const catalog = (digest: string, file: string) =>
    ({ members: [{ tag: digest, digest, digestAlgorithm: 'SHA-256', kind: 'pe', attributes: [{ name: 'File', value: file }] }] }) as never;

  it('a member of a Microsoft catalog is signed by catalog; a Microsoft catalog wins over another listing the same hash', () => {
    const index = new CatalogIndex();
    index.add(info({ path: '/other.cat', microsoft: false, claimsMicrosoft: false }), catalog('aa', 'a.dll'));
    index.add(info({ path: '/ms.cat' }), catalog('aa', 'a.dll'));
    expect(judgeFile('a.dll', ex('aa'), index)).toMatchObject({ verdict: 'catalog', microsoft: true, catalog: { path: '/ms.cat' } });
    expect(judgeFile('a.dll', ex('bb'), index)).toMatchObject({
      verdict: 'changed-after-signing',
      claimsMicrosoftButFails: true,
      catalog: { path: '/ms.cat' },
    });
    expect(judgeFile('b.dll', ex('bb'), index)).toMatchObject({ verdict: 'not-in-catalog', claimsMicrosoftButFails: false });
    expect(judgeFile('b.dll', null, index, 'the blob is missing')).toMatchObject({ verdict: 'unreadable', reason: 'the blob is missing' });
  });
});

describe('CLI --verify-signatures', () => {
  const cli = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const sink = (to: (s: string) => void) =>
      new Writable({
        write(chunk, _enc, done) {
          to(String(chunk));
          done();
        },
      });
    const code = await main(
      args,
      sink((x) => (stdout += x)) as unknown as typeof process.stdout,
      sink((x) => (stderr += x)) as unknown as typeof process.stderr,
    );
    return { code, stdout, stderr };
  };

  it('every edition: the counts and the files that are not signed; exit 1 (files claim Microsoft and fail)', async () => {
    const r = await cli(iso, '--verify-signatures');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'Signatures, image 1 · Windows 10 Pro: 1 of 14 system files are signed by Microsoft (embedded or by catalog); these 13 are not:',
    );
    expect(r.stdout).toMatch(/\/Windows\/System32\/shimchanged\.efi: changed after it was signed: its own signature no longer matches its bytes/);
    expect(r.stdout).toContain('Signatures, image 2 · Windows 10 Education: 1 of 4 system files are signed by Microsoft');
  }, 60_000);

  it('--verify-signatures 2: that edition only; nothing claims Microsoft and fails: exit 0; --json carries signatures.editions', async () => {
    const r = await cli(iso, '--verify-signatures', '2', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.signatures?.editions?.map((e: EditionSignatures) => [e.image, e.status, e.systemFiles, e.claimsMicrosoftButFails])).toEqual([
      [2, 'complete', 4, 0],
    ]);
    const one = await cli(iso, '--verify-signatures=1', '--json');
    expect(one.code).toBe(1);
    expect((JSON.parse(one.stdout) as Report).signatures?.editions?.[0]?.claimsMicrosoftButFails).toBe(8);
  }, 60_000);

  it('an edition that is not there: exit 1, said', async () => {
    const r = await cli(iso, '--verify-signatures', '7');
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toMatch(/image 7/);
  });
});
