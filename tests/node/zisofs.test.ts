/**
 * The zisofs reader on damaged data: a file made by mkzftree, then its header,
 * its block pointers or a block changed. Every fault is a typed error, and a
 * block that would inflate past its size is cut, not inflated.
 */
import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../workers/io/byte-source.ts';
import { ZisofsSource } from '../../workers/formats/iso9660/zisofs.ts';

const dir = mkdtempSync(join(tmpdir(), 'isoscope-zisofs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const original = Buffer.from('0123456789abcdef'.repeat(10_000)); // 160 000 bytes: 5 blocks of 32 KiB
writeFileSync(join(dir, 'in'), original);
execFileSync('mkzftree', ['-q', '-F', join(dir, 'in'), join(dir, 'out')]);
const stored = new Uint8Array(readFileSync(join(dir, 'out')));

const open = (bytes: Uint8Array, size = original.length) => new ZisofsSource(new BufferSource(bytes, 'f'), size, 1000);
const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code,
  );

describe('zisofs', () => {
  it('reads what mkzftree wrote, from any offset', async () => {
    const z = open(stored);
    expect(Buffer.from(await z.read(0, original.length)).equals(original)).toBe(true);
    expect(Buffer.from(await z.read(40_000, 30_000)).equals(original.subarray(40_000, 70_000))).toBe(true);
  });

  it('names a missing header, a size that disagrees with ZF, and pointers out of order', async () => {
    const noMagic = stored.slice();
    noMagic[0] = 0;
    expect(await code(open(noMagic).read(0, 10))).toBe('ZISOFS_BAD_HEADER');
    expect(await code(open(stored, original.length + 1).read(0, 10))).toBe('ZISOFS_BAD_HEADER');
    const badPointer = stored.slice();
    new DataView(badPointer.buffer).setUint32(16 + 8, 0xffffff, true);
    const e = await open(badPointer)
      .read(0, 10)
      .catch((x: unknown) => x);
    // The offset: where the pointer lies in the image.
    expect(e).toMatchObject({ code: 'ZISOFS_BAD_POINTERS', offset: 1000 + 16 + 8 });
  });

  it('cuts a block that inflates past its size (a zip bomb in one block)', async () => {
    const bomb = deflateSync(new Uint8Array(50 * 1024 * 1024));
    const head = stored.slice(0, 16);
    new DataView(head.buffer).setUint32(8, 32768, true); // one block
    const table = new Uint8Array(8);
    new DataView(table.buffer).setUint32(0, 24, true);
    new DataView(table.buffer).setUint32(4, 24 + bomb.length, true);
    const file = new Uint8Array([...head, ...table, ...bomb]);
    expect(await code(open(file, 32768).read(0, 10))).toBe('INFLATE_TOO_LARGE');
  });

  it('names damaged compressed data', async () => {
    const broken = stored.slice();
    const first = new DataView(broken.buffer).getUint32(16, true);
    broken.fill(0x55, first, first + 40);
    expect(await code(open(broken).read(0, 10))).toBe('INFLATE_FAILED');
  });
});
