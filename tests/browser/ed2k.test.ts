/**
 * ed2k in the browser's hashing lanes (hash.worker.ts through hash-bridge.ts,
 * hash-wasm's MD4) equals Debian's rhash (`rhash --ed2k`, run in Node by a
 * command) on files around the part size and on every fixture, in the same
 * pass as the other hashes; rhash's ed2k link of a fixture matches.
 */
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { fixtureFile } from './fixture-file.ts';
import { hashFile, planLanes } from '../../src/lib/hash-bridge.ts';
import { matchChecksums, parseChecksums } from '../../workers/hash/checksums.ts';
import type { RhashFile } from './ed2k-files.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    ed2kFiles(): Promise<RhashFile[]>;
    nodeHashes(name: string): Promise<Record<string, string>>;
  }
}

async function fileOf(f: RhashFile): Promise<File> {
  if (f.url.startsWith('fixture:')) return fixtureFile(f.name);
  const res = await fetch(f.url);
  expect(res.status, f.name).toBe(200);
  return new File([await res.blob()], f.name);
}

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

describe('ed2k in the hashing lanes', () => {
  it('equals rhash --ed2k on files around the part size and on every fixture, with SHA-256 in the same pass', async () => {
    const files = await commands.ed2kFiles();
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const file = await fileOf(f);
      const got = await hashFile(file, ['sha256', 'ed2k']);
      expect(got.ed2k, f.name).toBe(f.ed2k);
      expect(got.sha256, f.name).toBe(hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer())));
    }
  });

  it('with every other algorithm at once, in parallel lanes: ed2k is rhash’s, the rest the CLI’s', async () => {
    const f = (await commands.ed2kFiles()).find((x) => x.name === 'win7-pro-x64.iso')!;
    const got = await hashFile(await fileOf(f), ['sha256', 'sha1', 'md5', 'crc32', 'sha512', 'ed2k']);
    expect(got).toEqual({ ...(await commands.nodeHashes('win7-pro-x64.iso')), ed2k: f.ed2k });
  });

  it('rhash’s ed2k link of a fixture matches what the lanes computed; another size is refused unhashed', async () => {
    const f = (await commands.ed2kFiles()).find((x) => x.name === 'plain.iso')!;
    const file = await fileOf(f);
    const entries = parseChecksums(f.link);
    expect(entries).toMatchObject([{ algorithm: 'ed2k', name: 'plain.iso', size: file.size, format: 'ed2k' }]);
    expect(matchChecksums(entries, file.name, await hashFile(file, ['ed2k']), file.size)).toMatchObject({ verdict: 'match', algorithm: 'ed2k' });
    const other = parseChecksums(f.link.replace(`|${file.size}|`, `|${file.size + 1}|`));
    expect(matchChecksums(other, file.name, {}, file.size)).toMatchObject({ verdict: 'mismatch', size: { expected: file.size + 1, actual: file.size } });
  });

  it('plans ed2k into a lane of its own weight', () => {
    expect(planLanes(['sha256', 'ed2k'], 2)).toEqual([['sha256'], ['ed2k']]);
    expect(planLanes(['sha256', 'sha1', 'md5', 'ed2k'], 2)).toEqual([['sha256'], ['sha1', 'md5', 'ed2k']]);
  });
});
