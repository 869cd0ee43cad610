/** Field access: bounds, 64-bit values, offsets past 4 GiB. */
import { describe, expect, it } from 'vitest';
import { Fields, guidToString } from '../../workers/io/bytes.ts';
import { FormatError } from '../../workers/io/problems.ts';
import { BufferSource } from '../../workers/io/byte-source.ts';
import { addRange, Request } from '../../workers/io/request.ts';
import { SharedImage } from '../../workers/io/shared-image.ts';
import { QUICK_BUDGET } from '../../workers/io/budget.ts';
import { crc32 } from '../../workers/formats/crc32.ts';
import { readFileSync } from 'node:fs';
import { VERSION } from '../../workers/version.ts';

describe('Fields', () => {
  it('reads 64-bit values beyond 2^32 exactly', () => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, 6_000_000_000n, true);
    expect(new Fields(b, 0, 't').u64le(0)).toBe(6_000_000_000);
  });
  it('refuses 64-bit values past 2^53 with a typed error', () => {
    const b = new Uint8Array(8).fill(0xff);
    expect(() => new Fields(b, 100, 't').u64le(0)).toThrow(FormatError);
  });
  it('a read past the slice is a TRUNCATED error naming the absolute offset', () => {
    try {
      new Fields(new Uint8Array(4), 5_000_000_000, 'some structure').u32le(2);
      expect.unreachable();
    } catch (e) {
      expect((e as FormatError).code).toBe('TRUNCATED');
      expect((e as FormatError).offset).toBe(5_000_000_002);
      expect((e as FormatError).structure).toBe('some structure');
    }
  });
  it('formats the EFI system partition GUID from its mixed-endian bytes', () => {
    const raw = Uint8Array.from([0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11, 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b]);
    expect(guidToString(raw)).toBe('C12A7328-F81F-11D2-BA4B-00A0C93EC93B');
  });
});

describe('byte sources', () => {
  it('clamp reads at the end and count what was read, per request and for the image', async () => {
    const image = SharedImage.of(new BufferSource(new Uint8Array(100)));
    const a = new Request(QUICK_BUDGET),
      b = new Request(QUICK_BUDGET);
    expect((await image.view(a).read(90, 20)).length).toBe(10);
    expect((await image.view(a).read(200, 20)).length).toBe(0);
    expect((await image.view(b).read(0, 5)).length).toBe(5);
    expect(a.stats).toEqual({ reads: 1, bytesRead: 10, ranges: [[90, 10]] });
    expect(b.stats).toEqual({ reads: 1, bytesRead: 5, ranges: [[0, 5]] });
    expect(image.total).toEqual({ reads: 2, bytesRead: 15 });
    expect([a.budget.reads, a.budget.bytes, b.budget.reads]).toEqual([2, 10, 1]);
  });
  it('keep the ranges read, joined where they touch', () => {
    const r: [number, number][] = [];
    for (const [o, l] of [
      [100, 10],
      [0, 5],
      [110, 5],
      [50, 1],
      [5, 45],
      [200, 0],
    ] as const)
      addRange(r, o, l);
    expect(r).toEqual([
      [0, 51],
      [100, 15],
    ]);
  });
  it('reject negative and absurd reads', async () => {
    const src = new BufferSource(new Uint8Array(10));
    await expect(src.read(-1, 2)).rejects.toThrow(RangeError);
    await expect(src.read(0, 2 ** 40)).rejects.toThrow(RangeError);
  });
});

it('CRC-32 matches the standard check value', () => {
  expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
});

it("the version in workers/version.ts is package.json's", () => {
  expect(VERSION).toBe((JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version);
});
