/**
 * install.wim captured from an NTFS volume (#22): what only NTFS gives a
 * WIM — security descriptors on every file, 8.3 names, alternate data
 * streams (on files and on a directory), reparse points (symbolic links,
 * a junction), hard links, hidden/system/read-only/sparse/temporary/offline
 * attributes, times of every kind — read by isoscope from a disc as
 * `wimlib-imagex dir --detailed` reads the same WIM, and their bytes as
 * wimlib extracts them.
 *
 * The volume is made at test time without mounting: mkntfs makes it,
 * `wimlib-imagex apply` writes a WIM image into it through libntfs-3g (an
 * image from tests/fixtures/bad/wim-writer.ts, the only way these tools
 * give files 8.3 names, chosen attributes and times, and several
 * descriptors), ntfscp adds a file and named streams to it, and
 * `wimlib-imagex capture` / `append` read it back through libntfs-3g into
 * the install.wim under test (two images: before and after one more
 * ntfscp). Not produced: NTFS-compressed files (wimlib's NTFS-3G mode
 * drops FILE_ATTRIBUTE_COMPRESSED and ntfscp writes plain data; only a
 * mounted ntfs-3g with its compression option writes compressed runs) and
 * EFS-encrypted files (wimlib: "Ignoring EFS-encrypted data"; ntfs-3g
 * cannot encrypt); object IDs are not recorded by isoscope.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDisc, type Disc } from '../../workers/core/disc.ts';
import { WimArchive } from '../../workers/formats/wim/archive.ts';
import { createSha1 } from '../../workers/hash/sha1.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { ProblemLog } from '../../workers/io/problems.ts';
import type { FileEntry } from '../../workers/report/types.ts';
import { ATTR, SECURITY_DESCRIPTOR, image, linkReparse, securityDescriptor, writeWim, type Entry } from '../fixtures/bad/wim-writer.ts';
import {
  applyToNtfs,
  captureNtfs,
  discWith,
  mkntfsImage,
  ntfscat,
  ntfscp,
  randomBytes,
  run,
  scratch,
  wimlibDir,
  wimlibExtract,
  type WimlibEntry,
} from '../helpers/wim-images.ts';

const dir = scratch('isoscope-wim-ntfs-');
const volume = join(dir, 'volume.img');
const wim = join(dir, 'install.wim');
let disc: Disc;
let source: NodeFileSource;

const FILETIME = (iso: string) => BigInt(Date.parse(iso)) * 10000n + 116444736000000000n;
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
const secs = (iso: string | null | undefined) => (iso ? Math.floor(Date.parse(iso) / 1000) : null);
const utf8 = (s: string) => new TextEncoder().encode(s);

/** SYSTEM full control, Users read and execute: a second descriptor beside the writer's (Everyone full control). */
const SYSTEM_SD = securityDescriptor({
  owner: 'S-1-5-18',
  group: 'S-1-5-18',
  allow: [
    [0x1f01ff, 'S-1-5-18'],
    [0x1200a9, 'S-1-5-32-545'],
  ],
});
const KERNEL = randomBytes(300_000, 21);
const ZONE = '[ZoneTransfer]\r\nZoneId=3\r\n';
const SUMMARY = randomBytes(5000, 9);
const NTFSCP_DATA = 'written by ntfscp\r\n';
const NTFSCP_STREAM = 'a named stream written by ntfscp\r\n';

