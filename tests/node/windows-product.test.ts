/**
 * Product names and support dates for every Windows family. Expected values
 * are Microsoft's published ones (release-information and lifecycle pages,
 * cited in formats/windows/product.ts and lifecycle.ts); the media tests
 * build install images with wimlib-imagex and read them back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowsProduct } from '../../workers/formats/windows/product.ts';
import { lifecycleFor } from '../../workers/formats/windows/lifecycle.ts';
import { genisoimageIso, makeWindowsTree, type Media, type MediaSpec } from '../helpers/windows-media.ts';
import { inspect } from '../../workers/core/disc.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { execFileSync } from 'node:child_process';

const TODAY = '2026-11-30';

describe('product names from version, installation type and edition', () => {
  const cases: [string, [number, number, number, string, string], string, string | null][] = [
    ['Vista', [6, 0, 6002, 'Client', 'Ultimate'], 'Windows Vista', null],
    ['Server 2008', [6, 0, 6002, 'Server', 'ServerEnterprise'], 'Windows Server 2008', null],
    ['7', [6, 1, 7601, 'Client', 'Professional'], 'Windows 7', null],
    ['Server 2008 R2', [6, 1, 7601, 'Server', 'ServerStandard'], 'Windows Server 2008 R2', null],
    ['8', [6, 2, 9200, 'Client', 'Professional'], 'Windows 8', null],
    ['Server 2012', [6, 2, 9200, 'Server Core', 'ServerDatacenterCore'], 'Windows Server 2012', null],
    ['8.1', [6, 3, 9600, 'Client', 'Core'], 'Windows 8.1', null],
    ['Server 2012 R2', [6, 3, 9600, 'Server', 'ServerStandard'], 'Windows Server 2012 R2', null],
    ['10 1507', [10, 0, 10240, 'Client', 'Professional'], 'Windows 10', '1507'],
    ['10 22H2', [10, 0, 19045, 'Client', 'Core'], 'Windows 10', '22H2'],
    ['11 21H2', [10, 0, 22000, 'Client', 'Professional'], 'Windows 11', '21H2'],
    ['11 24H2', [10, 0, 26100, 'Client', 'Professional'], 'Windows 11', '24H2'],
    ['11 25H2', [10, 0, 26200, 'Client', 'Enterprise'], 'Windows 11', '25H2'],
    ['Server 2016', [10, 0, 14393, 'Server', 'ServerDatacenter'], 'Windows Server 2016', null],
    ['Server 2019', [10, 0, 17763, 'Server Core', 'ServerStandardCore'], 'Windows Server 2019', null],
    ['Server 2022', [10, 0, 20348, 'Server', 'ServerStandard'], 'Windows Server 2022', null],
    ['Server 2025', [10, 0, 26100, 'Server', 'ServerDatacenter'], 'Windows Server 2025', null],
    ['Server 1909 (SAC)', [10, 0, 18363, 'Server Core', 'ServerStandardCore'], 'Windows Server, version 1909', '1909'],
    ['Server 23H2 (AC)', [10, 0, 25398, 'Server Core', 'ServerDatacenterCore'], 'Windows Server, version 23H2', '23H2'],
    ['2015 LTSB', [10, 0, 10240, 'Client', 'EnterpriseS'], 'Windows 10 Enterprise 2015 LTSB', '1507'],
    ['2016 LTSB', [10, 0, 14393, 'Client', 'EnterpriseS'], 'Windows 10 Enterprise 2016 LTSB', '1607'],
    ['LTSC 2019', [10, 0, 17763, 'Client', 'EnterpriseS'], 'Windows 10 Enterprise LTSC 2019', '1809'],
    ['LTSC 2021', [10, 0, 19044, 'Client', 'EnterpriseS'], 'Windows 10 Enterprise LTSC 2021', '21H2'],
    ['IoT LTSC 2021', [10, 0, 19044, 'Client', 'IoTEnterpriseS'], 'Windows 10 IoT Enterprise LTSC 2021', '21H2'],
    ['11 LTSC 2024', [10, 0, 26100, 'Client', 'EnterpriseS'], 'Windows 11 Enterprise LTSC 2024', '24H2'],
    ['Windows PE', [10, 0, 19041, 'WindowsPE', 'WindowsPE'], 'Windows PE', null],
  ];
  it.each(cases)('%s', (_label, [ma, mi, b, type, ed], name, version) => {
    const p = windowsProduct(ma, mi, b, type, ed)!;
    expect(p.name).toBe(name);
    expect(p.version).toBe(version);
  });
  it('a Server edition is a server even when INSTALLATIONTYPE is missing', () => {
    expect(windowsProduct(10, 0, 20348, null, 'ServerDatacenter')!.name).toBe('Windows Server 2022');
  });
  it('an unlisted build is named by its family only', () => {
    expect(windowsProduct(10, 0, 20349, 'Server', 'ServerStandard')!.name).toBe('Windows Server');
    expect(windowsProduct(10, 0, 19999, 'Client', 'Professional')).toMatchObject({ name: 'Windows 10', version: null });
  });
});

describe('support dates for every family (Microsoft lifecycle pages)', () => {
  const at = (ma: number, mi: number, b: number, type: string, ed: string, today = TODAY) => lifecycleFor(windowsProduct(ma, mi, b, type, ed), today);
  it('Server 2022 is supported until 2031-10-14, not "Windows 10, ended 2025"', () => {
    const l = at(10, 0, 20348, 'Server', 'ServerStandard')!;
    expect(l).toMatchObject({ release: 'Windows Server 2022', mainstreamEnd: '2026-10-13', extendedEnd: '2031-10-14', status: 'extended-only' });
    expect(l.source).toBe('https://learn.microsoft.com/lifecycle/products/windows-server-2022');
  });
  it('Server 2025 in mainstream support; 2016 and 2019 in extended; 2012 R2 only through ESU until 2026-10-13', () => {
    expect(at(10, 0, 26100, 'Server', 'ServerDatacenter')).toMatchObject({ status: 'supported', mainstreamEnd: '2029-11-13', extendedEnd: '2034-11-14' });
    expect(at(10, 0, 14393, 'Server', 'ServerStandard')!.status).toBe('extended-only');
    expect(at(10, 0, 17763, 'Server', 'ServerStandard')!.status).toBe('extended-only');
    expect(at(6, 3, 9600, 'Server', 'ServerStandard', '2026-06-01')!.status).toBe('esu-only');
    expect(at(6, 3, 9600, 'Server', 'ServerStandard')!.status).toBe('unsupported');
    expect(at(6, 1, 7601, 'Server', 'ServerStandard')!.statement).toMatch(/paid ESU ended 2024-01-09/);
  });
  it('Windows 10 and 11 by feature update and edition class', () => {
    expect(at(10, 0, 19045, 'Client', 'Professional')).toMatchObject({
      release: 'Windows 10 Home and Pro, version 22H2',
      extendedEnd: '2025-10-14',
      status: 'unsupported',
    });
    expect(at(10, 0, 18363, 'Client', 'Professional')!.extendedEnd).toBe('2021-05-11');
    expect(at(10, 0, 18363, 'Client', 'Enterprise')!.extendedEnd).toBe('2022-05-10');
    expect(at(10, 0, 22631, 'Client', 'Core')).toMatchObject({ extendedEnd: '2025-11-11', status: 'unsupported' });
    expect(at(10, 0, 22631, 'Client', 'Education')).toMatchObject({ extendedEnd: '2026-11-10', status: 'unsupported' });
    expect(at(10, 0, 26100, 'Client', 'Professional')).toMatchObject({ extendedEnd: '2026-10-13', status: 'unsupported' });
    expect(at(10, 0, 26200, 'Client', 'Professional')).toMatchObject({ extendedEnd: '2027-10-12', status: 'supported' });
    expect(at(10, 0, 26200, 'Client', 'Enterprise')).toMatchObject({ release: 'Windows 11 Enterprise and Education, version 25H2', extendedEnd: '2028-10-10' });
  });
  it('LTSB/LTSC releases have their own dates', () => {
    expect(at(10, 0, 17763, 'Client', 'EnterpriseS')).toMatchObject({ extendedEnd: '2029-01-09', status: 'extended-only' });
    expect(at(10, 0, 19044, 'Client', 'EnterpriseS')).toMatchObject({ mainstreamEnd: null, extendedEnd: '2027-01-12', status: 'supported' });
    expect(at(10, 0, 19044, 'Client', 'IoTEnterpriseS')).toMatchObject({ extendedEnd: '2032-01-13' });
    expect(at(10, 0, 14393, 'Client', 'EnterpriseS')).toMatchObject({ extendedEnd: '2026-10-13', status: 'unsupported' });
  });
  it('the last day is still a day of support', () => {
    expect(at(10, 0, 20348, 'Server', 'ServerStandard', '2031-10-14')!.status).toBe('extended-only');
    expect(at(10, 0, 20348, 'Server', 'ServerStandard', '2031-10-15')!.status).toBe('unsupported');
  });
  it('a release not in the table gives nothing rather than a guess', () => {
    expect(at(10, 0, 25398, 'Server Core', 'ServerDatacenterCore')).toBeNull();
    expect(at(10, 0, 26100, 'Client', 'EnterpriseS')).toBeNull();
    expect(at(10, 0, 19999, 'Client', 'Professional')).toBeNull();
  });
});

describe('a Windows Server 2022 install disc (wimlib-imagex, genisoimage)', () => {
  let media: Media;
  let iso: string;
  const spec: MediaSpec = {
    label: 'SSS_X64FREE_EN-US_DV9',
    images: [
      {
        name: 'Windows Server 2022 SERVERSTANDARD',
        displayName: 'Windows Server 2022 Standard (Desktop Experience)',
        editionId: 'ServerStandard',
        major: 10,
        minor: 0,
        build: 20348,
        spBuild: 587,
        installationType: 'Server',
      },
      {
        name: 'Windows Server 2022 SERVERDATACENTERCORE',
        editionId: 'ServerDatacenterCore',
        installationType: 'Server Core',
        major: 10,
        minor: 0,
        build: 20348,
        spBuild: 587,
      },
    ],
  };
  beforeAll(() => {
    media = makeWindowsTree(spec);
    iso = genisoimageIso(media, spec);
  });
  afterAll(() => media?.cleanup());

  it('is named Windows Server 2022 and supported until 2031, as wimlib reads its XML', async () => {
    const src = await NodeFileSource.open(iso);
    const r = await inspect(src, { today: TODAY });
    await src.close();
    const w = r.windows!;
    const wiminfo = execFileSync('wimlib-imagex', ['info', `${media.tree}/sources/install.wim`], { encoding: 'utf8' });
    expect(wiminfo).toMatch(/Installation Type:\s+Server/);
    expect(wiminfo).toMatch(/Build:\s+20348/);
    expect(w.product).toMatchObject({ name: 'Windows Server 2022', family: 'server', longTerm: true });
    expect(w.summary).toBe('Windows Server 2022 (2 editions: Standard (Desktop Experience), Datacenter (Server Core)) x64, build 20348, en-US');
    expect(w.lifecycle).toMatchObject({ release: 'Windows Server 2022', extendedEnd: '2031-10-14', status: 'extended-only' });
    expect(w.summary).not.toMatch(/Windows 10/);
  });
});
