/**
 * Inside install.wim (#22): every file of every image, read in place from a
 * disc, against what wimlib-imagex dir --detailed and extract, and 7-Zip,
 * read from the same WIM. WIMs are made at test time by wimlib in every
 * compression it writes (XPRESS, LZX, LZMS, solid LZMS, none) and at chunk
 * sizes other than Microsoft's 32 KiB.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDisc, type Disc } from '../../workers/core/disc.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import type { FileEntry } from '../../workers/report/types.ts';
import { append, capture, discWith, run, scratch, windowsLikeTree, wimlibDir, wimlibExtract, type CaptureOptions } from '../helpers/wim-images.ts';
import { parse7zListing } from './tool-output.ts';

const dir = scratch();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const src = join(dir, 'src');
windowsLikeTree(src);
const src2 = join(dir, 'src2');
windowsLikeTree(src2);
run('sh', ['-c', `echo '@echo off' > '${src2}/Windows/setup-complete.cmd'; rm '${src2}/Windows/Fonts/random.ttf'`]);

const CASES: [string, CaptureOptions][] = [
  ['LZX, 32 KiB chunks (Microsoft’s)', { compress: 'LZX' }],
  ['XPRESS, 32 KiB chunks', { compress: 'XPRESS' }],
  ['LZMS, 128 KiB chunks', { compress: 'LZMS' }],
  ['solid LZMS (install.esd)', { compress: 'LZMS', solid: true }],
  ['LZX, 1 MiB chunks', { compress: 'LZX', chunkSize: 1 << 20 }],
  ['XPRESS, 4 KiB chunks', { compress: 'XPRESS', chunkSize: 4096 }],
  ['uncompressed', { compress: 'none' }],
];

const secs = (iso: string | null | undefined) => (iso ? Math.floor(Date.parse(iso) / 1000) : null);

async function opened(wim: string, name = 'install.wim'): Promise<{ disc: Disc; close: () => Promise<void> }> {
  const file = await NodeFileSource.open(discWith(join(wim, '..'), { [name]: wim }));
  return { disc: await openDisc(file), close: () => file.close() };
}

describe.each(CASES)('a WIM in %s', (_label, options) => {
  const case_ = join(dir, `${options.compress}-${options.solid ? 'solid' : 'chunks'}-${options.chunkSize ?? 'default'}`);
  run('mkdir', ['-p', case_]);
  const wim = join(case_, 'install.wim');
  capture(src, wim, options);
  append(src2, wim, 'Windows 7 ULTIMATE');

  it('lists each image as wimlib-imagex dir --detailed reads it: paths, sizes, SHA-1, attributes, times, reparse tags, hard links', async () => {
    const { disc, close } = await opened(wim);
    expect((await disc.images('udf', '/sources/install.wim')).images).toEqual([
      { index: 1, label: '1 · Windows 7 PROFESSIONAL' },
      { index: 2, label: '2 · Windows 7 ULTIMATE' },
    ]);
    for (const index of [1, 2]) {
      const { files, problems } = await disc.tree(`udf|/sources/install.wim#${index}`);
      expect(problems).toEqual([]);
      const theirs = wimlibDir(wim, index).filter((e) => e.path !== '/');
      const ours = new Map(files.map((f) => [f.path, f]));
      expect([...ours.keys()].sort()).toEqual(theirs.map((e) => e.path).sort());
      for (const e of theirs) {
        const f = ours.get(e.path)!;
        const data = e.streams.find((s) => s.kind === 'data' && s.name === '');
        expect(f.size, e.path).toBe(f.dir ? 0 : (data?.size ?? 0));
        expect(f.details?.sha1 ?? null, e.path).toBe(f.dir ? null : (data?.sha1 ?? null));
        expect(f.details?.attributes, e.path).toBe(e.attributes);
        expect([secs(f.details?.created), secs(f.modified), secs(f.details?.accessed)], e.path).toEqual([e.created, e.modified, e.accessed]);
        expect(f.details?.reparseTag ?? null, e.path).toBe(e.reparseTag);
        expect(f.details?.linkGroup ?? '0', e.path).toBe(e.linkGroup);
      }
    }
    await close();
  });

  it('reads files byte-exact as wimlib-imagex extract does, from only the chunks a read needs', async () => {
    const { disc, close } = await opened(wim);
    for (const [index, path] of [
      [1, '/Windows/System32/ntoskrnl.exe'],
      [1, '/Windows/System32/drivers/etc/hosts'],
      [1, '/Windows/Fonts/random.ttf'],
      [2, '/Program Files/Ünïcödé ✓/readme.txt'],
      [2, '/Windows/setup-complete.cmd'],
    ] as const) {
      const tree = `udf|/sources/install.wim#${index}`;
      const want = wimlibExtract(wim, index, path);
      const head = await disc.file(tree, path);
      expect(head!.size, path).toBe(want.length);
      expect(Buffer.from(head!.head), path).toEqual(want.subarray(0, 64 * 1024));
      const whole = createHash('sha256');
      for (let at = 0; at < want.length; at += 300_000) whole.update((await disc.fileRange(tree, path, at, 300_000))!);
      expect(whole.digest('hex'), path).toBe(createHash('sha256').update(want).digest('hex'));
      // A piece from the middle (a chunk boundary inside it) equals the same piece of wimlib's.
      const mid = Math.floor(want.length / 2);
      expect(Buffer.from((await disc.fileRange(tree, path, mid, 70_000))!), path).toEqual(want.subarray(mid, mid + 70_000));
    }
    await close();
  });

  it('lists the same paths and sizes as 7-Zip (a symbolic link aside: 7-Zip gives it a size of its own making)', async () => {
    const { disc, close } = await opened(wim);
    const theirs = parse7zListing(run('7zz', ['l', '-slt', wim]).toString('utf8'));
    for (const index of [1, 2]) {
      const { files } = await disc.tree(`udf|/sources/install.wim#${index}`);
      const links = new Set(files.filter((f) => f.details?.reparseTag !== undefined).map((f) => `/${index}${f.path}`));
      expect(links.size).toBe(1);
      const mine = Object.fromEntries(
        files.filter((f) => !links.has(`/${index}${f.path}`)).map((f: FileEntry) => [`/${index}${f.path}`, { size: f.size, dir: f.dir }]),
      );
      const sevenZip = Object.fromEntries([...theirs].filter(([p]) => p.startsWith(`/${index}/`) && !links.has(p)));
      expect(mine).toEqual(sevenZip);
    }
    await close();
  });
});

describe('a WIM whose images share one metadata resource (the same files appended again, as wimlib-imagex append writes them)', () => {
  const case_ = join(dir, 'appended-twice');
  run('mkdir', ['-p', case_]);
  const wim = join(case_, 'install.wim');
  capture(src, wim, { compress: 'LZX' });
  append(src2, wim, 'Windows 7 ULTIMATE');
  append(src2, wim, 'Windows 7 ULTIMATE again');

  it('lists every image as wimlib-imagex dir does, with nothing to report, and inside() counts every image’s references', async () => {
    const sha1s = run('wimlib-imagex', ['info', wim, '--blobs'])
      .toString('utf8')
      .split(/\n\s*\n/)
      .filter((b) => /Flags\s*=.*METADATA/.test(b))
      .map((b) => /Hash\s*=\s*0x([0-9a-f]+)/i.exec(b)?.[1]);
    // The precondition, from wimlib itself: images 2 and 3 have one metadata resource between them.
    expect(new Set(sha1s).size).toBe(2);
    expect(sha1s.length).toBe(3);
    const { disc, close } = await opened(wim);
    for (const index of [1, 2, 3]) {
      const { files, problems } = await disc.tree(`udf|/sources/install.wim#${index}`);
      expect(problems).toEqual([]);
      expect(files.map((f) => f.path).sort()).toEqual(
        wimlibDir(wim, index)
          .filter((e) => e.path !== '/')
          .map((e) => e.path)
          .sort(),
      );
    }
    const { facts, problems } = await disc.inside();
    expect(problems).toEqual([]);
    expect(facts!.images.map((i) => [i.index, i.label])).toEqual([
      [1, 'Windows 7 PROFESSIONAL'],
      [2, 'Windows 7 ULTIMATE'],
      [3, 'Windows 7 ULTIMATE again'],
    ]);
    expect(facts!.images[2]!.files).toBe(facts!.images[1]!.files);
    // wimlib-imagex verify agrees that the reference counts add up; so do we.
    run('wimlib-imagex', ['verify', wim]);
    expect(facts!.refMismatches).toBe(0);
    expect(facts!.unreferenced.count).toBe(0);
    await close();
  });
});

describe('a WIM whose header sets the XPRESS_2 bit (0x200000) instead of XPRESS', () => {
  const case_ = join(dir, 'xpress2');
  run('mkdir', ['-p', case_]);
  const wim = join(case_, 'install.wim');
  capture(src, wim, { compress: 'XPRESS' });
  // Header flags at +16 (wimlib header.h): XPRESS 0x20000 cleared, XPRESS_2 0x200000 set.
  const bytes = readFileSync(wim);
  const flags = bytes.readUInt32LE(16);
  bytes.writeUInt32LE((flags & ~0x20000) | 0x200000, 16);
  writeFileSync(wim, bytes);

  it('is read as XPRESS, as wimlib reads it: the listing and a file’s bytes are wimlib-imagex’s', async () => {
    expect(run('wimlib-imagex', ['info', wim, '--header']).toString('utf8')).toMatch(/COMPRESS_XPRESS_2/);
    const { disc, close } = await opened(wim);
    expect(disc.report.windows?.compression).toBe('XPRESS');
    expect(disc.report.windows?.flags).toContain('compress-xpress2');
    const { files, problems } = await disc.tree('udf|/sources/install.wim#1');
    expect(problems).toEqual([]);
    const theirs = wimlibDir(wim, 1).filter((e) => e.path !== '/');
    expect(files.map((f) => f.path).sort()).toEqual(theirs.map((e) => e.path).sort());
    const big = files.filter((f) => !f.dir).sort((a, b) => b.size - a.size)[0]!;
    const ours = await disc.fileRange('udf|/sources/install.wim#1', big.path, 0, big.size);
    expect(Buffer.from(ours!)).toEqual(wimlibExtract(wim, 1, big.path));
    await close();
  });
});