/** What wimlib writes into the volume: the names, attributes, times, descriptors, streams and reparse points only such an image can give. */
function seed(): Entry[] {
  return [
    {
      name: 'Windows',
      children: [
        {
          name: 'System32',
          children: [
            { name: 'kernel32.dll', shortName: 'KERNEL32.DLL', data: KERNEL, linkGroup: 1n },
            { name: 'drivers', children: [{ name: 'etc', children: [{ name: 'hosts', data: '127.0.0.1 localhost\r\n' }] }] },
            {
              name: 'config',
              attributes: ATTR.directory | ATTR.hidden | ATTR.system,
              securityId: 1,
              children: [{ name: 'SYSTEM', data: randomBytes(70_000, 4), attributes: ATTR.archive | ATTR.hidden | ATTR.system, securityId: 1 }],
            },
          ],
        },
        {
          name: 'notepad.exe',
          shortName: 'NOTEPAD.EXE',
          data: randomBytes(40_000, 8),
          attributes: ATTR.readonly | ATTR.archive,
          created: FILETIME('2009-07-14T01:14:22Z'),
          modified: FILETIME('2010-11-20T12:34:56Z'),
          accessed: FILETIME('2011-01-02T03:04:05Z'),
        },
      ],
    },
    {
      name: 'Program Files',
      shortName: 'PROGRA~1',
      children: [
        {
          name: 'A Long Application Name',
          shortName: 'ALONGA~1',
          children: [
            {
              name: 'Read Me First.txt',
              shortName: 'README~1.TXT',
              data: 'read me\r\n',
              streams: [
                { name: 'Zone.Identifier', data: ZONE },
                { name: 'summary', data: SUMMARY },
              ],
            },
            { name: 'Ünïcödé ✓.txt', shortName: 'NCD~1.TXT', data: 'unicode\n' },
          ],
        },
      ],
    },
    {
      name: 'Users',
      children: [
        {
          name: 'Default',
          attributes: ATTR.directory | ATTR.hidden,
          streams: [{ name: 'dirstream', data: 'a stream on a directory\n' }],
          children: [{ name: 'NTUSER.DAT', data: new Uint8Array(65536).fill(0x41), attributes: ATTR.archive | ATTR.hidden }],
        },
        {
          name: 'All Users',
          attributes: ATTR.directory | ATTR.hidden | ATTR.system | ATTR.reparse,
          reparse: linkReparse('\\??\\C:\\ProgramData', 'junction'),
          children: [],
        },
      ],
    },
    { name: 'hosts-link', attributes: ATTR.archive | ATTR.reparse, reparse: linkReparse('Windows\\System32\\drivers\\etc\\hosts') },
    { name: 'notepad-link', attributes: ATTR.archive | ATTR.reparse, reparse: linkReparse('C:\\Windows\\notepad.exe') },
    { name: 'kernel32-hardlink.dll', data: KERNEL, linkGroup: 1n },
    { name: 'sparse.bin', data: new Uint8Array(100_000), attributes: ATTR.archive | 0x200 },
    { name: 'flags.txt', data: 'temporary, offline, not indexed', attributes: ATTR.archive | 0x100 | 0x1000 | 0x2000 },
    { name: 'empty.txt', data: '' },
  ];
}

beforeAll(async () => {
  const seedWim = join(dir, 'seed.wim');
  writeFileSync(seedWim, writeWim({ compression: 'LZX', images: [image('NTFS seed', seed(), { descriptors: [SECURITY_DESCRIPTOR, SYSTEM_SD] })] }).bytes);
  mkntfsImage(volume, 32);
  applyToNtfs(seedWim, 1, volume);
  const put = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  ntfscp(volume, put('data.txt', NTFSCP_DATA), '/Users/Default/ntfscp.txt');
  ntfscp(volume, put('stream.txt', NTFSCP_STREAM), '/Users/Default/ntfscp.txt', 'extra');
  ntfscp(volume, put('stream.txt', NTFSCP_STREAM), '/Windows/notepad.exe', 'added');
  captureNtfs(volume, wim, 'Windows 7 PROFESSIONAL', { compress: 'LZX' });
  // The second image: the same volume after one more file and stream.
  ntfscp(volume, put('networks.txt', 'loopback 127\r\n'), '/Windows/System32/drivers/etc/networks');
  ntfscp(volume, put('second.txt', 'a second stream\r\n'), '/Windows/System32/drivers/etc/hosts', 'second');
  captureNtfs(volume, wim, 'Windows 7 ULTIMATE', { append: true });
  source = await NodeFileSource.open(discWith(dir, { 'install.wim': wim }));
  disc = await openDisc(source);
}, 120_000);

afterAll(async () => {
  await source?.close();
  rmSync(dir, { recursive: true, force: true });
});

const tree = (index: number) => `udf|/sources/install.wim#${index}`;

