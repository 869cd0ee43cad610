/**
 * Windows identification against wimlib-imagex (info and --header) and 7-Zip
 * on the same bytes: the WIM/ESD/SWM inside each Windows-like fixture is
 * extracted by 7-Zip from the UDF tree and read by wimlib (tests/fixtures/make.sh).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, bytesBeyondPrefetch, inspectPath, readBeside } from './helpers.ts';
import { parseWimlibInfo, parseUdfinfo } from './tool-output.ts';
import type { Report } from '../../workers/report/types.ts';
import { PREFETCH_RANGES } from '../../workers/core/inspect.ts';

const WIMLIB_ARCH: Record<string, string> = { x86: 'x86', x86_64: 'x64', ARM: 'arm', ARM64: 'arm64', IA64: 'ia64' };
const ctime = (s: string) => new Date(s.replace(/ UTC$/, 'Z').replace(/^\w{3} (\w{3}) (\d+) ([\d:]+) (\d{4})Z$/, '$1 $2 $4 $3 UTC')).toISOString().slice(0, 19);

function expectAgreesWithWimlib(w: NonNullable<Report['windows']>, text: string) {
  const t = parseWimlibInfo(text);
  expect(w.guid).toBe(t.info.GUID!.replace(/^0x/, ''));
  expect(w.version).toBe(Number(t.info.Version));
  expect(w.imageCount).toBe(Number(t.info['Image Count']));
  expect(w.compression).toBe(t.info.Compression === 'None' ? 'none' : t.info.Compression);
  expect(`${w.chunkSize} bytes`).toBe(t.info['Chunk Size']);
  expect(`${w.part.number}/${w.part.total}`).toBe(t.info['Part Number']);
  expect(w.bootIndex).toBe(Number(t.info['Boot Index']));
  expect(w.integrity).toBe(/Integrity info/.test(t.info.Attributes ?? ''));
  expect('0x' + (w.flags.length ? parseInt(t.header.Flags!, 16) : 0).toString(16)).toBe(t.header.Flags);
  const res = w.resources;
  for (const [name, r] of [
    ['Blob Table', res.blobTable],
    ['XML Data', res.xmlData],
    ['Boot Metadata', res.bootMetadata],
    ['Integrity', res.integrityTable],
  ] as const) {
    expect(r.sizeInWim, name).toBe(Number(t.header[`${name} Size`]));
    expect(r.offsetInWim, name).toBe(Number(t.header[`${name} Offset`]));
    expect('0x' + r.flags.toString(16), name).toBe(t.header[`${name} Flags`]);
    expect(r.uncompressedSize, name).toBe(Number(t.header[`${name} Original_size`] ?? t.header[`${name} Original Size`]));
  }
  expect(w.images.length).toBe(t.images.length);
  for (const [i, ti] of t.images.entries()) {
    const img = w.images[i]!;
    expect(img.index).toBe(Number(ti.Index));
    expect(img.name).toBe(ti.Name);
    expect(img.description).toBe(ti.Description);
    expect(img.displayName ?? '').toBe(ti['Display Name'] ?? '');
    expect(img.displayDescription ?? '').toBe(ti['Display Description'] ?? '');
    expect(img.dirCount).toBe(Number(ti['Directory Count']));
    expect(img.fileCount).toBe(Number(ti['File Count']));
    expect(img.totalBytes).toBe(Number(ti['Total Bytes']));
    expect(img.hardLinkBytes).toBe(Number(ti['Hard Link Bytes']));
    expect(img.created!.slice(0, 19)).toBe(ctime(ti['Creation Time']!));
    expect(img.modified!.slice(0, 19)).toBe(ctime(ti['Last Modification Time']!));
    expect(img.arch).toBe(WIMLIB_ARCH[ti.Architecture!]);
    expect(img.editionId).toBe(ti['Edition ID']);
    expect(img.installationType).toBe(ti['Installation Type'] ?? null);
    expect(img.productType).toBe(ti['Product Type'] ?? null);
    expect(img.productSuite).toBe(ti['Product Suite'] ?? null);
    expect(img.languages.join(' ')).toBe(ti.Languages);
    expect(img.defaultLanguage).toBe(ti['Default Language']);
    expect(img.systemRoot).toBe(ti['System Root'] ?? null);
    expect(img.version).toBe([ti['Major Version'], ti['Minor Version'], ti.Build, ti['Service Pack Build']].join('.'));
    expect(img.build).toBe(Number(ti.Build));
    expect(img.spBuild).toBe(Number(ti['Service Pack Build']));
    expect(img.spLevel).toBe(Number(ti['Service Pack Level']));
    expect(img.flags).toBe(ti.Flags);
    expect(img.wimBoot).toBe(ti['WIMBoot compatible'] === 'yes');
  }
}

describe.each([
  ['win7-pro-x64.iso', 'install.wim', 'wim'],
  ['win11-esd.iso', 'install.esd', 'esd'],
  ['win10-arm64-swm.iso', 'install.swm', 'swm'],
])('%s', (image, wimName, format) => {
  const path = join(FIXTURES, image);

  it(`its ${wimName} agrees with wimlib-imagex info field by field`, async () => {
    const r = await inspectPath(path);
    expect(r.windows!.format).toBe(format);
    expect(r.windows!.imageFile).toBe(`/sources/${wimName}`);
    expectAgreesWithWimlib(r.windows!, readBeside(image, `.${wimName}.wiminfo.txt`)!);
  });

  it('its boot.wim agrees with wimlib-imagex info', async () => {
    const r = await inspectPath(path);
    const t = parseWimlibInfo(readBeside(image, '.boot.wim.wiminfo.txt')!);
    expect(r.windows!.bootWim!.imageCount).toBe(Number(t.info['Image Count']));
    expect(r.windows!.bootWim!.images[0]!.name).toBe(t.images[0]!.Name);
  });

  it("setup.exe's version agrees with 7-Zip's reading of its version resource", async () => {
    const r = await inspectPath(path);
    expect(`FileVersion: ${r.windows!.setupVersion}`).toBe(readBeside(image, '.setup-version.txt')!.trim());
  });

  it('filesystems.udf agrees with udfinfo, and files come from UDF', async () => {
    const r = await inspectPath(path, { files: true });
    const info = parseUdfinfo(readBeside(image, '.udfinfo.txt')!);
    const u = r.filesystems.udf!;
    expect(u.revision).toBe(info.udfrev);
    expect(u.volumeId).toBe(info.vid);
    expect(u.logicalVolumeId).toBe(info.lvid);
    expect(u.blockSize).toBe(Number(info.blocksize));
    expect(r.filesFrom).toBe('udf');
  });

  it('identifies Windows reading under 256 KiB beyond its first read', async () => {
    const r = await inspectPath(path, { prefetch: PREFETCH_RANGES });
    expect(r.errors).toEqual([]);
    expect(bytesBeyondPrefetch(r)).toBeLessThan(256 * 1024);
  });
});

describe('what Setup keeps beside the WIM', () => {
  it('Windows 7: ei.cfg, pid.txt (present, key never shown), idwbinfo, lang.ini, label, lifecycle, summary', async () => {
    const r = await inspectPath(join(FIXTURES, 'win7-pro-x64.iso'), { today: '2026-11-22' });
    const w = r.windows!;
    expect(w.eiCfg).toMatchObject({ editionId: 'Professional', channel: 'OEM', volumeLicense: false });
    expect(w.pidTxt).toBe(true);
    expect(JSON.stringify(r)).not.toContain('XXXXX-XXXXX');
    expect(w.idwbinfo!.BuildBranch).toBe('win7sp1_rtm');
    expect(w.langIni!.languages).toEqual(['de-DE']);
    expect(w.labelInfo).toMatchObject({
      product: 'Windows 7',
      servicePack: 1,
      edition: 'Professional',
      arch: 'x64',
      build: 'free',
      channel: 'retail',
      language: 'DE',
    });
    expect(w.lifecycle!.status).toBe('unsupported');
    expect(w.lifecycle!.statement).toMatch(/no security updates/);
    expect(w.summary).toBe('Windows 7 Professional SP1 x64, build 7601, de-DE, OEM'); // ei.cfg picks the edition
  });

  it('Windows 11 ESD: the stale XML build is shown beside the build Setup carries', async () => {
    const r = await inspectPath(join(FIXTURES, 'win11-esd.iso'));
    const w = r.windows!;
    expect(w.images.map((i) => i.build)).toEqual([22621, 22621, 22621]);
    expect(w.setupVersion).toBe('10.0.22631.2428');
    expect(w.buildNote).toMatch(/XML says build 22621.*carries build 22631/);
    expect(w.summary).toBe('Windows 11 (3 editions: Home, Pro, Education) x64, build 22631 (23H2), en-US');
    expect(w.labelInfo).toMatchObject({ arch: 'x64', language: 'en-US', edition: 'Consumer editions (multi-edition)' });
  });

  it('an unknown label decodes to nothing', async () => {
    const r = await inspectPath(join(FIXTURES, 'udf-bridge.iso'));
    expect(r.windows).toBeUndefined();
    const { decodeWindowsLabel } = await import('../../workers/formats/windows/label.ts');
    expect(decodeWindowsLabel('UDF_BRIDGE')).toBeNull();
    expect(decodeWindowsLabel('GRMCXYXFRER_EN_DVD')!.edition).toBeNull(); // an edition code nobody documented
  });
});

describe('a split WIM with a part missing', () => {
  let dir = '';
  let iso = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'isoscope-swm-'));
    execFileSync('7zz', ['x', '-tudf', '-y', `-o${join(dir, 'tree')}`, join(FIXTURES, 'win10-arm64-swm.iso')], { stdio: 'ignore' });
    unlinkSync(join(dir, 'tree', 'sources', 'install2.swm'));
    iso = join(dir, 'missing.iso');
    execFileSync('genisoimage', ['-quiet', '-o', iso, '-V', 'CPBA_A64FRE_JA-JP_DV9', '-J', '-udf', join(dir, 'tree')], { stdio: 'ignore' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the missing part and still shows the editions from part 1', async () => {
    const r = await inspectPath(iso);
    expect(r.errors.find((e) => e.code === 'SWM_PART_MISSING')!.message).toMatch(/part 2 of 2/);
    expect(r.windows!.images[0]!.arch).toBe('arm64');
    expect(r.windows!.parts!.missing).toEqual([2]);
  });
});
