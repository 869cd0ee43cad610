/**
 * One describer for every reader of the report: the CLI summary and the
 * Markdown export say the same headline, file systems and damage for every
 * fixture, and a download cut short is said in plain words with the sizes
 * isoinfo reads from the same bytes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, fixtureImages, inspectPath } from './helpers.ts';
import { formatSummary } from '../../workers/cli/summary.ts';
import { reportToMarkdown } from '../../src/lib/export.ts';
import { damage, decimalSize, fileSystemNames, headline, readiness } from '../../workers/report/describe.ts';

const dir = mkdtempSync(join(tmpdir(), 'isoscope-describe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one describer', () => {
  it.each(fixtureImages())('%s: the CLI and the export say the same', async (name) => {
    const r = await inspectPath(join(FIXTURES, name));
    const cli = formatSummary(r, { files: false });
    const md = reportToMarkdown(r);
    const what = headline(r);
    if (what) {
      expect(cli).toContain(what);
      expect(md).toContain(what);
    }
    const fs = fileSystemNames(r).join(', ');
    if (fs) {
      expect(cli).toContain(fs);
      expect(md).toContain(fs);
    }
  });

  it('a download cut short: "incomplete", with the sizes isoinfo reads', async () => {
    const whole = join(FIXTURES, 'win7-pro-x64.iso');
    const blocks = Number(/Volume size is: (\d+)/.exec(execFileSync('isoinfo', ['-d', '-i', whole], { encoding: 'utf8' }))![1]);
    const cut = join(dir, 'cut.iso');
    const bytes = readFileSync(whole);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const r = await inspectPath(cut);
    const d = damage(r)!;
    expect(d.plain).toBe(
      `This file is incomplete: ${decimalSize(Math.floor(bytes.length / 3))} of ${decimalSize(blocks * 2048)}. Download it again. What could be read before the cut is shown below.`,
    );
    expect(d.technical).toContain(String(blocks * 2048));
    expect(formatSummary(r, { files: false })).toContain(d.plain);
    expect(reportToMarkdown(r)).toContain(d.plain);
    // What could be read is still there.
    expect(r.volume?.label).toBeTruthy();
  });

  it('a download cut inside install.wim keeps the Windows card, saying what is missing', async () => {
    const whole = join(FIXTURES, 'win7-pro-x64.iso');
    // Where isoinfo puts install.wim ("[ lba 00] INSTALL.WIM;1"): cuts inside its 208-byte header, and after it (its XML lies at its end).
    const lba = Number(/\[\s*(\d+)\s+\d+\]\s+INSTALL\.WIM;1/.exec(execFileSync('isoinfo', ['-l', '-i', whole], { encoding: 'utf8' }))![1]);
    for (const [into, unreadable, structure] of [
      [100, /^install\.wim cannot be read: only 100 of its 7183 bytes are in this file/, 'WIM header'],
      [1024, /^install\.wim's XML cannot be read$/, 'WIM XML'],
    ] as const) {
      const cut = join(dir, `cut-in-wim-${into}.iso`);
      writeFileSync(cut, readFileSync(whole).subarray(0, lba * 2048 + into));
      const r = await inspectPath(cut);
      expect(damage(r)?.plain).toMatch(/^This file is incomplete/);
      expect(r.windows?.unreadable, `cut ${into} bytes into install.wim`).toMatch(unreadable);
      // ei.cfg's EditionID and setup.exe's version name it (the label's reading is the fallback).
      expect(r.windows?.summary).toMatch(/^Windows 7 Professional, setup\.exe 6\.1\.7601\.\d+; its editions are unknown: install\.wim/);
      expect(r.windows?.labelInfo).toMatchObject({ product: 'Windows 7', edition: 'Professional' });
      expect(r.windows?.images).toEqual([]);
      expect(r.errors.map((e) => e.structure)).toContain(structure);
      expect(formatSummary(r, { files: false })).toContain('its editions are unknown');
    }
  });

  it('ready to use: install.wim against FAT32, as 7-Zip lists its size; hybrid images as sfdisk sees their table', async () => {
    const win7 = join(FIXTURES, 'win7-pro-x64.iso');
    const listed = /Path = sources\/install\.wim\nFolder = -\nSize = (\d+)/.exec(execFileSync('7zz', ['l', '-slt', '-tudf', win7], { encoding: 'utf8' }))!;
    const r = await inspectPath(win7);
    expect(r.windows!.imageBytes).toBe(Number(listed[1]));
    // The fixture's UEFI loader cannot be read (PE_NOT_MZ): the stick is not said to start under UEFI (#26).
    expect(readiness(r)).toContain(
      `install.wim (${decimalSize(r.windows!.imageBytes)}) fits on a FAT32 USB stick; with no UEFI loader that firmware can start, such a stick starts only BIOS PCs.`,
    );
    const big = { ...r, windows: { ...r.windows!, imageBytes: 4_700_000_000 } };
    expect(readiness(big)).toContain('install.wim is 4.70 GB: too big for a FAT32 USB stick (split it into .swm parts, or use NTFS with a UEFI:NTFS loader).');
    for (const [name, hybrid] of [
      ['ipxe.iso', true],
      ['eltorito-hd.iso', false],
    ] as const) {
      const table = spawnSync('sfdisk', ['-d', join(FIXTURES, name)], { encoding: 'utf8' });
      expect(table.status === 0 && /start=/.test(table.stdout), name).toBe(hybrid);
      expect(readiness(await inspectPath(join(FIXTURES, name)))[0]!.includes('hybrid'), name).toBe(hybrid);
    }
  });

  it('decimal sizes as download pages print them', () => {
    expect(decimalSize(600_000)).toBe('600 kB');
    expect(decimalSize(2_412_544)).toBe('2.4 MB');
    expect(decimalSize(3_181_234_176)).toBe('3.18 GB');
    // Never a floor rounded up (#26): a 23,309-byte install.wim is not "0.1 MB".
    expect(decimalSize(23_309)).toBe('23.3 kB');
    expect(decimalSize(512)).toBe('512 bytes');
  });
});
