/**
 * The history as page state: one instance the panels read, updated by the
 * actions that change it (no version counter to bump).
 */
import * as db from './history.ts';
import type { FileIdentity } from './file-identity.ts';

class HistoryState {
  items = $state.raw<db.HistoryItem[]>([]);
  enabled = $state(true);

  async reload(): Promise<void> {
    this.enabled = await db.historyEnabled();
    this.items = await db.listHistory();
  }
  /** One file's entry (an image opened, hashes computed), merged into the list as rememberMany merges a batch. */
  async remember(item: db.HistoryUpdate): Promise<void> {
    await this.rememberMany([item]);
  }
  /**
   * Entries filed at once (a folder's images, a batch at a time): one read and one write of the store. The entries
   * kept are merged into the list here rather than the whole list read again: a folder of a thousand images read it
   * after every batch, each time longer. Returns them as kept (with what history already held of each file: its
   * hashes).
   */
  async rememberMany(items: db.HistoryUpdate[]): Promise<db.HistoryItem[]> {
    const kept = await db.rememberMany(items).catch(() => [] as db.HistoryItem[]);
    const keys = new Set(kept.map((k) => k.key));
    if (kept.length) this.items = db.newestFirst([...kept, ...this.items.filter((i) => !keys.has(i.key))]);
    return kept;
  }
  recall(id: FileIdentity): Promise<db.HistoryItem | null> {
    return db.recall(id).catch(() => null);
  }
  async forget(key: string): Promise<void> {
    await db.forget(key);
    await this.reload();
  }
  async forgetAll(): Promise<void> {
    await db.forgetAll();
    await this.reload();
  }
  async setEnabled(on: boolean): Promise<void> {
    await db.setHistoryEnabled(on);
    await this.reload();
  }
}

export const history = new HistoryState();
