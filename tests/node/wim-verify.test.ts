/**
 * Every stream of an install image checked (#22 §3, --verify-wim=full),
 * against wimlib-imagex verify on the same WIM: an intact WIM passes both;
 * one byte changed inside a file's compressed data fails both, and isoscope
 * names the file wimlib-imagex dir says holds that stream.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../workers/report/types.ts';
import { capture, discWith, run, scratch, windowsLikeTree, wimlibDir } from '../helpers/wim-images.ts';

const BIN = join(import.meta.dirname, '../../workers/cli/bin.cjs');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
const wimlibVerifies = (wim: string) => spawnSync('wimlib-imagex', ['verify', wim], { stdio: 'ignore' }).status === 0;

const dir = scratch();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
windowsLikeTree(join(dir, 'src'));

describe.each([
  ['LZX', { compress: 'LZX' as const }],
  ['solid LZMS', { compress: 'LZMS' as const, solid: true }],
])('every stream of a %s WIM', (name, options) => {
  const wim = join(dir, `${name.replace(' ', '-')}.wim`);
  capture(join(dir, 'src'), wim, options);

  it('an intact WIM: every stream matches, as wimlib-imagex verify says', () => {
    expect(wimlibVerifies(wim)).toBe(true);
    const iso = discWith(join(dir, `${name}-ok`), { 'install.wim': wim });
    const r = cli(iso, '--verify-wim=full', '--json');
    const j = JSON.parse(r.stdout) as Report;
    expect(r.status).toBe(0);
    expect(j.wimStreams).toMatchObject({ ok: true, damaged: [] });
    expect(j.wimStreams!.checked).toBe(j.wimStreams!.blobs);
  });

  it('one byte changed in a file’s stored data: wimlib-imagex verify fails, and isoscope names that file', () => {
    const detail = wimlibDir(wim, 1).find((e) => e.path === '/Windows/System32/ntoskrnl.exe')!;
    const text = run('wimlib-imagex', ['dir', wim, '1', '--detailed', '--path=/Windows/System32/ntoskrnl.exe']).toString('utf8');
    // Where the stream's resource is, as wimlib reports it (for a solid WIM, the solid resource's), and a byte well inside it.
    const plain = /Compressed size\s*= (\d+) bytes\nOffset in WIM\s*= (\d+) bytes/.exec(text);
    const solid = /Solid resource\s*= \d+ => (\d+) bytes @ offset (\d+)/.exec(text);
    const [stored, at] = (plain ?? solid)!.slice(1).map(Number) as [number, number];
    const bad = join(dir, `${name.replace(' ', '-')}-bad.wim`);
    const bytes = readFileSync(wim);
    bytes[at + Math.floor(stored / 2)]! ^= 0x55;
    writeFileSync(bad, bytes);
    expect(wimlibVerifies(bad)).toBe(false);
    const iso = discWith(join(dir, `${name}-bad`), { 'install.wim': bad });
    const r = cli(iso, '--verify-wim=full', '--json');
    const j = JSON.parse(r.stdout) as Report;
    expect(r.status).toBe(1);
    expect(j.wimStreams!.ok).toBe(false);
    const paths = j.wimStreams!.damaged.flatMap((d) => d.paths);
    expect(detail.streams[0]!.sha1).toBeTruthy();
    expect(paths.some((p) => p.endsWith('/Windows/System32/ntoskrnl.exe'))).toBe(true);
    expect(j.errors.map((e) => e.code)).toContain('WIM_STREAM_DAMAGED');
  });
});

describe('a file read whole (--extract, Save) is checked against its SHA-1, as wimlib-imagex extract checks it', () => {
  const wim = join(dir, 'stored.wim');
  capture(join(dir, 'src'), wim, { compress: 'none' });
  const path = '/Windows/System32/ntoskrnl.exe';
  const text = run('wimlib-imagex', ['dir', wim, '1', '--detailed', `--path=${path}`]).toString('utf8');
  const [size, at] = /Uncompressed size\s*= (\d+) bytes[\s\S]*?Offset in WIM\s*= (\d+) bytes/.exec(text)!.slice(1).map(Number) as [number, number];
  const bad = join(dir, 'stored-bad.wim');
  const bytes = readFileSync(wim);
  bytes[at + Math.floor(size / 2)]! ^= 0x55;
  writeFileSync(bad, bytes);

  it('intact: --extract gives wimlib-imagex extract’s bytes; one byte changed: both refuse, and nothing says the bytes are the file’s', () => {
    const good = spawnSync(process.execPath, [BIN, wim, '--extract', `stored.wim:1${path}`], { maxBuffer: 1 << 26 });
    expect(good.status, good.stderr.toString()).toBe(0);
    expect(good.stdout).toEqual(run('wimlib-imagex', ['extract', wim, '1', path, '--to-stdout', '--no-acls']));
    expect(spawnSync('wimlib-imagex', ['extract', bad, '1', path, '--to-stdout', '--no-acls'], { maxBuffer: 1 << 26 }).status).not.toBe(0);
    const r = spawnSync(process.execPath, [BIN, bad, '--extract', `stored-bad.wim:1${path}`], { maxBuffer: 1 << 26 });
    expect(r.status).toBe(1);
    expect(r.stderr.toString()).toMatch(/WIM_STREAM_DAMAGED|not the blob table's/);
  });
});
