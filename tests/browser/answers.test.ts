/**
 * The report's answers first (#26): the three verdicts at the top of the
 * report, the disc picture's parts and reads, and the folder table's
 * duplicates and filter words, rendered from real reports (the Node readers'
 * reports of fixtures) in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { commands, page } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import ReportView from '../../src/components/ReportView.svelte';
import DiscPicture from '../../src/components/DiscPicture.svelte';
import { discMap } from '../../src/lib/disc-map.ts';
import { FolderScan, matchesFilter, type FolderEntry } from '../../src/lib/folder.svelte.ts';
import { reportRow } from '../../workers/report/row.ts';
import type { Report } from '../../workers/report/types.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeReport(name: string, files?: boolean): Promise<Report>;
  }
}

describe('answers first', () => {
  it('ReportView: what it is, "Genuine?" and "Ready to use?" one line each, before the Windows card', async () => {
    const report = await commands.nodeReport('win7-pro-x64.iso');
    await render(ReportView, { report });
    await expect.element(page.getByTestId('windows-summary')).toHaveTextContent('Windows 7 Professional SP1 x64, build 7601, de-DE, OEM');
    await expect.element(page.getByTestId('genuine-summary')).toHaveTextContent(report.provenance!.summary);
    // The fixture's UEFI loader is no PE file: UEFI is "no", and no use claims it.
    await expect.element(page.getByTestId('ready-summary')).toHaveTextContent(/Virtual machine: yes, with BIOS firmware/);
    await expect.element(page.getByTestId('readiness')).toHaveTextContent(/UEFI: no — BOOTX64\.EFI/);
    const answers = page.getByTestId('answers').element();
    const card = page.getByRole('heading', { name: 'Windows', exact: true }).element();
    expect(answers.compareDocumentPosition(card) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('a disc that names no system and has no catalogue answer still gets three lines', async () => {
    const report = await commands.nodeReport('plain.iso');
    await render(ReportView, { report });
    await expect.element(page.getByTestId('headline')).toHaveTextContent(/^Disc "PLAIN_VOL"/);
    await expect.element(page.getByTestId('genuine-summary')).toHaveTextContent(/No catalogued release has this size/);
    await expect
      .element(page.getByTestId('ready-summary'))
      .toHaveTextContent('Virtual machine: no: no boot record · USB stick: no: nothing on it starts a PC · This PC: no');
  });
});

describe('the disc picture', () => {
  it('draws every read range the report logged, and the volume, boot images and install.wim resources it is given', async () => {
    const report = await commands.nodeReport('win7-pro-x64.iso');
    const at = 600_000;
    const wim = [{ offset: at, length: report.windows!.imageBytes }];
    await render(DiscPicture, { report, locate: async () => wim });
    const map = page.getByTestId('disc-map');
    await expect.element(map.getByRole('button', { name: /^install\.wim: XML data/ })).toBeVisible();
    const drawn = [...map.element().querySelectorAll('[data-read]')].map((e) => [Number(e.getAttribute('data-offset')), Number(e.getAttribute('data-length'))]);
    expect(drawn).toEqual(report.stats.ranges);
    const parts = discMap(report, wim).parts;
    const xml = parts.find((p) => p.id.startsWith('res-xmlData'))!;
    expect(xml.offset).toBe(at + report.windows!.resources.xmlData.offsetInWim);
    expect(parts.find((p) => p.kind === 'volume')!.length).toBe(report.volume!.volumeBytes);
    expect(parts.filter((p) => p.kind === 'boot').map((p) => p.offset)).toEqual(report.boot!.entries.map((e) => e.lba * 2048));
  });

  it('a file cut short shows what is missing; one with bytes past the volume shows them', () => {
    const base = {
      file: { name: 'x.iso', size: 1000 },
      sectors: undefined,
      volumes: [],
      sessions: undefined,
      boot: null,
      windows: undefined,
      stats: { reads: 1, bytesRead: 10, ms: 1, ranges: [[0, 10]] },
    };
    const volume = (bytes: number) => ({ label: 'X', volumeBytes: bytes }) as Report['volume'];
    const partitions = { scheme: null, entries: [], mbr: null, gpt: null, apm: null } as unknown as Report['partitions'];
    const cut = discMap({ ...base, volume: volume(4000), partitions } as unknown as Report);
    expect(cut.parts.find((p) => p.kind === 'missing')).toMatchObject({ offset: 1000, length: 3000 });
    expect(cut.span).toBe(4000);
    const padded = discMap({ ...base, volume: volume(600), partitions } as unknown as Report);
    expect(padded.parts.find((p) => p.kind === 'beyond')).toMatchObject({ offset: 600, length: 400 });
  });
});

describe('the folder table', () => {
  const entry = (path: string, report: Report, extra: Partial<FolderEntry> = {}): FolderEntry => ({
    path,
    file: new File([], path),
    status: 'done',
    row: reportRow(report, path),
    error: null,
    ...extra,
  });

  it('filter words start words of the fields: "windows 7 x64" is not matched by a 7 inside a build number', async () => {
    const win7 = await commands.nodeReport('win7-pro-x64.iso');
    const win11 = await commands.nodeReport('win11-esd.iso');
    const seven = entry('isos/win7-pro-x64.iso', win7);
    const eleven = entry('isos/win11-esd.iso', win11);
    // The Windows 11 fixture's build (10.0.22621.2428) and its name hold no word starting with "7".
    expect(matchesFilter(seven, 'windows 7 x64')).toBe(true);
    expect(matchesFilter(eleven, 'windows 7 x64')).toBe(false);
    expect(matchesFilter(eleven, 'win fr-fr')).toBe(true);
    expect(matchesFilter(seven, 'de-de professional')).toBe(true);
    expect(matchesFilter(seven, 'fessional')).toBe(false);
  });

  it('a duplicate is the same bytes: same size and fingerprint is "so far"; equal SHA-256 is a duplicate, different ones are not', async () => {
    const win7 = await commands.nodeReport('win7-pro-x64.iso');
    const scan = new FolderScan();
    const withHash = (path: string, sha256: string | null) => {
      const e = entry(path, win7, { fingerprint: 'f'.repeat(64) });
      return { ...e, row: { ...e.row!, sha256 } };
    };
    scan.entries = [withHash('a.iso', null), withHash('b.iso', null), withHash('c.iso', null)];
    expect(scan.entries.map((e) => scan.samenessOf(e))).toEqual(['same-so-far', 'same-so-far', 'same-so-far']);
    scan.entries = [withHash('a.iso', '1'.repeat(64)), withHash('b.iso', '1'.repeat(64)), withHash('c.iso', '2'.repeat(64))];
    expect(scan.entries.map((e) => scan.samenessOf(e))).toEqual(['duplicate', 'duplicate', null]);
    scan.entries = [withHash('a.iso', '1'.repeat(64)), withHash('c.iso', null)];
    expect(scan.entries.map((e) => scan.samenessOf(e))).toEqual(['same-so-far', 'same-so-far']);
  });
});
