/**
 * Damaged copies of good fixtures: each fault becomes a typed problem naming
 * the structure and offset, and the rest of the report is still there.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferSource } from '../../workers/io/byte-source.ts';
import { inspect } from '../../workers/core/disc.ts';
import { FIXTURES, readBeside } from './helpers.ts';
import { parseIsoinfo } from './tool-output.ts';

const load = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const PVD = 16 * 2048;

describe('damaged images', () => {
  it('a both-endian disagreement is a warning naming the field; little-endian wins', async () => {
    const b = load('plain.iso');
    const dv = new DataView(b.buffer);
    const size = dv.getUint32(PVD + 80, true);
    dv.setUint32(PVD + 84, size + 1, false);
    const r = await inspect(new BufferSource(b, 'x.iso'));
    expect(r.volume!.blockCount).toBe(size);
    const w = r.warnings.find((p) => p.code === 'BOTH_ENDIAN_MISMATCH')!;
    expect(w.message).toMatch(/volume space size/);
    expect(w.offset).toBe(PVD + 80);
  });

  it('a bad El Torito validation checksum is a warning; entries still read', async () => {
    const b = load('ipxe.iso');
    b[33 * 2048 + 4]! ^= 0xff; // inside the id string: the words no longer sum to zero
    const r = await inspect(new BufferSource(b, 'x.iso'));
    expect(r.warnings.map((p) => p.code)).toContain('ELTORITO_CHECKSUM');
    expect(r.boot!.validation.checksumOk).toBe(false);
    expect(r.boot!.entries.length).toBe(2);
  });

  it('a broken validation entry drops the boot section but keeps the volume', async () => {
    const b = load('ipxe.iso');
    b[33 * 2048 + 30] = 0;
    const r = await inspect(new BufferSource(b, 'x.iso'));
    expect(r.boot).toBeNull();
    expect(r.errors.map((p) => p.code)).toContain('ELTORITO_BAD_VALIDATION');
    expect(r.volume!.label).toBe('ISOIMAGE');
  });

  it('a GPT header with a bad CRC is reported and its entries still listed', async () => {
    const b = load('bios-uefi-gpt.iso');
    b[512 + 56]! ^= 1; // disk GUID
    const r = await inspect(new BufferSource(b, 'x.iso'));
    expect(r.partitions.gpt!.headerCrcOk).toBe(false);
    expect(r.warnings.find((p) => p.code === 'GPT_HEADER_CRC')!.offset).toBe(512 + 16);
    expect(r.partitions.gpt!.entries.length).toBe(2);
  });

  it('a GPT claiming a huge entry array is refused, not read', async () => {
    const b = load('bios-uefi-gpt.iso');
    new DataView(b.buffer).setUint32(512 + 80, 0x7fffffff, true);
    // Nothing fetched ahead (a small image is read whole at opening): what the readers ask for is what is counted.
    const r = await inspect(new BufferSource(b, 'x.iso'), { prefetch: [] });
    expect(r.errors.map((p) => p.code)).toContain('GPT_ENTRY_ARRAY_SIZE');
    expect(r.stats.bytesRead).toBeLessThan(64 * 1024);
  });

  it('a zeroed PVD is reported, the descriptors after it are still read (Joliet gives the volume), and the partition table still shows', async () => {
    const b = load('ipxe.iso');
    b.fill(0, PVD, PVD + 2048);
    const r = await inspect(new BufferSource(b, 'x.iso'), { files: true });
    expect(r.warnings.map((w) => w.code)).toContain('VD_BLANK_SLOT');
    expect(r.volume?.label).toBe(parseIsoinfo(readBeside(join(FIXTURES, 'ipxe.iso'), '.isoinfo.txt')!).volumeId);
    expect(r.filesFrom).toBe('joliet');
    expect(r.boot?.entries.length).toBeGreaterThan(0);
    expect(r.partitions.scheme).toBe('mbr');
  });

  it('a directory record whose name runs past the record is an error, the walk goes on', async () => {
    const b = load('plain.iso');
    const rootLba = new DataView(b.buffer).getUint32(PVD + 156 + 2, true);
    const first = rootLba * 2048;
    // Third record (after "." and ".."): a name length past the record's end.
    const dotLen = b[first]!,
      dotdotLen = b[first + dotLen]!;
    b[first + dotLen + dotdotLen + 32] = 250;
    const r = await inspect(new BufferSource(b, 'x.iso'), { files: true });
    expect(r.errors.find((p) => p.code === 'DIR_NAME_OVERRUN')!.offset).toBe(first + dotLen + dotdotLen + 32);
    expect(r.files!.length).toBeGreaterThan(3); // the other directories are still walked
    expect(r.volume!.label).toBe('PLAIN_VOL');
  });
});
