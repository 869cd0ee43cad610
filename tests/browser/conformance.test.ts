/**
 * Issue #14 in Chromium: the conformance images (made in Node by the tools
 * they are checked against) read by the real worker, and the worker's report
 * and file contents compared with the same tools' read-back as in Node.
 */
import { expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { WorkerBridge } from '../../src/lib/bridge.ts';
import { parseCue } from '../../workers/formats/disk/cue.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    conformanceCases(): Promise<
      { name: string; file: string; contents: { tree: string; path: string }[]; cue: string | null; options: { session?: number } }[]
    >;
    checkConformance(name: string, report: unknown, digests?: Record<string, string>): Promise<string[]>;
  }
}

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

it('the worker agrees with the independent tools on every conformance image', async () => {
  const cases = await commands.conformanceCases();
  expect(cases.length).toBeGreaterThan(10);
  const bridge = new WorkerBridge();
  for (const c of cases) {
    const res = await fetch(`/__test-files/conformance/${c.file}`);
    expect(res.ok, c.name).toBe(true);
    const file = new File([await res.blob()], c.file);
    // A BIN opened through its CUE sheet (the page is given both files; the sheet is parsed where the app parses it).
    const report = await bridge.inspect(file, { files: true, ...c.options, ...(c.cue ? { cue: parseCue(c.cue) } : {}) });
    // Contents as the app saves them: uncompressed by the worker, piece by piece.
    const digests: Record<string, string> = {};
    for (const f of c.contents) {
      const got = await bridge.fileContents(file, f.tree, f.path);
      if (!got) continue;
      const all = new Uint8Array(got.size);
      for (let at = 0; at < got.size; at += 1 << 20) all.set((await bridge.fileRange(file, f.tree, f.path, at, 1 << 20))!, at);
      digests[f.path] = hex(await crypto.subtle.digest('SHA-256', all));
    }
    expect(await commands.checkConformance(c.name, report, digests), c.name).toEqual([]);
  }
}, 180_000);
