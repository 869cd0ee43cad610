/**
 * The browser path end to end: a File goes through the real worker (comlink,
 * BlobSource) in Debian's Chromium, and the report equals what the Node
 * readers give for the same bytes (apart from timings).
 */
import { describe, expect, it } from 'vitest';
import { fixtureFile } from './fixture-file.ts';
import { commands } from 'vitest/browser';
import { WorkerBridge, AbortedError } from '../../src/lib/bridge.ts';
import { identify } from '../../src/lib/file-identity.ts';
import type { Report } from '../../workers/report/types.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeReport(name: string, files?: boolean): Promise<Report>;
    fixtureNames(): Promise<string[]>;
    edgeFingerprint(name: string): Promise<string>;
  }
}

const withoutTimings = (r: Report) => ({ ...r, stats: { ...r.stats, ms: 0 } });

describe('worker bridge', () => {
  const bridge = new WorkerBridge();

  it('gives the same report as the Node readers for every fixture', async () => {
    const names = await commands.fixtureNames();
    expect(names.length).toBeGreaterThan(8);
    for (const name of names) {
      const file = await fixtureFile(name);
      for (const files of [false, true]) {
        const inBrowser = await bridge.inspect(file, { files });
        const inNode = await commands.nodeReport(name, files);
        expect(withoutTimings(inBrowser), `${name} files=${files}`).toEqual(withoutTimings(inNode));
      }
    }
  });

  it('hands over sections as they arrive: disc facts, then Windows, then the files', async () => {
    const file = await fixtureFile('win7-pro-x64.iso');
    const sections: Report[] = [];
    // discAnswerWaitMs 0: the disc's facts do not wait for the Windows answer (which here follows at once).
    const done = await bridge.inspect(file, { files: true, discAnswerWaitMs: 0 }, undefined, undefined, (r) => sections.push(r));
    // Sections come on a port of their own: the final report may overtake the last of them (CI, once), never replace it.
    await expect.poll(() => sections.length).toBe(2);
    const [facts, windows] = sections as [Report, Report];
    expect(facts.volume?.label).toBe(done.volume?.label);
    expect(facts.filesystems).toEqual(done.filesystems);
    expect(facts.windows).toBeUndefined();
    expect(facts.files).toBeUndefined();
    expect(windows.windows).toEqual(done.windows);
    expect(windows.files).toBeUndefined();
    expect(done.files!.length).toBeGreaterThan(0);
  });

  it('by default the disc facts wait for a Windows answer that comes soon: one section, not two renders', async () => {
    const file = await fixtureFile('win7-pro-x64.iso');
    const sections: Report[] = [];
    const done = await bridge.inspect(file, { files: true }, undefined, undefined, (r) => sections.push(r));
    await expect.poll(() => sections.length).toBe(1);
    await new Promise((r) => setTimeout(r, 100)); // past the wait (50 ms): no second section comes
    expect(sections).toHaveLength(1);
    expect(sections[0]!.volume?.label).toBe(done.volume?.label);
    expect(sections[0]!.windows).toEqual(done.windows);
  });

  it('a disc without Windows hands over its facts as soon as it is known there is none', async () => {
    const file = await fixtureFile('grub-rescue-cdrom.iso');
    const sections: Report[] = [];
    const done = await bridge.inspect(file, { files: true }, undefined, undefined, (r) => sections.push(r));
    await expect.poll(() => sections.length).toBe(1);
    expect(sections[0]!.volume?.label).toBe(done.volume?.label);
    expect(sections[0]!.windows).toBeUndefined();
    expect(sections[0]!.files).toBeUndefined();
  });

  it("a folder's row: the worker's fingerprint is the page's (lib/file-identity.ts) and coreutils' (head, tail, sha256sum)", async () => {
    const names = ['win7-pro-x64.iso', 'plain.iso'];
    const files = await Promise.all(names.map((n) => fixtureFile(n)));
    const list = { id: 1, files };
    for (const [i, name] of names.entries()) {
      const row = await bridge.folderRow(list, i, name);
      expect(row.recognised, name).toBe(true);
      expect(row.fingerprint, name).toBe(await commands.edgeFingerprint(name));
      expect(row.fingerprint, name).toBe((await identify(files[i]!)).fingerprint);
    }
    bridge.forgetFolder(list);
  });

  it('cancelling terminates the worker and the next call still works', async () => {
    const file = await fixtureFile('grub-rescue-cdrom.iso');
    const ctl = new AbortController();
    const pending = bridge.inspect(file, { files: true }, ctl.signal);
    ctl.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    const again = await bridge.inspect(file);
    expect(again.volume?.label).toBe('ISOIMAGE');
  });
});
