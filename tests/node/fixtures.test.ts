/**
 * Every fixture's report against what isoinfo and xorriso read from the same
 * bytes (captured by tests/fixtures/make.sh beside each image).
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { statSync } from 'node:fs';
import { PREFETCH_RANGES, READ_WHOLE_BELOW } from '../../workers/core/inspect.ts';
import { FIXTURES, bytesBeyondPrefetch, fixtureImages, inspectPath, readBeside } from './helpers.ts';
import { parse7zListing, parseIsoinfo, parseIsoinfoListing, parseXorrisoFind, parseXorrisoReport } from './tool-output.ts';

const images = fixtureImages();
const XORRISO_EMUL: Record<string, string> = {
  none: 'none',
  fd1_2: 'floppy-1.2',
  'fd1.2': 'floppy-1.2',
  'fd1.4': 'floppy-1.44',
  'fd2.8': 'floppy-2.88',
  hd: 'hard-disk',
};
const XORRISO_PLATFORM: Record<string, string> = { BIOS: 'bios', UEFI: 'uefi', PPC: 'ppc', Mac: 'mac' };

/** Our ISO 8601 date back to xorriso's 16 digits (local time of the volume). */
const digits = (iso: string | null) => (iso ? iso.replace(/[-T:.]/g, '').slice(0, 16) : '0000000000000000');

it('has the fixtures the foundation issue asks for', () => {
  for (const name of ['ipxe.iso', 'grub-rescue-cdrom.iso', 'memtest86+x64.iso', 'joliet-rr.iso', 'bios-uefi-gpt.iso', 'apm-hybrid.iso', 'udf-bridge.iso']) {
    expect(images).toContain(name);
  }
});

