/**
 * The generated WebAssembly hashes (SHA-256 with and without SIMD, SHA-1,
 * MD5, and the stitched SHA-1 + MD5 pair) against coreutils' sha256sum, sha1sum and md5sum at every
 * padding boundary (55, 56, 63, 64, 119, 120 bytes…), fed in awkward pieces,
 * and across the hasher's internal buffer size; plus the specs' own examples.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSha256 } from '../../workers/hash/sha256.ts';
import { createSha1 } from '../../workers/hash/sha1.ts';
import { createMd5 } from '../../workers/hash/md5.ts';
import { createSha1Md5 } from '../../workers/hash/sha1-md5.ts';

const scratch = mkdtempSync(join(tmpdir(), 'isoscope-generated-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function coreutils(tool: string, bytes: Uint8Array): string {
  const path = join(scratch, 'data.bin');
  writeFileSync(path, bytes);
  return execFileSync(tool, [path], { encoding: 'utf8' }).split(' ')[0]!;
}

/** A one-digest hasher shaped like the stitched pair: feed bytes, get the digests. */
const alone = (create: () => Promise<{ update(b: Uint8Array): void; digest(): string }>) => async () => {
  const h = await create();
  return { update: (b: Uint8Array) => h.update(b), digests: () => [h.digest()] };
};

/** Each generated hash, with the tools that give the same digests. */
const CASES = [
  { name: 'SHA-256 (SIMD message schedule)', tools: ['sha256sum'], make: alone(() => createSha256(true)) },
  { name: 'SHA-256 (scalar, where an engine has no SIMD)', tools: ['sha256sum'], make: alone(() => createSha256(false)) },
  { name: 'SHA-1 (SIMD message schedule)', tools: ['sha1sum'], make: alone(() => createSha1(true)) },
  { name: 'SHA-1 (scalar)', tools: ['sha1sum'], make: alone(() => createSha1(false)) },
  { name: 'MD5', tools: ['md5sum'], make: alone(createMd5) },
  { name: 'SHA-1 + MD5 stitched (SIMD SHA-1 schedule)', tools: ['sha1sum', 'md5sum'], make: () => createSha1Md5(true) },
  { name: 'SHA-1 + MD5 stitched (scalar)', tools: ['sha1sum', 'md5sum'], make: () => createSha1Md5(false) },
];

const lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 111, 119, 120, 127, 128, 129, 1000, 65_536 + 17, 17 * 65_536 + 5, 3 * 1024 * 1024 + 1];

describe.each(CASES)('generated WebAssembly $name', ({ tools, make }) => {
  for (const length of lengths) {
    it(`${length} bytes, whole and in pieces of 1, 7, 64 and 1000 bytes`, async () => {
      const data = randomBytes(length);
      const want = tools.map((t) => coreutils(t, data));
      for (const piece of [length || 1, 1, 7, 64, 1000]) {
        if (length > 70_000 && piece < 64) continue; // byte-at-a-time over megabytes proves nothing more
        const h = await make();
        for (let i = 0; i < length; i += piece) h.update(data.subarray(i, i + piece));
        expect(h.digests(), `pieces of ${piece}`).toEqual(want);
      }
    });
  }
});

describe("the specs' examples", () => {
  const abc = new TextEncoder().encode('abc');
  it('SHA-256 of "abc" (FIPS 180-2 appendix B.1)', async () => {
    const h = await createSha256();
    h.update(abc);
    expect(h.digest()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('SHA-1 of "abc" (FIPS 180-2 appendix A.1) and MD5 of "abc" (RFC 1321 A.5), alone and stitched', async () => {
    const sha1 = await createSha1(),
      md5 = await createMd5(),
      pair = await createSha1Md5();
    for (const h of [sha1, md5, pair]) h.update(abc);
    expect(sha1.digest()).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(md5.digest()).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(pair.digests()).toEqual(['a9993e364706816aba3e25717850c26c9cd0d89d', '900150983cd24fb0d6963f7d28e17f72']);
  });
});
