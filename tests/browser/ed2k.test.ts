/**
 * ed2k in the browser's hashing lanes (hash.worker.ts through hash-bridge.ts,
 * hash-wasm's MD4) equals Debian's rhash (`rhash --ed2k`, run in Node by a
 * command) on files around the part size and on every fixture, in the same
 * pass as the other hashes; rhash's ed2k link of a fixture matches.
 */
import { describe, expect, it } from 'vitest';
import { commands, page } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import VerifyPanel from '../../src/components/VerifyPanel.svelte';
import { identify } from '../../src/lib/file-identity.ts';
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

describe('the Verify panel with an ed2k link', () => {
  it('another size: SIZE MISMATCH at once, in words; the right size alone: compute ED2K; then MATCH, and a changed hash MISMATCH', async () => {
    const f = (await commands.ed2kFiles()).find((x) => x.name === 'plain.iso')!;
    const file = await fixtureFile('plain.iso');
    let given: Record<string, string> = {};
    await render(VerifyPanel, { file, identity: await identify(file), onhashes: (_: unknown, h: Record<string, string>) => (given = h) });
    const box = page.getByPlaceholder('Paste a SHA-256, SHA-1, MD5 or CRC32');
    await box.fill(`Download: ${f.link.replace(`|${file.size}|`, `|${file.size + 1}|`)}`);
    await expect.element(page.getByTestId('verdict')).toHaveTextContent('✘ SIZE MISMATCH');
    await expect.element(page.getByTestId('size-note')).toHaveTextContent('the file is 151,552 bytes; the link says 151,553: not this file');
    await box.fill(f.link);
    await expect.element(page.getByTestId('verdict')).toHaveTextContent('Compute ED2K to compare');
    await expect.element(page.getByTestId('size-note')).toHaveTextContent(/alone does not make it the same file/);
    // Compute: ed2k is hashed because the link asks for it (besides the SHA-256 ticked by default).
    await page.getByRole('button', { name: 'Compute hashes' }).click();
    await expect.element(page.getByTestId('verdict')).toHaveTextContent(/^\s*✔ MATCH\s*$/);
    expect(given.ed2k).toBe(f.ed2k);
    await expect.element(page.getByTestId('hash-ed2k')).toHaveTextContent(f.ed2k);
    await box.fill(
      f.link.replace(
        f.ed2k,
        f.ed2k.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      ),
    );
    await expect.element(page.getByTestId('verdict')).toHaveTextContent(/^\s*✘ MISMATCH\s*$/);
    await expect.element(page.getByTestId('size-note')).toHaveTextContent(/but the ed2k hash differs/);
  });
});
