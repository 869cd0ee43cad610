/**
 * "Is it genuine?" on discs made here the ways people make and remake
 * Windows media: Microsoft's layout (generator, checked with udfinfo, isoinfo
 * and 7-Zip), genisoimage and xorriso rebuilds, files added, updates
 * integrated, an ESD in a Windows 7 image; a file of a catalogued release's
 * exact size; --lookup; and no fixture ever called identical.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, truncateSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { genisoimageIso, makeWindowsTree, microsoftLayoutIso, xorrisoIso, type Media, type MediaSpec, type WimImageSpec } from '../helpers/windows-media.ts';
import { inspect } from '../../workers/core/disc.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { CATALOGUE, type LookupResult } from '../../workers/catalogue/catalogue.ts';
import { matchHashes } from '../../workers/report/provenance.ts';
import type { Report } from '../../workers/report/types.ts';

const BIN = resolve(import.meta.dirname, '../../workers/cli/bin.cjs');
const FIXTURES = resolve(import.meta.dirname, '../fixtures');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });

/** November 2010, as Windows 7 SP1's images are stamped (a FILETIME). */
const NOV_2010 = 129345000000000000n;
const win7 = (over: Partial<WimImageSpec> = {}): WimImageSpec => ({
  name: 'Windows 7 PROFESSIONAL',
  editionId: 'Professional',
  major: 6,
  minor: 1,
  build: 7601,
  spBuild: 17514,
  spLevel: 1,
  modified: NOV_2010,
  ...over,
});
const SPEC: MediaSpec = { label: 'GSP1RMCPRXFRER_EN_DVD', images: [win7()] };

async function reportOf(path: string): Promise<Report> {
  const src = await NodeFileSource.open(path);
  try {
    return await inspect(src, { today: '2026-11-30' });
  } finally {
    await src.close();
  }
}
const signal = (r: Report, id: string) => r.provenance!.signals.find((s) => s.id === id);
const strongIds = (r: Report) => r.provenance!.signals.filter((s) => s.strength === 'strong' && s.verdict !== 'consistent').map((s) => s.id);

const made: Media[] = [];
afterAll(() => made.forEach((m) => m.cleanup()));
function media(spec: MediaSpec): Media {
  const m = makeWindowsTree(spec);
  made.push(m);
  return m;
}

