/**
 * A request is a value (#25): requests in flight on one Disc each have their
 * own budget, log and read counts, and cancelling one settles only that one.
 * Expected results come from outside: 7-Zip's listing of the UDF tree and
 * wimlib-imagex verify's verdict on the WIM, and each request alone.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDisc } from '../../workers/core/disc.ts';
import { nodeHashers } from '../../workers/hash/node-hashers.ts';
import type { ByteSource } from '../../workers/io/byte-source.ts';
import { NodeFileSource } from '../../workers/io/node-source.ts';
import { FIXTURES } from './helpers.ts';
import { parse7zListing } from './tool-output.ts';

const ISO = join(FIXTURES, 'win7-pro-x64.iso');
/** Nothing read ahead at opening (a small image would be read whole, and later requests would read nothing to compare). */
const NO_PREFETCH = { prefetch: [] };

/** Every read waits a little, so that requests started together really are in flight together. */
class Slow implements ByteSource {
  constructor(private readonly inner: ByteSource) {}
  get name() {
    return this.inner.name;
  }
  get size() {
    return this.inner.size;
  }
  async read(offset: number, length: number) {
    await new Promise((r) => setTimeout(r, 2));
    return this.inner.read(offset, length);
  }
}

const udfListing = () => Object.fromEntries(parse7zListing(execFileSync('7zz', ['l', '-slt', '-tudf', ISO], { encoding: 'utf8' })));
const wimlibVerifies = () => {
  const wim = execFileSync('7zz', ['e', '-so', '-tudf', ISO, 'sources/install.wim'], { maxBuffer: 64 << 20 });
  const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
  execFileSync('sh', ['-c', `cat > ${dir}/install.wim`], { input: wim });
  try {
    execFileSync('wimlib-imagex', ['verify', `${dir}/install.wim`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    execFileSync('rm', ['-rf', dir]);
  }
};

describe('requests on one disc', () => {
  it('three in flight: the WIM check, the file browser and the viewer each finish with what each gives alone, and their own counts', async () => {
    const file = await NodeFileSource.open(ISO);
    const disc = await openDisc(new Slow(file), NO_PREFETCH);
    const opening = { ...disc.stats };
    const [wim, tree, ei] = await Promise.all([disc.verifyWim(nodeHashers), disc.tree('udf'), disc.file('udf', '/sources/ei.cfg')]);
    expect(wimlibVerifies()).toBe(true);
    expect(wim.wimIntegrity).toMatchObject({ ok: true });
    expect([...wim.errors, ...wim.warnings]).toEqual([]);
    expect(Object.fromEntries(tree.files.map((f) => [f.path, { size: f.size, dir: f.dir }]))).toEqual(udfListing());
    expect(tree.problems).toEqual([]);
    expect(Buffer.from(ei!.head)).toEqual(execFileSync('7zz', ['e', '-so', '-tudf', ISO, 'sources/ei.cfg']));
    // Each request counted the reads it caused, and only those: with the opening's, they are every read of the file.
    // The WIM check reads what the opening did not; the tree may be answered from the opening's first reads alone.
    expect(wim.stats.bytesRead).toBeGreaterThan(0);
    const sum = (k: 'reads' | 'bytesRead') => opening[k] + wim.stats[k] + tree.stats[k];
    expect(disc.stats.reads).toBeGreaterThanOrEqual(sum('reads'));
    expect(disc.stats.bytesRead).toBeGreaterThanOrEqual(sum('bytesRead'));
    await file.close();
  });

  it('the WIM check while files are viewed again and again is the WIM check alone (the budget of one is never the other’s)', async () => {
    const file = await NodeFileSource.open(ISO);
    const disc = await openDisc(new Slow(file), NO_PREFETCH);
    const alone = await disc.verifyWim(nodeHashers);
    let browsing = true;
    const viewer = (async () => {
      let views = 0;
      while (browsing) {
        expect(await disc.file('udf', '/sources/ei.cfg')).not.toBeNull();
        views++;
        // A view answered from the cache settles in microtasks alone: wait a turn, as a viewer does between views.
        await new Promise((r) => setTimeout(r, 0));
      }
      return views;
    })();
    const together = await disc.verifyWim(nodeHashers);
    browsing = false;
    expect(await viewer).toBeGreaterThan(0);
    expect(together.wimIntegrity).toEqual(alone.wimIntegrity);
    expect(together.warnings).toEqual([]);
    await file.close();
  });

  it('cancelling one request settles it alone: the other two finish whole', async () => {
    const file = await NodeFileSource.open(ISO);
    const disc = await openDisc(new Slow(file), NO_PREFETCH);
    const cancel = new AbortController();
    const wim = disc.verifyWim(nodeHashers, undefined, cancel.signal);
    const tree = disc.tree('udf');
    const plain = disc.tree('iso9660');
    setTimeout(() => cancel.abort(), 5);
    const [w, t, p] = await Promise.all([wim, tree, plain]);
    expect(w.wimIntegrity).toBeUndefined();
    expect([...w.errors, ...w.warnings].map((e) => e.code)).toEqual(['BUDGET_CANCELLED']);
    expect(Object.fromEntries(t.files.map((f) => [f.path, { size: f.size, dir: f.dir }]))).toEqual(udfListing());
    expect(t.problems).toEqual([]);
    expect(p.files.length).toBeGreaterThan(10);
    expect(p.problems).toEqual([]);
    await file.close();
  });

  it('a request whose budget runs out leaves a concurrent one its whole listing', async () => {
    const file = await NodeFileSource.open(ISO);
    const disc = await openDisc(new Slow(file), NO_PREFETCH);
    const cancel = new AbortController();
    cancel.abort();
    const [cut, whole] = await Promise.all([disc.tree('udf', cancel.signal), disc.tree('udf')]);
    expect(cut.problems.map((p) => p.code)).toContain('BUDGET_CANCELLED');
    expect(Object.fromEntries(whole.files.map((f) => [f.path, { size: f.size, dir: f.dir }]))).toEqual(udfListing());
    // A listing cut short is not kept for later requests either.
    const again = await disc.tree('udf');
    expect(again.files).toEqual(whole.files);
    await file.close();
  });
});
