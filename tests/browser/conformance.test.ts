/**
 * Issue #14 in Chromium: the conformance images (made in Node by the tools
 * they are checked against) read by the real worker, and the worker's report
 * compared with the same tools' read-back as in Node.
 */
import { expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { WorkerBridge } from '../../src/lib/bridge.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    conformanceCases(): Promise<{ name: string; file: string }[]>;
    checkConformance(name: string, report: unknown): Promise<string[]>;
  }
}

it('the worker agrees with the independent tools on every conformance image', async () => {
  const cases = await commands.conformanceCases();
  expect(cases.length).toBeGreaterThan(10);
  const bridge = new WorkerBridge();
  for (const c of cases) {
    const res = await fetch(`/__test-files/conformance/${c.file}`);
    expect(res.ok, c.name).toBe(true);
    const file = new File([await res.blob()], c.file);
    const report = await bridge.inspect(file, { files: true });
    expect(await commands.checkConformance(c.name, report), c.name).toEqual([]);
  }
}, 120_000);