describe("Microsoft's layout (a generator, read back by udfinfo, isoinfo and 7-Zip)", () => {
  let iso = '';
  beforeAll(() => {
    iso = microsoftLayoutIso(media(SPEC), SPEC);
  });

  it('is what the tools read: README.TXT alone in ISO 9660, every file in UDF, CDIMAGE identifiers', () => {
    const isoList = execFileSync('isoinfo', ['-l', '-i', iso], { encoding: 'utf8' });
    expect(isoList.match(/;1/g)?.length).toBe(1);
    expect(isoList).toContain('README.TXT;1');
    expect(execFileSync('udfinfo', [iso], { encoding: 'utf8' })).toContain('impid=*Microsoft CDIMAGE UDF');
    expect(execFileSync('7zz', ['l', '-tudf', iso], { encoding: 'utf8' })).toContain('sources/install.wim');
    expect(execFileSync('isoinfo', ['-d', '-i', iso], { encoding: 'utf8' })).toContain('Application id: CDIMAGE 2.56');
  });

  it('every signal is consistent, and it is never called identical (no hash matched)', async () => {
    const r = await reportOf(iso);
    expect(strongIds(r)).toEqual([]);
    expect(signal(r, 'layout')!.verdict).toBe('consistent');
    expect(signal(r, 'udf-implementation')!.verdict).toBe('consistent');
    expect(signal(r, 'build')!.verdict).toBe('consistent');
    expect(r.provenance!.summary).toMatch(/^Consistent with Microsoft's own media/);
    expect(r.provenance!.summary).not.toMatch(/identical|genuine/i);
  });
});

describe('rebuilt discs', () => {
  let m: Media;
  beforeAll(() => {
    m = media(SPEC);
  });

  it('genisoimage: its UDF and ISO 9660 identifiers, every file in the ISO 9660 tree', async () => {
    const r = await reportOf(genisoimageIso(m, SPEC));
    expect(signal(r, 'udf-implementation')).toMatchObject({ verdict: 'rebuilt', strength: 'strong', title: 'The UDF volume was written by genisoimage' });
    expect(execFileSync('udfinfo', [genisoimageIso(m, SPEC, join(m.dir, 'again.iso'))], { encoding: 'utf8' })).toContain('impid=*genisoimage');
    expect(signal(r, 'iso-identifiers')!.title).toMatch(/GENISOIMAGE/);
    expect(signal(r, 'layout')!.verdict).toBe('rebuilt');
    expect(r.provenance!.summary).toMatch(/^Not as Microsoft shipped it: rebuilt by another tool/);
  });

  it('xorriso: no UDF at all, and its name in the preparer identifier', async () => {
    const iso = xorrisoIso(m, SPEC);
    expect(execFileSync('isoinfo', ['-d', '-i', iso], { encoding: 'utf8' })).toMatch(/Data preparer id: XORRISO/);
    const r = await reportOf(iso);
    expect(signal(r, 'no-udf')).toMatchObject({ verdict: 'rebuilt', strength: 'strong' });
    expect(signal(r, 'iso-identifiers')!.title).toMatch(/XORRISO/);
  });
});

describe("modified media, in Microsoft's layout otherwise", () => {
  it('files added: autounattend.xml, sources/$OEM$ with SetupComplete.cmd', async () => {
    const spec: MediaSpec = { ...SPEC, files: { 'autounattend.xml': '<unattend/>', 'sources/$OEM$/$$/Setup/Scripts/SetupComplete.cmd': 'echo hi' } };
    const r = await reportOf(microsoftLayoutIso(media(spec), spec));
    expect(signal(r, 'added-files')).toMatchObject({ verdict: 'added', strength: 'strong' });
    expect(signal(r, 'added-files')!.title).toMatch(/autounattend\.xml.*\$OEM\$/);
    expect(r.provenance!.summary).toMatch(/files added/);
  });

  it('updates integrated: an image of build 7601.24545', async () => {
    const spec: MediaSpec = { ...SPEC, images: [win7({ spBuild: 24545 })] };
    const r = await reportOf(microsoftLayoutIso(media(spec), spec));
    expect(signal(r, 'build')).toMatchObject({ verdict: 'altered', strength: 'strong' });
    expect(signal(r, 'build')!.microsoft).toContain('7601.17514');
    expect(r.provenance!.summary).toMatch(/updates integrated/);
  });

  it('an ESD (LZMS, solid) in a Windows 7 image, and an image modified in 2023', async () => {
    const spec: MediaSpec = { ...SPEC, format: 'esd', images: [win7({ modified: 133300000000000000n })] };
    const r = await reportOf(microsoftLayoutIso(media(spec), spec));
    expect(signal(r, 'install-image-format')).toMatchObject({ verdict: 'altered', strength: 'strong' });
    expect(signal(r, 'timestamps')).toMatchObject({ verdict: 'altered', strength: 'strong' });
  });

  it('a label that announces another architecture and language than the image holds', async () => {
    const spec: MediaSpec = { ...SPEC, label: 'GSP1RMCPRFRER_DE_DVD', images: [win7({ languages: ['en-US'] })] };
    const r = await reportOf(microsoftLayoutIso(media(spec), spec));
    expect(signal(r, 'label-arch')!.title).toBe('The label says x86, the install image holds x64');
    expect(signal(r, 'label-language')!.verdict).toBe('altered');
  });
});

describe('the catalogue at the two moments', () => {
  const ultimate = CATALOGUE.releases.find((r) => r.names.includes('en_windows_7_ultimate_with_sp1_x64_dvd_u_677332.iso'))!;

  it('a disc padded to a catalogued release\'s exact size is a candidate at once; hashing it gives "not any release"', async () => {
    expect(ultimate.size).toBe(3320903680);
    const spec: MediaSpec = { label: 'GRMCULXFRER_EN_DVD', images: [win7({ name: 'Windows 7 ULTIMATE', editionId: 'Ultimate' })] };
    const m = media(spec);
    const iso = microsoftLayoutIso(m, spec);
    truncateSync(iso, ultimate.size!);
    const r = await reportOf(iso);
    expect(r.provenance!.size.verdict).toBe('candidate');
    // Home Premium, Professional and Ultimate "U" media share this size; the disc's single Ultimate image narrows it to one.
    expect(r.provenance!.size.statement).toMatch(
      /^3,320,903,680 bytes and its install image \(Ultimate\): the size of en_windows_7_ultimate_with_sp1_x64_dvd_u_677332\.iso/,
    );
    expect(r.provenance!.size.candidates.map((c) => c.names[0])).toEqual(['en_windows_7_ultimate_with_sp1_x64_dvd_u_677332.iso']);
    // The file runs on past its volume with zeros: padded to that size, which the verdict says before any hash.
    const padded = r.provenance!.signals.find((s) => s.id === 'padded')!;
    expect(padded).toMatchObject({ verdict: 'altered', strength: 'strong' });
    expect(padded.title).toMatch(
      /^The file is 3\.3 GB longer than the disc inside it \(zeros after the volume\): padded to the size of en_windows_7_ultimate_with_sp1_x64_dvd_u_677332\.iso\?$/,
    );
    expect(r.provenance!.toConfirm).toEqual(['sha256']);
    const c = cli(iso, '--confirm', '--json');
    const j = JSON.parse(c.stdout) as Report;
    expect(Object.keys(j.hashes!)).toEqual(['sha256']);
    expect(j.hashes!.sha256).toBe(execFileSync('sha256sum', [iso], { encoding: 'utf8' }).split(' ')[0]);
    expect(j.provenance!.match).toMatchObject({ verdict: 'not-in-catalogue' });
    expect(j.provenance!.summary).not.toMatch(/identical/i);
  }, 120_000);

  it('a file of that size whose disc holds another edition contradicts every release of the size: a strong sign, before any hash', async () => {
    const spec: MediaSpec = { label: 'GRMCENXFRER_EN_DVD', images: [win7({ name: 'Windows 7 ENTERPRISE', editionId: 'Enterprise' })] };
    const iso = microsoftLayoutIso(media(spec), spec);
    truncateSync(iso, ultimate.size!);
    const r = await reportOf(iso);
    expect(r.provenance!.size.verdict).toBe('contradicts');
    expect(r.provenance!.size.statement).toMatch(/^3,320,903,680 bytes, the size of .*; but the disc holds Enterprise \(install image\): not any of them/);
    expect(r.provenance!.signals.find((s) => s.id === 'size-contradicts')).toMatchObject({ verdict: 'altered', strength: 'strong' });
    expect(r.provenance!.summary).toMatch(/^Not as Microsoft shipped it/);
  });

  it('a sparse file of that size, not a disc at all, still gets the size answer', async () => {
    const m = media(SPEC);
    const path = join(m.dir, 'zeros.iso');
    closeSync(openSync(path, 'w'));
    truncateSync(path, ultimate.size!);
    const r = await reportOf(path);
    expect(r.recognised).toBe(false);
    expect(r.provenance!.size.candidates.map((c) => c.id)).toContain(ultimate.id);
    expect(r.provenance!.signals).toEqual([]);
  });

  it('an exact hash match names every name of those bytes and the sources that list the hash', () => {
    const m = matchHashes({ sha1: ultimate.sha1! })!;
    expect(m.verdict).toBe('identical');
    expect(m.statement).toMatch(/^Identical to en_windows_7_ultimate_with_sp1_x64_dvd_u_677332\.iso, .* \(SHA1 as listed by /);
    for (const n of ultimate.names) expect(m.statement).toContain(n);
    expect(m.statement).toContain('X17-59465.iso');
    expect(matchHashes({ sha1: '0'.repeat(40) })!.verdict).toBe('not-in-catalogue');
  });
});

describe('--lookup', () => {
  it('finds every name of a catalogued hash, with its sources', () => {
    const pro = CATALOGUE.releases.find((r) => r.names.includes('en_windows_7_professional_with_sp1_x64_dvd_u_676939.iso'))!;
    const r = cli('--lookup', pro.sha1!.toUpperCase());
    expect(r.status).toBe(0);
    for (const n of pro.names) expect(r.stdout).toContain(n);
    expect(r.stdout).toContain('x17-59186.iso');
    expect(r.stdout).toMatch(/sources .*malboxes/);
    const j = JSON.parse(cli('--lookup', `sha1:${pro.sha1}`, '--json').stdout) as LookupResult;
    expect(j.releases[0]?.names).toEqual(pro.names);
  });

  it('finds releases by size, with or without separators', () => {
    expect(cli('--lookup', '3,320,903,680').stdout).toContain('en_windows_7_ultimate_with_sp1_x64_dvd_u_677332.iso');
  });

  it('an unknown hash says so (exit 1); a malformed one says what is wrong (exit 2)', () => {
    const unknown = cli('--lookup', 'f'.repeat(64));
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toMatch(/no release in the catalogue has this SHA256: unknown to isoscope, which does not make it fake/);
    const bad = cli('--lookup', 'a'.repeat(63));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/63 hex digits/);
  });
});

describe('no image built by the fixtures is ever called identical to a catalogued release', () => {
  it('every fixture disc, hashed, matches no catalogue row', () => {
    const isos = readdirSync(FIXTURES).filter((n) => n.endsWith('.iso'));
    expect(isos.length).toBeGreaterThan(10);
    for (const n of isos) {
      const bytes = readFileSync(join(FIXTURES, n));
      const hashes = Object.fromEntries((['md5', 'sha1', 'sha256'] as const).map((a) => [a, createHash(a).update(bytes).digest('hex')]));
      expect(matchHashes(hashes)!.verdict, n).toBe('not-in-catalogue');
    }
  });
});
