/**
 * What a rebuilt install image shows from the inside (#22 §4). A Windows 7
 * SP1-like image (build 7601.17514, its files written on the build's day)
 * captured by wimlib, then altered in place by wimlib-imagex update the way
 * doctored images are: SetupComplete.cmd and a driver package added, a file
 * deleted. The unaltered image shows none of the signals; the altered one
 * each of them, and with its disc's headers made to look like Microsoft's
 * (CDIMAGE's UDF identifier, a blank system id, the XML's times set back)
 * it is still not "consistent with Microsoft's own media".
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDisc } from '../../workers/core/disc.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { insideSignals } from '../../workers/report/inside-wim.ts';
import { withInside } from '../../workers/report/verdict.ts';
import type { Report } from '../../workers/report/types.ts';
import { makeWindowsTree, microsoftLayoutIso, type Media, type MediaSpec, type WimImageSpec } from '../helpers/windows-media.ts';

const BIN = join(import.meta.dirname, '../../workers/cli/bin.cjs');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
const win7 = (name: string, editionId: string): WimImageSpec => ({ name, editionId, major: 6, minor: 1, build: 7601, spBuild: 17514, spLevel: 1 });
// LASTMODIFICATIONTIME of Microsoft's 7601.17514 media's era (2010-11-20 as a FILETIME).
const RELEASE_FILETIME = 129346272000000000n;
const BASE: MediaSpec = {
  label: 'GRMCULXFRER_EN_DVD',
  images: [win7('Windows 7 PROFESSIONAL', 'Professional'), win7('Windows 7 ULTIMATE', 'Ultimate')].map((i) => ({ ...i, modified: RELEASE_FILETIME })),
  fileTime: '2010-11-20 12:00:00 UTC',
  wimFiles: {
    'Windows/System32/kernel32.dll': 'MZ kernel32',
    'Windows/System32/drivers/etc/hosts': '127.0.0.1 localhost\r\n',
    'Windows/explorer.exe': 'MZ explorer',
    'Windows/servicing/Packages/Package_for_KB976902~31bf3856ad364e35~amd64~~6.1.1.17514.mum': '<assembly/>',
    'Windows/System32/DriverStore/FileRepository/netrtl.inf_amd64_neutral_1/netrtl.inf': '[Version]',
  },
};

const media: Media[] = [];
afterAll(() => media.forEach((m) => m.cleanup()));

/** The disc's report with the signals from inside its install image (what the CLI does with --confirm or --wim-files). */
async function inspected(spec: MediaSpec): Promise<{ report: Report; iso: string }> {
  const m = makeWindowsTree(spec);
  media.push(m);
  const iso = microsoftLayoutIso(m, spec);
  const file = await NodeFileSource.open(iso);
  const disc = await openDisc(file);
  const inside = await disc.inside();
  await file.close();
  expect(inside.problems).toEqual([]);
  const report = disc.report;
  report.provenance = withInside(report.provenance!, insideSignals(inside.facts!), inside.facts!.images.length);
  return { report, iso };
}

const wimSignals = (r: Report) => r.provenance!.signals.filter((s) => s.id.startsWith('wim-'));

/** An image altered as doctored ones are, its disc and XML made to look like Microsoft's. */
function altered(): MediaSpec {
  const dir = join(process.env.TMPDIR ?? '/tmp', `isoscope-alter-${process.pid}`);
  mkdirSync(join(dir, 'drv'), { recursive: true });
  writeFileSync(join(dir, 'SetupComplete.cmd'), '@echo off\r\ncscript //b %windir%\\setup\\scripts\\act.vbs\r\n');
  writeFileSync(join(dir, 'drv', 'e1d65x64.inf'), '[Version]\r\nSignature="$WINDOWS NT$"\r\n');
  writeFileSync(join(dir, 'oem1.inf'), '[Version]\r\n');
  const commands = [
    `add '${join(dir, 'SetupComplete.cmd')}' '/Windows/Setup/Scripts/SetupComplete.cmd'`,
    `add '${join(dir, 'drv')}' '/Windows/System32/DriverStore/FileRepository/e1d65x64.inf_amd64_9c1c6b7a'`,
    `add '${join(dir, 'oem1.inf')}' '/Windows/INF/oem1.inf'`,
    `delete '/Windows/explorer.exe'`,
    `delete '/Windows/System32/edition.txt'`,
  ].join('\n');
  return {
    ...BASE,
    update: [{ image: 1, commands }],
  };
}

describe('the install image from the inside', () => {
  it('an image as its build made it shows none of the signals, and says the inside was read', async () => {
    const { report } = await inspected(BASE);
    expect(wimSignals(report).filter((s) => s.verdict !== 'info')).toEqual([]);
    expect(report.provenance!.inside).toEqual({ images: 2 });
    expect(report.provenance!.summary).toMatch(/^Consistent with Microsoft's own media in what the headers and the install image's 2 images show/);
  });

  it('SetupComplete.cmd and a driver added and files deleted in place: each shows, and the verdict is "not as Microsoft shipped it" although the disc’s headers look like Microsoft’s', async () => {
    const { report, iso } = await inspected(altered());
    // The headers alone say nothing is wrong: CDIMAGE's identifiers, Microsoft's layout, the XML's times of the release.
    const headerSignals = report.provenance!.signals.filter((s) => !s.id.startsWith('wim-') && s.strength === 'strong' && s.verdict !== 'consistent');
    expect(headerSignals).toEqual([]);
    const byId = Object.fromEntries(wimSignals(report).map((s) => [s.id, s]));
    expect(byId['wim-added-files']).toMatchObject({ verdict: 'added', strength: 'strong' });
    expect(byId['wim-added-files']!.saw).toMatch(/^Windows\/Setup\/Scripts\/SetupComplete\.cmd \(runs as SYSTEM after Setup\) \(in image 1\)/);
    expect(byId['wim-drivers']!.saw).toMatch(/Windows\/INF\/oem1\.inf.*DriverStore\/FileRepository\/e1d65x64\.inf_amd64_9c1c6b7a, written after the build/);
    expect(byId['wim-late-files']!.title).toMatch(/^\d+ files in the install image were written after build 7601\.17514 was made$/);
    expect(byId['wim-leftover-data']).toMatchObject({ verdict: 'altered', strength: 'strong' });
    expect(report.provenance!.summary).toMatch(/^Not as Microsoft shipped it: .*files added/);
    expect(report.provenance!.summary).not.toMatch(/Consistent/);
    // The CLI reads the inside with --confirm (its hash then settles nothing the catalogue has) and says the same.
    const j = JSON.parse(cli(iso, '--confirm', '--json').stdout) as Report;
    expect(j.provenance!.signals.map((s) => s.id)).toEqual(expect.arrayContaining(['wim-added-files', 'wim-drivers', 'wim-late-files', 'wim-leftover-data']));
    expect(j.provenance!.summary).toMatch(/^Not as Microsoft shipped it/);
  }, 60_000);
});
