/**
 * A Windows-like image of about 6 GB made at test time (sparse inputs keep it
 * cheap): 4.5 GB of padding first, then a 1.3 GB install.wim with two editions,
 * so the WIM lies beyond 4 GiB in several UDF extents. Truth: wimlib-imagex
 * reads the very WIM that went into the image; udfinfo reads the image.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { makeBigWindowsImage } from '../helpers/big-windows.ts';
import { bytesBeyondPrefetch, inspectPath } from './helpers.ts';
import { parseUdfinfo, parseWimlibInfo } from './tool-output.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { ProblemLog } from '../../workers/io/problems.ts';
import { UdfReader } from '../../workers/formats/udf/reader.ts';
import { findEntry } from '../../workers/formats/tree.ts';

const GiB = 1024 ** 3;
let dir = '';
let iso = '';
let wim = '';

beforeAll(() => {
  ({ dir, iso, wim } = makeBigWindowsImage());
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a ~6 GB Windows-like image with install.wim beyond 4 GiB', () => {
  it('the install.wim really lies past 4 GiB in several UDF extents', async () => {
    const src = await NodeFileSource.open(iso);
    try {
      const log = new ProblemLog();
      const udf = (await UdfReader.open(src, log, true))!;
      const tree = udf.tree()!;
      const entry = (await findEntry(tree, 'sources/install.wim', log))!;
      const stat = await tree.stat(entry, log);
      expect(stat.extents.length).toBeGreaterThan(1);
      expect(stat.extents[0]!.offset!).toBeGreaterThan(4 * GiB);
      expect(src.size).toBeGreaterThan(5.5 * GiB);
    } finally {
      await src.close();
    }
  });

  it("shows every edition, agreeing with wimlib-imagex, reading under 256 KiB beyond the first reads, in at most 10 reads (time is the bench's job, not a test's)", async () => {
    const r = await inspectPath(iso);
    const t = parseWimlibInfo(
      execFileSync('wimlib-imagex', ['info', wim], { encoding: 'utf8' }) +
        '\n' +
        execFileSync('wimlib-imagex', ['info', '--header', wim], { encoding: 'utf8' }),
    );
    const w = r.windows!;
    expect(w.images.map((i) => i.name)).toEqual(t.images.map((i) => i.Name));
    expect(w.images.map((i) => i.editionId)).toEqual(t.images.map((i) => i['Edition ID']));
    expect(w.resources.xmlData.offsetInWim).toBe(Number(t.header['XML Data Offset']));
    expect(w.resources.xmlData.offsetInWim).toBeGreaterThan(GiB); // the XML sits at the WIM's end
    expect(w.guid).toBe(t.info.GUID!.replace(/^0x/, ''));
    expect(r.errors).toEqual([]);
    expect(bytesBeyondPrefetch(r)).toBeLessThan(256 * 1024);
    expect(r.stats.reads).toBeLessThanOrEqual(10);
  });

  it('filesystems.udf agrees with udfinfo', async () => {
    const r = await inspectPath(iso);
    const info = parseUdfinfo(execFileSync('udfinfo', [iso], { encoding: 'utf8' }));
    expect(r.filesystems.udf!.volumeId).toBe(info.vid);
    expect(r.filesystems.udf!.revision).toBe(info.udfrev);
    expect(r.filesystems.udf!.integrity!.files).toBe(Number(info.numfiles));
  });
});
