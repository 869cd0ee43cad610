/**
 * Every kind of worker call can be cancelled: abort settles the call within
 * 100 ms (the worker is terminated, not waited for), and the next call on a
 * fresh worker works.
 */
import { expect, it } from 'vitest';
import { fixtureFile } from './fixture-file.ts';
import { AbortedError, WorkerBridge, WorkerStoppedError } from '../../src/lib/bridge.ts';
import { hashFile } from '../../src/lib/hash-bridge.ts';

async function abortSettles<T>(start: (signal: AbortSignal) => Promise<T>, afterMs = 0): Promise<number> {
  const ctl = new AbortController();
  const call = start(ctl.signal);
  const outcome = call.then(
    () => 'resolved',
    (e: unknown) => e,
  );
  if (afterMs) await new Promise((r) => setTimeout(r, afterMs));
  const t0 = performance.now();
  ctl.abort();
  const e = await outcome;
  const settled = performance.now() - t0;
  expect(e).toBeInstanceOf(AbortedError);
  return settled;
}

it('inspect, tree, file and the WIM check: abort settles within 100 ms, and the next call works', async () => {
  const win7 = await fixtureFile('win7-pro-x64.iso');
  const bridge = new WorkerBridge();
  const times: Record<string, number> = {};
  times.inspect = await abortSettles((s) => bridge.inspect(win7, { files: true }, s));
  expect((await bridge.inspect(win7, { files: true })).windows?.imageCount).toBe(2);
  times.tree = await abortSettles((s) => bridge.listTree(win7, 'joliet', s));
  expect((await bridge.listTree(win7, 'joliet')).files.length).toBeGreaterThan(5);
  times.file = await abortSettles((s) => bridge.fileContents(win7, 'udf', '/sources/ei.cfg', s));
  expect(new TextDecoder().decode((await bridge.fileContents(win7, 'udf', '/sources/ei.cfg'))!.head)).toContain('Professional');
  times.verifyWim = await abortSettles((s) => bridge.verifyWim(win7, undefined, s));
  expect((await bridge.verifyWim(win7)).wimIntegrity?.ok).toBe(true);
  for (const [call, ms] of Object.entries(times)) expect(ms, call).toBeLessThan(100);
});

it('hashing: abort mid-run settles within 100 ms, and the next run works', async () => {
  const big = new File([new Uint8Array(256 * 1024 * 1024)], 'zeros.bin');
  const ms = await abortSettles((s) => hashFile(big, ['sha256', 'sha1', 'md5'], undefined, s), 200);
  expect(ms).toBeLessThan(100);
  const small = await fixtureFile('plain.iso');
  expect((await hashFile(small, ['sha256'])).sha256).toMatch(/^[0-9a-f]{64}$/);
});

it('three calls in flight on one bridge: cancelling the WIM check settles it alone, and the tree and the viewer finish', async () => {
  const win7 = await fixtureFile('win7-pro-x64.iso');
  const bridge = new WorkerBridge();
  await bridge.inspect(win7);
  const alone = await bridge.listTree(win7, 'udf');
  const ctl = new AbortController();
  const wim = bridge.verifyWim(win7, undefined, ctl.signal).then(
    () => 'resolved',
    (e: unknown) => e,
  );
  const tree = bridge.listTree(win7, 'udf');
  const ei = bridge.fileContents(win7, 'udf', '/sources/ei.cfg');
  ctl.abort();
  expect(await wim).toBeInstanceOf(AbortedError);
  const t0 = performance.now();
  const [listed, viewed] = await Promise.all([tree, ei]);
  expect(performance.now() - t0).toBeLessThan(2000);
  expect(listed.files).toEqual(alone.files);
  expect(new TextDecoder().decode(viewed!.head)).toContain('Professional');
  // The worker was not restarted: the disc it had open answers the next call too.
  expect((await bridge.verifyWim(win7)).wimIntegrity?.ok).toBe(true);
});

it('a worker terminated for one call (its time ran out) rejects every other call on it at once, typed, and the next call works', async () => {
  const win7 = await fixtureFile('win7-pro-x64.iso');
  const bridge = new WorkerBridge();
  await bridge.inspect(win7); // the worker started and warm
  // A copy the worker has not opened: the other call waits on its opening, so it is surely still in flight when the
  // worker is terminated (on the opened fixture, read whole, it could finish within the 1 ms first).
  const copy = new File([win7], 'abort-copy.iso', { lastModified: 1 });
  const t0 = performance.now();
  const timedOut = bridge.inspect(copy, { files: true }, undefined, 1);
  const other = bridge.listTree(copy, 'udf').then(
    () => 'resolved',
    (e: unknown) => e,
  );
  await expect(timedOut).rejects.toThrow(/stopped after/);
  const e = await other;
  expect(performance.now() - t0).toBeLessThan(500);
  expect(e).toBeInstanceOf(WorkerStoppedError);
  expect(e).toBeInstanceOf(AbortedError);
  expect((await bridge.listTree(win7, 'udf')).files.length).toBeGreaterThan(5);
});
