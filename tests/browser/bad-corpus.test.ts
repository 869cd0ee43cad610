/** The bad corpus through the real worker in Chromium: each case gives its code, and the worker never dies. */
import { expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { TimeoutError, WorkerBridge } from '../../src/lib/bridge.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    badCases(): Promise<{ name: string; code: string; verifyWim: boolean }[]>;
    badCaseFiles(): Promise<Record<string, string>>;
    checkBadCase(name: string, report: unknown): Promise<string[]>;
  }
}

it('every broken image gives its expected code in the worker', async () => {
  const cases = await commands.badCases();
  expect(cases.length).toBeGreaterThan(20);
  const bridge = new WorkerBridge();
  const files = await commands.badCaseFiles();
  for (const c of cases) {
    const name = files[c.name]!;
    const res = await fetch(`/__test-files/bad/${name}`);
    expect(res.status, c.name).toBe(200);
    const file = new File([await res.blob()], name);
    const r = await bridge.inspect(file, { files: true });
    if (c.verifyWim) {
      const v = await bridge.verifyWim(file);
      r.errors.push(...v.errors);
      if (v.wimIntegrity) r.wimIntegrity = v.wimIntegrity;
    }
    expect(
      [...r.errors, ...r.warnings].map((p) => p.code),
      c.name,
    ).toContain(c.code);
    expect(await commands.checkBadCase(c.name, r), c.name).toEqual([]);
  }
  // And the worker is still alive afterwards.
  const ok = await bridge.inspect(new File([new Uint8Array(10)], 'tiny.bin'));
  expect(ok.errors[0]!.code).toBe('NOT_A_DISC_IMAGE');
}, 180_000);

it('a run past its time limit is reported as timed out, and the next run works', async () => {
  const bridge = new WorkerBridge();
  const res = await fetch(new URL('../fixtures/grub-rescue-cdrom.iso', import.meta.url));
  const file = new File([await res.blob()], 'grub.iso');
  await expect(bridge.inspect(file, { files: true }, undefined, 1)).rejects.toBeInstanceOf(TimeoutError);
  expect((await bridge.inspect(file)).volume?.label).toBe('ISOIMAGE');
});
