/**
 * Hash modules compiled and run hot in one thread, then handed to the
 * hashers (as the page does for a lane, warm-modules.ts): the hashers
 * instantiate exactly those modules, and their digests stay node:crypto's.
 */
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { seedModules, warmModules } from '../../workers/hash/warm-modules.ts';
import { wasmHashSet } from '../../workers/hash/wasm-hashers.ts';
import { sha256Module } from '../../workers/hash/sha256.ts';
import { sha1Module } from '../../workers/hash/sha1.ts';
import { md5Module } from '../../workers/hash/md5.ts';
import { sha1Md5Module } from '../../workers/hash/sha1-md5.ts';
import { blockHashModule } from '../../workers/hash/block-hasher.ts';
import type { HashAlgorithm } from '../../workers/hash/hashers.ts';

const data = randomBytes(3 * 1024 * 1024 + 77);
const node = (a: string) => createHash(a).update(data).digest('hex');

describe('warmed hash modules', () => {
  it.each([
    [['sha256'], ['sha256']],
    [['sha1'], ['sha1']],
    [['md5'], ['md5']],
    [['sha1', 'md5'], ['sha1+md5']],
    [
      ['sha256', 'sha1', 'md5', 'crc32'],
      ['sha1+md5', 'sha256'],
    ],
    [['crc32', 'sha512'], []],
  ] as [HashAlgorithm[], string[]][])('%j: warms the modules the lane instantiates (%j)', async (algorithms, keys) => {
    expect(Object.keys(await warmModules(algorithms)).sort()).toEqual(keys.sort());
  });

  it('a seeded module is the one its cache gives, compiled or not', async () => {
    const other = await sha256Module(false)();
    const cache = blockHashModule([]);
    cache.seed(other);
    expect(await cache()).toBe(other);
  });

  it('hashers of seeded modules digest as node:crypto does (the warming run leaves nothing behind)', async () => {
    const warmed = { ...(await warmModules(['sha256', 'sha1', 'md5'])), ...(await warmModules(['sha1'])), ...(await warmModules(['md5'])) };
    seedModules(warmed);
    expect(await sha256Module()()).toBe(warmed.sha256);
    expect(await sha1Md5Module()()).toBe(warmed['sha1+md5']);
    expect(await sha1Module()()).toBe(warmed.sha1);
    expect(await md5Module()).toBe(warmed.md5);
    for (const set of [['sha256', 'sha1', 'md5'], ['sha1'], ['md5']] as HashAlgorithm[][]) {
      const h = await wasmHashSet(set);
      for (let i = 0; i < data.length; i += 1_000_003) h.update(data.subarray(i, i + 1_000_003));
      const d = h.digests();
      for (const a of set) expect(d[a]).toBe(node(a));
    }
  });
});
