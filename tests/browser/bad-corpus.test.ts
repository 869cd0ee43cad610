/** The bad corpus through the real worker in Chromium: each case gives its code, and the worker never dies. */
import { expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { TimeoutError, WorkerBridge } from '../../src/lib/bridge.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    badCases(): Promise<{ name: string; code: string; verifyWim: boolean }[]>;
    badCaseBytes(name: string): Promise<string>;
    checkBadCase(name: string, report: unknown): Promise<string[]>;
  }
}

it('every broken image gives its expected code in the worker', async () => {
  const cases = await commands.badCases();
  expect(cases.length).toBeGreaterThan(20);
  const bridge = new WorkerBridge();
  for (const c of cases) {
    const b64 = await commands.badCaseBytes(c.name);
    const file = new File([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], `${c.name}.${c.verifyWim ? 'wim' : 'iso'}`);
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
});

it('a run past its time limit is reported as timed out, and the next run works', async () => {
  const bridge = new WorkerBridge();
  const res = await fetch(new URL('../fixtures/grub-rescue-cdrom.iso', import.meta.url));
  const file = new File([await res.blob()], 'grub.iso');
  await expect(bridge.inspect(file, { files: true }, undefined, 1)).rejects.toBeInstanceOf(TimeoutError);
  expect((await bridge.inspect(file)).volume?.label).toBe('ISOIMAGE');
});
