/**
 * The UDF reader against udfinfo and 7-Zip on the same bytes: the committed
 * genisoimage bridge disc, and volumes mkudffs and newfs_udf make at test time
 * (HDD-style 512-byte sectors, revisions 1.02–2.01). Other block sizes and
 * write-once volumes with a VAT are conformance cases (tests/fixtures/conformance/udf.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, inspectPath, readBeside } from './helpers.ts';
import { parse7zListing, parseUdfinfo } from './tool-output.ts';
import type { Report } from '../../workers/report/types.ts';

const scratch = mkdtempSync(join(tmpdir(), 'isoscope-udf-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function expectAgreesWithUdfinfo(r: Report, info: Record<string, string>) {
  const u = r.filesystems.udf!;
  expect(u).not.toBeNull();
  expect(u.volumeId).toBe(info.vid);
  expect(u.logicalVolumeId).toBe(info.lvid);
  expect(u.volumeSetId).toBe(info.fullvsid);
  expect(u.blockSize).toBe(Number(info.blocksize));
  expect(u.revision).toBe(info.udfrev);
  expect(u.integrity!.maxWriteRevision).toBe(info.udfwriterev);
  expect(u.integrity!.type).toBe(info.integrity === 'closed' ? 'close' : 'open');
  expect(u.partitions[0]!.accessType).toBe(info.accesstype!.replace('writeonce', 'write-once').replace('readonly', 'read-only'));
  if (u.fileSetId !== null) expect(u.fileSetId).toBe(info.fsid);
  if (info.numfiles) expect(u.integrity!.files).toBe(Number(info.numfiles));
  if (info.numdirs) expect(u.integrity!.directories).toBe(Number(info.numdirs));
  if (info.impid) expect(u.implementationId).toBe(info.impid);
}

describe('UDF bridge disc made by genisoimage -udf', () => {
  const path = join(FIXTURES, 'udf-bridge.iso');
  it('agrees with udfinfo', async () => {
    const r = await inspectPath(path);
    expect(r.errors).toEqual([]);
    expectAgreesWithUdfinfo(r, parseUdfinfo(readBeside('udf-bridge.iso', '.udfinfo.txt')!));
  });
  it('lists the UDF tree as 7-Zip does', async () => {
    const r = await inspectPath(path, { files: true });
    expect(r.filesFrom).toBe('udf');
    const theirs = parse7zListing(readBeside('udf-bridge.iso', '.7z-udf.txt')!);
    const ours = Object.fromEntries(r.files!.map((f) => [f.path, { size: f.size, dir: f.dir }]));
    expect(ours).toEqual(Object.fromEntries(theirs));
  });
});

describe.each([
  ['mkudffs hd 512-byte sectors, UDF 1.02', ['mkudffs', '--media-type=hd', '--blocksize=512', '--udfrev=1.02', '--label=HD102']],
  ['mkudffs hd 512-byte sectors, UDF 1.50', ['mkudffs', '--media-type=hd', '--blocksize=512', '--udfrev=1.50', '--label=HD150']],
  [
    'mkudffs hd 2048-byte blocks, UDF 2.01 (extended file entries)',
    ['mkudffs', '--media-type=hd', '--blocksize=2048', '--udfrev=2.01', '--label=HD201', '--lvid=LOGICAL201', '--vid=VOLUME201'],
  ],
  ['mkudffs hd, UDF 2.01, long allocation descriptors', ['mkudffs', '--media-type=hd', '--blocksize=2048', '--udfrev=2.01', '--ad=long', '--label=LONGAD']],
  ['newfs_udf (UDFclient), UDF 2.01', ['newfs_udf', '-L', 'NEWFS_LV', '-P', 'NEWFS_PV']],
])('%s', (_name, cmd) => {
  const image = join(scratch, `${cmd.join('_').replace(/[^A-Za-z0-9]+/g, '_')}.img`);
  writeFileSync(image, '');
  truncateSync(image, 8 * 1024 * 1024);
  execFileSync(cmd[0]!, [...cmd.slice(1), image], { stdio: 'ignore' });
  let info: Record<string, string> = {};
  try {
    info = parseUdfinfo(execFileSync('udfinfo', [image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch (e) {
    info = parseUdfinfo(String((e as { stdout?: string }).stdout ?? ''));
  }

  it('agrees with udfinfo', async () => {
    const r = await inspectPath(image);
    expect(r.recognised).toBe(true);
    expect(r.kind).toBe('udf');
    expectAgreesWithUdfinfo(r, info);
    expect(r.errors).toEqual([]);
  });

  it('lists the tree as 7-Zip does, or counts what udfinfo counts where 7-Zip cannot open it', async () => {
    const r = await inspectPath(image, { files: true });
    let listing: string | null = null;
    try {
      listing = execFileSync('7zz', ['l', '-slt', '-tudf', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      listing = null;
    }
    if (listing) {
      expect(Object.fromEntries(r.files!.map((f) => [f.path, { size: f.size, dir: f.dir }]))).toEqual(Object.fromEntries(parse7zListing(listing)));
    } else {
      expect(r.files!.filter((f) => !f.dir).length).toBe(Number(info.numfiles));
      expect(r.files!.filter((f) => f.dir).length).toBe(Number(info.numdirs) - 1); // udfinfo counts the root
    }
  });
});