describe('install.wim captured from an NTFS volume', () => {
  it('holds what only NTFS gives (wimlib-imagex dir --detailed): descriptors, 8.3 names, named streams, reparse points, a hard link, attributes', () => {
    const theirs = wimlibDir(wim, 1);
    const by = new Map(theirs.map((e) => [e.path, e]));
    expect(theirs.every((e) => e.securityDescriptor !== null)).toBe(true);
    expect(new Set(theirs.map((e) => e.securityDescriptor)).size).toBeGreaterThanOrEqual(2);
    expect(by.get('/Program Files')!.shortName).toBe('PROGRA~1');
    expect(by.get('/Program Files/A Long Application Name/Read Me First.txt')!.streams.map((s) => s.name)).toEqual(['', 'summary', 'Zone.Identifier']);
    expect(by.get('/Users/Default')!.streams.some((s) => s.name === 'dirstream')).toBe(true);
    expect(by.get('/Users/Default/ntfscp.txt')!.streams.map((s) => s.name)).toEqual(['', 'extra']);
    expect(by.get('/hosts-link')!.reparseTag).toBe(0xa000000c);
    expect(by.get('/Users/All Users')!.reparseTag).toBe(0xa0000003);
    expect(by.get('/kernel32-hardlink.dll')!.linkCount).toBe(2);
    expect(by.get('/Windows/System32/config/SYSTEM')!.attributes).toBe(0x26);
    expect(by.get('/Windows/notepad.exe')!.attributes).toBe(0x21);
    expect(by.get('/sparse.bin')!.attributes & 0x200).toBe(0x200);
    expect(by.get('/flags.txt')!.attributes).toBe(0x3120);
    expect(wimlibDir(wim, 2).some((e) => e.path === '/Windows/System32/drivers/etc/networks')).toBe(true);
  });

  it.each([1, 2])(
    'image %i: every path, size, SHA-1, attribute, time, 8.3 name, descriptor, named stream, reparse tag and link as wimlib-imagex dir --detailed reads them',
    async (index) => {
      const { files, problems } = await disc.tree(tree(index));
      expect(problems).toEqual([]);
      const theirs = wimlibDir(wim, index).filter((e) => e.path !== '/');
      const ours = new Map(files.map((f) => [f.path, f]));
      expect([...ours.keys()].sort()).toEqual(theirs.map((e) => e.path).sort());
      const streamsOf = (e: WimlibEntry) =>
        e.streams
          .filter((s) => s.kind === 'data' && s.name !== '')
          .map((s) => ({ name: s.name, sha1: s.sha1, size: s.size }))
          .sort((a, b) => (a.name < b.name ? -1 : 1));
      // Which files share a descriptor: the same partition from wimlib's descriptors and isoscope's security ids.
      const partition = (pairs: [string, string | number][]) => {
        const groups = new Map<string | number, string[]>();
        for (const [path, key] of pairs) groups.set(key, [...(groups.get(key) ?? []), path]);
        return [...groups.values()].map((g) => g.sort().join('|')).sort();
      };
      for (const e of theirs) {
        const f: FileEntry = ours.get(e.path)!;
        const d = f.details!;
        const data = e.streams.find((s) => s.kind === 'data' && s.name === '');
        expect(f.size, e.path).toBe(f.dir ? 0 : (data?.size ?? 0));
        expect(d.sha1 ?? null, e.path).toBe(f.dir ? null : (data?.sha1 ?? null));
        expect(d.attributes, e.path).toBe(e.attributes);
        expect([secs(d.created), secs(f.modified), secs(d.accessed)], e.path).toEqual([e.created, e.modified, e.accessed]);
        expect(d.shortName ?? '', e.path).toBe(e.shortName);
        expect(d.securityId >= 0, e.path).toBe(e.securityDescriptor !== null);
        expect(
          (d.streams ?? []).slice().sort((a, b) => (a.name < b.name ? -1 : 1)),
          e.path,
        ).toEqual(streamsOf(e));
        expect(d.reparseTag ?? null, e.path).toBe(e.reparseTag);
        expect(d.linkGroup ?? '0', e.path).toBe(e.linkGroup);
      }
      expect(partition(files.map((f) => [f.path, f.details!.securityId]))).toEqual(partition(theirs.map((e) => [e.path, e.securityDescriptor!])));
    },
  );

  it('reads each reparse point as wimlib does: the reparse data hash and size', async () => {
    const src = await NodeFileSource.open(wim);
    try {
      const archive = await WimArchive.open(src, new ProblemLog());
      for (const index of [1, 2]) {
        const meta = await archive.image(src, index, () => createSha1(), new ProblemLog());
        const paths = new Map<number, string>();
        meta.dentries.forEach((d, i) => paths.set(i, i === 0 ? '' : `${paths.get(d.parent)}/${d.name}`));
        const theirs = wimlibDir(wim, index).filter((e) => e.reparseTag !== null);
        expect(theirs.length).toBe(3);
        for (const e of theirs) {
          const i = [...paths].find(([, p]) => p === e.path)![0];
          const rp = e.streams.find((s) => s.kind === 'reparse')!;
          expect(meta.dentries[i]!.reparseData, e.path).toBe(rp.sha1);
          expect(archive.table.blobs.get(rp.sha1!)?.size, e.path).toBe(rp.size);
        }
      }
    } finally {
      await src.close();
    }
  });

  it('reads files byte-exact as wimlib-imagex extract gives them, from the disc', async () => {
    for (const [index, path] of [
      [1, '/Windows/System32/kernel32.dll'],
      [1, '/kernel32-hardlink.dll'],
      [1, '/Windows/System32/config/SYSTEM'],
      [1, '/Users/Default/ntfscp.txt'],
      [1, '/sparse.bin'],
      [2, '/Windows/System32/drivers/etc/networks'],
    ] as const) {
      const want = wimlibExtract(wim, index, path);
      const head = await disc.file(tree(index), path);
      expect(head!.size, path).toBe(want.length);
      const got = await disc.fileRange(tree(index), path, 0, want.length);
      expect(sha1(got!), path).toBe(sha1(want));
    }
    expect(Buffer.from((await disc.fileRange(tree(1), '/Users/Default/ntfscp.txt', 0, 100))!).toString()).toBe(NTFSCP_DATA);
  });

  it('reads named streams byte-exact: as wimlib extracts them to an NTFS volume (ntfscat reads them back), as 7-Zip extracts them, as they were written', async () => {
    // wimlib-imagex extract --to-stdout gives only unnamed streams; wimlib writes named ones when it applies an image to an NTFS volume.
    const back = join(dir, 'applied.img');
    mkntfsImage(back, 32);
    applyToNtfs(wim, 2, back);
    const sevenZip = join(dir, '7z');
    run('7zz', ['x', '-sns', `-o${sevenZip}`, wim, '2/*']);
    const src = await NodeFileSource.open(wim);
    try {
      const archive = await WimArchive.open(src, new ProblemLog());
      const { files } = await disc.tree(tree(2));
      const expected: Record<string, string | Uint8Array> = {
        '/Program Files/A Long Application Name/Read Me First.txt:Zone.Identifier': ZONE,
        '/Program Files/A Long Application Name/Read Me First.txt:summary': SUMMARY,
        '/Users/Default:dirstream': 'a stream on a directory\n',
        '/Users/Default/ntfscp.txt:extra': NTFSCP_STREAM,
        '/Windows/notepad.exe:added': NTFSCP_STREAM,
        '/Windows/System32/drivers/etc/hosts:second': 'a second stream\r\n',
      };
      let streams = 0;
      for (const f of files)
        for (const s of f.details?.streams ?? []) {
          streams++;
          const ours = await archive.blob(src, s.sha1!, s.name, () => createSha1())!.read(0, s.size!);
          expect(sha1(ours), `${f.path}:${s.name}`).toBe(s.sha1);
          expect(Buffer.from(ours), `${f.path}:${s.name} (ntfscat)`).toEqual(ntfscat(back, f.path, s.name));
          if (!f.dir) expect(Buffer.from(ours), `${f.path}:${s.name} (7zz -sns)`).toEqual(readFileSync(join(sevenZip, '2', `${f.path}:${s.name}`)));
          const want = expected[`${f.path}:${s.name}`];
          if (want !== undefined) expect(sha1(ours), `${f.path}:${s.name} as written`).toBe(sha1(typeof want === 'string' ? utf8(want) : want));
        }
      expect(streams).toBe(Object.keys(expected).length);
    } finally {
      await src.close();
    }
  });

  it('inside(): every image read, its files, those without a descriptor and those without an 8.3 name counted as wimlib reads them, every blob referenced', async () => {
    const { facts, problems } = await disc.inside();
    expect(problems).toEqual([]);
    expect(facts!.images.map((i) => i.index)).toEqual([1, 2]);
    for (const img of facts!.images) {
      const theirs = wimlibDir(wim, img.index).filter((e) => e.path !== '/' && !(e.attributes & 0x10));
      const byPath = new Map(theirs.map((e) => [e.path, e]));
      expect(img.files).toBe(theirs.length);
      const noDescriptor = theirs.filter((e) => e.securityDescriptor === null).map((e) => e.path);
      expect(img.noSecurity.count).toBe(noDescriptor.length);
      for (const p of img.noSecurity.first) expect(noDescriptor, p).toContain(p);
      // Files listed without a short name have none in wimlib's listing either; the others that need one have one.
      for (const p of img.noShort.first) expect(byPath.get(p)?.shortName, p).toBe('');
      expect(img.needShort).toBeGreaterThanOrEqual(img.noShort.count);
    }
    expect(facts!.unreferenced.count).toBe(0);
    expect(facts!.refMismatches).toBe(0);
  });
});
