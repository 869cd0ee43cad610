/** Files read out of an image (view in place, save out) equal what 7-Zip extracts from the same image. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { FIXTURES } from './helpers.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { ExtentSource } from '../../workers/io/extent-source.ts';
import { openDisc } from '../../workers/core/disc.ts';
import { parse7zListing, parseIsoinfoListing } from './tool-output.ts';

const sevenZip = (iso: string, type: string, path: string) => execFileSync('7zz', ['e', '-so', `-t${type}`, iso, path], { maxBuffer: 64 * 1024 * 1024 });

describe('files inside a disc', () => {
  const iso = join(FIXTURES, 'win7-pro-x64.iso');

  it('a small file viewed in place has the bytes 7-Zip extracts from the UDF tree', async () => {
    const src = await NodeFileSource.open(iso);
    const got = (await (await openDisc(src)).file('udf', '/sources/ei.cfg'))!;
    await src.close();
    expect(Buffer.from(got.head)).toEqual(sevenZip(iso, 'udf', 'sources/ei.cfg'));
  });

  it('install.wim saved out through its extents hashes like the copy 7-Zip extracts', async () => {
    const src = await NodeFileSource.open(iso);
    const got = (await (await openDisc(src)).file('udf', '/sources/install.wim'))!;
    const whole = await new ExtentSource(src, got.extents, 'install.wim', got.size).read(0, got.size);
    await src.close();
    expect(createHash('sha256').update(whole).digest('hex')).toBe(
      createHash('sha256')
        .update(sevenZip(iso, 'udf', 'sources/install.wim'))
        .digest('hex'),
    );
  });

  it('every tree on the disc can be listed: UDF as 7-Zip lists it, the ISO 9660 tree as isoinfo does', async () => {
    const src = await NodeFileSource.open(iso);
    const disc = await openDisc(src);
    const udf = await disc.tree('udf');
    const plain = await disc.tree('iso9660');
    await src.close();
    const theirsUdf = parse7zListing(execFileSync('7zz', ['l', '-slt', '-tudf', iso], { encoding: 'utf8' }));
    expect(Object.fromEntries(udf.files.map((f) => [f.path, { size: f.size, dir: f.dir }]))).toEqual(Object.fromEntries(theirsUdf));
    const theirsIso = parseIsoinfoListing(execFileSync('isoinfo', ['-l', '-i', iso], { encoding: 'utf8' }));
    expect(Object.fromEntries(plain.files.map((f) => [f.path, { size: f.size, dir: f.dir }]))).toEqual(Object.fromEntries(theirsIso));
  });
});
