/**
 * The generated WebAssembly SHA-256 against coreutils' sha256sum at every
 * padding boundary (55, 56, 63, 64, 119, 120 bytes…), fed in awkward pieces,
 * and across the hasher's internal buffer size.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSha256 } from '../../workers/hash/sha256.ts';

const scratch = mkdtempSync(join(tmpdir(), 'isoscope-sha256-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function sha256sum(bytes: Uint8Array): string {
  const path = join(scratch, 'data.bin');
  writeFileSync(path, bytes);
  return execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]!;
}

describe('generated WebAssembly SHA-256', () => {
  const lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 111, 119, 120, 127, 128, 129, 1000, 65_536 + 17, 17 * 65_536 + 5, 3 * 1024 * 1024 + 1];
  for (const length of lengths) {
    it(`${length} bytes, whole and in pieces of 1, 7, 64 and 1000 bytes`, async () => {
      const data = randomBytes(length);
      const want = sha256sum(data);
      for (const piece of [length || 1, 1, 7, 64, 1000]) {
        if (length > 70_000 && piece < 64) continue; // byte-at-a-time over megabytes proves nothing more
        const h = await createSha256();
        for (let i = 0; i < length; i += piece) h.update(data.subarray(i, i + piece));
        expect(h.digest(), `pieces of ${piece}`).toBe(want);
      }
    });
  }

  it('the one-block example of FIPS 180-2 appendix B.1 ("abc")', async () => {
    const h = await createSha256();
    h.update(new TextEncoder().encode('abc'));
    expect(h.digest()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
