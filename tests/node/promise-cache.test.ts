/** The one promise cache (io/promise-cache.ts) the block caches share: shared while in flight, dropped on rejection, bounded by use. */
import { describe, expect, it } from 'vitest';
import { PromiseCache } from '../../workers/io/promise-cache.ts';

/** A promise settled by hand, and how many times it was made. */
function deferred<T>() {
  let resolve!: (v: T) => void, reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
const turn = () => new Promise((r) => setTimeout(r, 0));
// set, get and getOrMake return the promise kept: where a test only fills the cache or uses a key, it does not wait for it (void).

describe('PromiseCache', () => {
  it('callers of one key while it is on its way share one making of it', async () => {
    const cache = new PromiseCache<number, string>(4);
    let made = 0;
    const d = deferred<string>();
    const make = () => (made++, d.promise);
    const a = cache.getOrMake(1, make);
    const b = cache.getOrMake(1, make);
    expect(a).toBe(b);
    d.resolve('one');
    expect(await a).toBe('one');
    expect(await cache.getOrMake(1, make)).toBe('one');
    expect(made).toBe(1);
  });

  it('a rejected result is dropped: the next caller makes it afresh, and gets the new result', async () => {
    const cache = new PromiseCache<string, number>(4);
    const failing = cache.getOrMake('k', () => Promise.reject(new Error('read failed')));
    await expect(failing).rejects.toThrow('read failed');
    await turn();
    expect(cache.has('k')).toBe(false);
    expect(await cache.getOrMake('k', () => Promise.resolve(7))).toBe(7);
  });

  it('a rejection drops only its own promise, never one kept for the key since', async () => {
    const cache = new PromiseCache<string, number>(4);
    const old = deferred<number>();
    void cache.set('k', old.promise);
    const now = cache.set('k', Promise.resolve(2));
    old.reject(new Error('late failure'));
    await expect(old.promise).rejects.toThrow();
    await turn();
    expect(cache.get('k')).toBe(now);
  });

  it('holds at most max results; the least recently used goes first', () => {
    const cache = new PromiseCache<number, number>(3);
    for (const k of [1, 2, 3]) void cache.set(k, Promise.resolve(k));
    void cache.get(1); // 1 is now the most recently used: 2 is the oldest
    void cache.set(4, Promise.resolve(4));
    expect(cache.size).toBe(3);
    expect([1, 2, 3, 4].map((k) => cache.has(k))).toEqual([true, false, true, true]);
    void cache.getOrMake(5, () => Promise.resolve(5)); // 3 goes
    expect([1, 3, 4, 5].map((k) => cache.has(k))).toEqual([true, false, true, true]);
  });

  it('has() leaves the order of use as it was', () => {
    const cache = new PromiseCache<number, number>(2);
    void cache.set(1, Promise.resolve(1));
    void cache.set(2, Promise.resolve(2));
    expect(cache.has(1)).toBe(true);
    void cache.set(3, Promise.resolve(3));
    expect([cache.has(1), cache.has(2), cache.has(3)]).toEqual([false, true, true]);
  });
});
