/** The CLI as a user runs it: `npx isoscope` through the package's bin, exit codes, stderr. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIXTURES, parseReport, readBeside } from './helpers.ts';
import { parseIsoinfo } from './tool-output.ts';

const BIN = resolve(import.meta.dirname, '../../workers/cli/bin.cjs');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const scratch = mkdtempSync(join(tmpdir(), 'isoscope-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('isoscope CLI', () => {
  it('prints a summary with the label isoinfo reads, exit 0', () => {
    const r = run(join(FIXTURES, 'ipxe.iso'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Label:        ${parseIsoinfo(readBeside('ipxe.iso', '.isoinfo.txt')!).volumeId}`);
    expect(r.stdout).toMatch(/boot #2\s+UEFI/);
    expect(r.stderr).toBe('');
  });

  it('--json prints the report as valid JSON with --files', () => {
    const r = run(join(FIXTURES, 'joliet-rr.iso'), '--json', '--files');
    expect(r.status).toBe(0);
    const j = parseReport(r.stdout);
    expect(j.file).toEqual({ name: 'joliet-rr.iso', size: 208896 });
    expect(j.files?.some((f) => f.path === '/docs/Grüße.txt')).toBe(true);
    expect(j.stats.bytesRead).toBeGreaterThan(0);
  });

  it('missing file: one clear line on stderr, exit 1, no stack trace', () => {
    const r = run(join(scratch, 'nope.iso'));
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`isoscope: ${join(scratch, 'nope.iso')}: no such file`]);
  });

  it('missing file with --json still prints valid JSON', () => {
    const r = run(join(scratch, 'nope.iso'), '--json');
    expect(r.status).toBe(1);
    expect(parseReport(r.stdout).errors[0]?.code).toBe('CANNOT_OPEN');
  });

  it('a directory with no image in it: read as a batch, one line, exit 1', () => {
    const empty = join(scratch, 'empty-dir');
    mkdirSync(empty, { recursive: true });
    const r = run(empty);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('isoscope: 0 images: 0 recognised');
  });

  it('an unreadable file: one line, exit 1', () => {
    const p = join(scratch, 'locked.iso');
    writeFileSync(p, 'x');
    chmodSync(p, 0);
    // root reads anything: drop to nobody (setpriv, util-linux) so the permission check is real.
    const r =
      process.getuid?.() === 0
        ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, p], { encoding: 'utf8' })
        : run(p);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/permission denied/);
  });

  it('not a disc image: says so in one line, exit 1, JSON still valid', () => {
    const p = join(scratch, 'picture.png');
    writeFileSync(p, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(40000, 7)]));
    const r = run(p);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/not a disc image/);
    const j = run(p, '--json');
    expect(j.status).toBe(1);
    expect(parseReport(j.stdout).errors.map((e) => e.code)).toContain('NOT_A_DISC_IMAGE');
  });

  it('an empty file: exit 1', () => {
    const p = join(scratch, 'empty.iso');
    writeFileSync(p, '');
    const r = run(p, '--json');
    expect(r.status).toBe(1);
    expect(parseReport(r.stdout).errors[0]?.code).toBe('EMPTY_FILE');
  });

  it('usage errors exit 2', () => {
    expect(run().status).toBe(2);
    expect(run('--bogus', 'x.iso').status).toBe(2);
    expect(run('a.iso', 'b.iso', '--session', '2').status).toBe(2);
    expect(run('a.iso', '--csv', '--json').status).toBe(2);
  });

  it('a truncated image still shows its volume and says where it ends', () => {
    const p = join(scratch, 'cut.iso');
    const full = readFileSync(join(FIXTURES, 'plain.iso'));
    writeFileSync(p, full.subarray(0, 40000));
    const r = parseReport(run(p, '--json').stdout);
    expect(r.volume?.label).toBe('PLAIN_VOL');
    expect(r.warnings.map((w) => w.code)).toContain('IMAGE_TRUNCATED');
  });
});