describe.each(images)('%s', (image) => {
  const path = resolve(FIXTURES, image);
  const isoinfo = parseIsoinfo(readBeside(image, '.isoinfo.txt')!);
  const xorriso = parseXorrisoReport(readBeside(image, '.xorriso.txt')!);

  it('volume ids, sizes and dates agree with isoinfo -d and xorriso -pvd_info', async () => {
    const r = await inspectPath(path);
    expect(r.recognised).toBe(true);
    expect(r.errors).toEqual([]);
    const v = r.volume!;
    expect(v.label).toBe(isoinfo.volumeId);
    expect(v.systemId).toBe(isoinfo.systemId);
    expect(v.volumeSetId).toBe(isoinfo.volumeSetId);
    expect(v.publisherId).toBe(isoinfo.publisherId);
    expect(v.preparerId).toBe(isoinfo.preparerId);
    expect(v.applicationId).toBe(isoinfo.applicationId);
    expect(v.copyrightFileId).toBe(xorriso.pvd['CopyrightFile']);
    expect(v.abstractFileId).toBe(xorriso.pvd['Abstract File']);
    expect(v.bibliographicFileId).toBe(xorriso.pvd['Biblio File']);
    expect(v.blockSize).toBe(isoinfo.blockSize);
    expect(v.blockCount).toBe(isoinfo.volumeSize);
    expect(v.volumeSetSize).toBe(isoinfo.volumeSetSize);
    expect(v.volumeSequenceNumber).toBe(isoinfo.volumeSequenceNumber);
    expect(digits(v.created)).toBe(xorriso.pvd['Creation Time']);
    expect(digits(v.modified)).toBe(xorriso.pvd['Modif. Time']);
    expect(digits(v.expires)).toBe(xorriso.pvd['Expir. Time']);
    expect(digits(v.effective)).toBe(xorriso.pvd['Eff. Time']);
  });

  it('Joliet level and Rock Ridge agree with isoinfo -d', async () => {
    const r = await inspectPath(path);
    expect(r.filesystems.iso9660).toBe(true);
    expect(r.filesystems.joliet?.level ?? null).toBe(isoinfo.jolietLevel);
    expect(r.filesystems.rockRidge).toBe(isoinfo.rockRidge);
  });

  it('every El Torito entry agrees with xorriso -report_el_torito', async () => {
    const r = await inspectPath(path, { files: true });
    if (!xorriso.catalog) {
      expect(r.boot).toBeNull();
      return;
    }
    expect(r.boot!.catalogLba).toBe(isoinfo.catalogSector);
    expect(r.boot!.catalogLba).toBe(xorriso.catalog.lba);
    expect(r.boot!.catalogPath).toBe(xorriso.catalog.path);
    expect(r.boot!.entries.length).toBe(xorriso.boot.length);
    for (const x of xorriso.boot) {
      const e = r.boot!.entries[x.n - 1]!;
      expect(e.platform).toBe(XORRISO_PLATFORM[x.platform] ?? x.platform);
      expect(e.bootable).toBe(x.bootable);
      expect(e.emulation).toBe(XORRISO_EMUL[x.emul]);
      expect(e.loadSegment).toBe(x.loadSegment);
      expect(e.systemType).toBe(x.systemType);
      expect(e.lba).toBe(x.lba);
      // xorriso's Ldsiz is the catalog's count, or the FAT size where the entry says 0/1.
      expect(e.imageSectors).toBe(x.loadSize);
      expect(e.path).toBe(x.path);
    }
  });

  it('every MBR, GPT and APM partition agrees with xorriso -report_system_area', async () => {
    const r = await inspectPath(path);
    const p = r.partitions;
    expect(
      p.mbr?.entries.map((e) => ({ n: e.index, status: e.bootable ? 0x80 : 0, type: parseInt(e.type, 16), start: e.start, blocks: e.count })) ?? [],
    ).toEqual(xorriso.mbr);
    if (xorriso.gpt) {
      expect(p.gpt!.headerCrcOk).toBe(true);
      expect(p.gpt!.entriesCrcOk).toBe(true);
      expect(p.gpt!.diskGuid).toBe(xorriso.gpt.diskGuid);
      expect(p.gpt!.entries.map((e) => ({ n: e.index, name: e.name, type: e.type, guid: e.guid, flags: e.attributes, start: e.start, size: e.count }))).toEqual(
        xorriso.gpt.entries,
      );
      expect(p.scheme).toBe(xorriso.mbr.some((m) => m.type !== 0xee) ? 'hybrid' : 'gpt');
    } else {
      expect(p.gpt).toBeNull();
      expect(p.scheme).toBe(xorriso.mbr.length ? 'mbr' : null);
    }
    if (xorriso.apm) {
      expect(p.apm!.blockSize).toBe(xorriso.apm.blockSize);
      const ours = p.apm!.entries.filter((e) => e.type !== 'Apple_partition_map');
      expect(ours.map((e) => ({ name: e.name, type: e.type, start: e.start, size: e.count }))).toEqual(xorriso.apm.entries.map(({ n: _n, ...rest }) => rest));
    } else {
      expect(p.apm).toBeNull();
    }
  });

  it('lists the same files, sizes and kinds as 7zz -tudf (UDF), xorriso -find (Rock Ridge), 7zz (Joliet) or isoinfo -l', async () => {
    const r = await inspectPath(path, { files: true });
    const find = readBeside(image, '.find.txt');
    const udf = readBeside(image, '.7z-udf.txt');
    const theirs = udf
      ? parse7zListing(udf)
      : find
        ? parseXorrisoFind(find)
        : isoinfo.jolietLevel
          ? parse7zListing(readBeside(image, '.7z.txt')!)
          : parseIsoinfoListing(readBeside(image, '.ls.txt')!);
    const ours = new Map(r.files!.map((f) => [f.path, { size: f.size, dir: f.dir }]));
    // libisofs shows the boot catalog as a virtual node, so xorriso -find leaves it out.
    if (find && !udf && xorriso.catalog?.path) ours.delete(xorriso.catalog.path);
    for (const [p, t] of theirs) if ('symlink' in t) ours.set(p, { ...ours.get(p)!, symlink: t.symlink } as never);
    expect(r.filesFrom).toBe(udf ? 'udf' : find ? 'rockridge' : isoinfo.jolietLevel ? 'joliet' : 'iso9660');
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(theirs));
  });

  // UEFI loaders add their EFI/BOOT directories, headers and certificate tables (or, on a disc that has them
  // only in its El Torito image, that FAT image's root, FAT and directories): up to 32 KiB more.
  // Beyond what is fetched at once at opening (PREFETCH_RANGES: where the descriptors and first directories lie).
  it('identifies it reading under 64 KiB beyond the first reads (96 KiB with UEFI loaders, 256 KiB where it also identifies Windows), in few reads', async () => {
    // As a large image is opened (only PREFETCH_RANGES fetched at once): a small one would be read whole (below).
    const r = await inspectPath(path, { prefetch: PREFETCH_RANGES });
    expect(bytesBeyondPrefetch(r)).toBeLessThan((r.windows ? 256 : r.bootLoaders ? 96 : 64) * 1024);
    expect(r.stats.bytesRead).toBeLessThan(PREFETCH_RANGES.reduce((n, [, l]) => n + l, 0) + (r.windows ? 256 : r.bootLoaders ? 96 : 64) * 1024);
  });

  it(`opened as it is: read whole in one read at opening when it is ${READ_WHOLE_BELOW} bytes or less, else only what the readers ask for beyond the first reads`, async () => {
    const size = statSync(path).size;
    const r = await inspectPath(path);
    if (size <= READ_WHOLE_BELOW) {
      expect(r.stats.ranges).toEqual([[0, size]]);
      expect(r.stats.reads).toBe(1);
    } else expect(bytesBeyondPrefetch(r)).toBeLessThan((r.windows ? 256 : r.bootLoaders ? 96 : 64) * 1024);
  });
});
