/**
 * An image past 4 GiB, made at test time (too big to commit): a 4.5 GB sparse
 * file becomes a level-3 multi-extent file, and a small file lands beyond the
 * 4 GiB mark. Facts come from xorriso and isoinfo on the same bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesBeyondPrefetch, inspectPath } from './helpers.ts';
import { parseIsoinfoListing, parseXorrisoFind } from './tool-output.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';

const HUGE = 4500 * 1024 * 1024;
let dir = '';
let iso = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'isoscope-big-'));
  const tree = join(dir, 'tree');
  mkdirSync(tree);
  writeFileSync(join(tree, 'huge.bin'), '');
  truncateSync(join(tree, 'huge.bin'), HUGE);
  writeFileSync(join(tree, 'zz-after.txt'), 'beyond four gibibytes\n');
  iso = join(dir, 'big.iso');
  execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-iso-level', '3', '-R', '-J', '-V', 'BIG_MULTI', '-o', iso, tree], { stdio: 'ignore' });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('an image beyond 4 GiB with a multi-extent file', () => {
  it('joins the extents of a level-3 file as xorriso does', async () => {
    const r = await inspectPath(iso, { files: true });
    const theirs = parseXorrisoFind(
      execFileSync('xorriso', ['-indev', iso, '-find', '/', '-exec', 'lsdl'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    expect(theirs.get('/huge.bin')?.size).toBe(HUGE);
    expect(r.files!.find((f) => f.path === '/huge.bin')!.size).toBe(theirs.get('/huge.bin')!.size);
    expect(r.errors).toEqual([]);
  });

  it('sees the multi-extent records isoinfo shows in the plain ISO 9660 tree', async () => {
    const listing = execFileSync('isoinfo', ['-l', '-i', iso], { encoding: 'utf8' });
    // isoinfo prints one line per extent; the parser keeps the last, so count lines instead.
    const extents = listing.split('\n').filter((l) => l.includes('HUGE.BIN;1'));
    expect(extents.length).toBeGreaterThan(1);
    expect(parseIsoinfoListing(listing).has('/ZZ_AFTER.TXT')).toBe(true);
  });

  it('reads a file whose extent lies past 4 GiB at the right offset', async () => {
    const src = await NodeFileSource.open(iso);
    try {
      const listing = execFileSync('isoinfo', ['-l', '-i', iso], { encoding: 'utf8' });
      const lba = Number(listing.match(/\[\s*(\d+) 00\]\s+ZZ_AFTER\.TXT/)![1]);
      expect(lba * 2048).toBeGreaterThan(2 ** 32);
      const bytes = await src.read(lba * 2048, 22);
      expect(new TextDecoder().decode(bytes)).toBe('beyond four gibibytes\n');
    } finally {
      await src.close();
    }
  });

  it('identifies it reading under 64 KiB beyond the first reads, as for a small image', async () => {
    const r = await inspectPath(iso);
    expect(r.volume!.label).toBe('BIG_MULTI');
    expect(r.volume!.volumeBytes).toBeGreaterThan(2 ** 32);
    expect(bytesBeyondPrefetch(r)).toBeLessThan(64 * 1024);
  });
});
