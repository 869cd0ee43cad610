/**
 * One disc, opened once: the file browser, the viewer and the WIM check after
 * the first inspection read no descriptor again. Where the descriptors are
 * comes from udfinfo (its layout lines: VRS, MVDS, RVDS, LVID, ANCHOR), not
 * from isoscope.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES } from './helpers.ts';
import { openDisc } from '../../workers/core/disc.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import type { ByteSource } from '../../workers/io/byte-source.ts';
import { nodeHashers } from '../../workers/hash/node-hashers.ts';

class Recording implements ByteSource {
  reads: [number, number][] = [];
  constructor(private readonly inner: ByteSource) {}
  get name() {
    return this.inner.name;
  }
  get size() {
    return this.inner.size;
  }
  async read(offset: number, length: number) {
    this.reads.push([offset, length]);
    return this.inner.read(offset, length);
  }
}

/** udfinfo's layout: "start=32, blocks=16, type=MVDS" lines, as sector ranges of descriptors. */
function descriptorSectors(iso: string): [number, number, string][] {
  const out = execFileSync('udfinfo', [iso], { encoding: 'utf8' });
  return [...out.matchAll(/^start=(\d+), blocks=(\d+), type=(VRS|MVDS|RVDS|LVID|ANCHOR)$/gm)].map((m) => [Number(m[1]), Number(m[1]) + Number(m[2]), m[3]!]);
}

describe('a disc opened once', () => {
  it('answers the file browser, the viewer and the WIM check without reading a descriptor again', async () => {
    const iso = join(FIXTURES, 'win7-pro-x64.iso');
    const ranges = descriptorSectors(iso);
    expect(ranges.map((r) => r[2])).toEqual(expect.arrayContaining(['VRS', 'MVDS', 'RVDS', 'LVID', 'ANCHOR']));
    const file = await NodeFileSource.open(iso);
    const src = new Recording(file);
    // Nothing read ahead (a small image would be read whole at opening): each structure is read where it lies.
    const disc = await openDisc(src, { files: true, prefetch: [] });
    const atOpening = src.reads.length;
    // A read of a descriptor starts at it; a 16 KiB cache block that starts before one and happens to cover
    // it (the closing anchor lies among the last files) is a read of the files beside it.
    const touches = (reads: [number, number][]) => reads.filter(([o]) => ranges.some(([a, b]) => o >= a * 2048 && o < b * 2048)).map(([o, l]) => `${o}+${l}`);
    // The opening reads them (in its first read of the disc's start, which covers them), once.
    const covers = (reads: [number, number][]) => reads.filter(([o, l]) => ranges.some(([a, b]) => o < b * 2048 && o + l > a * 2048));
    expect(covers(src.reads).length).toBeGreaterThan(0);
    src.reads = [];

    const joliet = await disc.tree('joliet');
    expect(joliet.files.some((f) => f.path === '/sources/install.wim')).toBe(true);
    const ei = await disc.file('udf', '/sources/ei.cfg');
    expect(new TextDecoder().decode(ei!.head)).toContain('Professional');
    const wim = await disc.verifyWim(nodeHashers);
    expect(wim.wimIntegrity).toMatchObject({ ok: true });

    expect(touches(src.reads)).toEqual([]);
    expect(src.reads.length).toBeGreaterThan(0);
    expect(atOpening).toBeGreaterThan(0);
    await file.close();
  });
});
