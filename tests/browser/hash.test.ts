/** Hashing in the browser workers equals the CLI (node:crypto) on the same bytes; cancel stops it. */
import { describe, expect, it } from 'vitest';
import { fixtureFile } from './fixture-file.ts';
import { commands } from 'vitest/browser';
import { hashFile, planLanes } from '../../src/lib/hash-bridge.ts';
import { AbortedError, WorkerBridge } from '../../src/lib/bridge.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeHashes(name: string): Promise<Record<string, string>>;
    fixtureNames(): Promise<string[]>;
    scratchFile(kind: 'truncated' | 'random'): Promise<{ name: string; base64: string }>;
    nodeHashesOf(base64: string): Promise<Record<string, string>>;
  }
}

describe('browser hashing', () => {
  it('gives the CLI digests for every fixture, in parallel lanes', async () => {
    for (const name of await commands.fixtureNames()) {
      const file = await fixtureFile(name);
      const seen: number[] = [];
      const got = await hashFile(file, ['sha256', 'sha1', 'md5', 'crc32', 'sha512'], (p) => seen.push(p.bytesDone));
      expect(got).toEqual(await commands.nodeHashes(name));
      expect(seen.at(-1)).toBe(file.size);
    }
  });

  it('gives the CLI digests for a truncated and a random file', async () => {
    for (const kind of ['truncated', 'random'] as const) {
      const { name, base64 } = await commands.scratchFile(kind);
      const file = new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name);
      expect(await hashFile(file, ['sha256', 'sha1', 'md5', 'crc32', 'sha512'])).toEqual(await commands.nodeHashesOf(base64));
    }
  });

  it('plans slow algorithms into separate lanes, keeping SHA-1 with MD5 (one stitched function)', () => {
    expect(planLanes(['sha256', 'sha1', 'md5'], 2)).toEqual([['sha256'], ['sha1', 'md5']]);
    expect(planLanes(['md5', 'sha1'], 2)).toEqual([['sha1', 'md5']]);
    expect(planLanes(['sha256', 'sha1', 'md5', 'crc32', 'sha512'], 2)).toEqual([
      ['sha512', 'crc32'],
      ['sha256', 'sha1', 'md5'],
    ]);
    expect(planLanes(['sha256', 'sha512', 'crc32'], 4)).toEqual([['sha512'], ['sha256'], ['crc32']]);
  });

  it('cancel stops a running hash', async () => {
    const big = new File([new Uint8Array(256 * 1024 * 1024)], 'zeros.bin');
    const ctl = new AbortController();
    const running = hashFile(big, ['sha256'], undefined, ctl.signal);
    setTimeout(() => ctl.abort(), 50);
    await expect(running).rejects.toBeInstanceOf(AbortedError);
  });

  it('verifies the install.wim integrity table in the worker', async () => {
    const r = await new WorkerBridge().verifyWim(await fixtureFile('win7-pro-x64.iso'));
    expect(r.wimIntegrity).toMatchObject({ ok: true, imageFile: '/sources/install.wim' });
  });
});
