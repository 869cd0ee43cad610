/**
 * Results by key, kept as promises: a caller asking for one that is still
 * on its way shares it (one read for all who want those bytes), and one that
 * has arrived is answered at once. A promise that rejects is dropped, so the
 * next caller tries afresh instead of getting the old failure; past `max`
 * entries the least recently used goes. The block caches of the image
 * (block-cache.ts), of a URL (http-source.ts), of a zisofs file's inflated
 * blocks and of a FAT volume's allocation table keep their pieces here.
 */
export class PromiseCache<K, V> {
  private readonly kept = new Map<K, Promise<V>>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.kept.size;
  }

  /** Whether `key` is kept (arrived or on its way); the order of use is left as it was. */
  has(key: K): boolean {
    return this.kept.has(key);
  }

  /** The result kept for `key`, which becomes the most recently used. */
  get(key: K): Promise<V> | undefined {
    const kept = this.kept.get(key);
    if (kept) {
      // Most recently used last: a Map keeps insertion order.
      this.kept.delete(key);
      this.kept.set(key, kept);
    }
    return kept;
  }

  /** Keep `result` for `key` (replacing what was kept), and return it. */
  set(key: K, result: Promise<V>): Promise<V> {
    this.kept.delete(key);
    this.kept.set(key, result);
    // Only this promise is dropped: a later one kept for the same key stays.
    result.catch(() => {
      if (this.kept.get(key) === result) this.kept.delete(key);
    });
    while (this.kept.size > this.max) this.kept.delete(this.kept.keys().next().value!);
    return result;
  }

  /** The result kept for `key`, else `make()`'s, kept. */
  getOrMake(key: K, make: () => Promise<V>): Promise<V> {
    return this.get(key) ?? this.set(key, make());
  }
}
