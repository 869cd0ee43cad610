/**
 * History on this device only (IndexedDB through idb-keyval): what was
 * inspected, and hashes once computed. Nothing else is stored; a setting
 * turns it off.
 */
import { createStore, del, entries, get, set, clear } from 'idb-keyval';

export interface HistoryItem {
  key: string;
  name: string;
  size: number;
  lastModified: number;
  label: string | null;
  summary: string | null;
  hashes: Record<string, string>;
  inspectedAt: string;
}

const store = () => createStore('isoscope', 'history');
const settings = () => createStore('isoscope-settings', 'settings');

/** Name, size and mtime identify a file across visits. */
export function fileKey(f: { name: string; size: number; lastModified: number }): string {
  return `${f.name}\u0000${f.size}\u0000${f.lastModified}`;
}

export async function historyEnabled(): Promise<boolean> {
  return (await get<boolean>('historyEnabled', settings())) ?? true;
}
export async function setHistoryEnabled(on: boolean): Promise<void> {
  await set('historyEnabled', on, settings());
  if (!on) await clear(store());
}

export async function remember(item: Omit<HistoryItem, 'key' | 'hashes' | 'inspectedAt'> & { hashes?: Record<string, string> }): Promise<HistoryItem | null> {
  if (!(await historyEnabled())) return null;
  const key = fileKey(item);
  const old = await get<HistoryItem>(key, store());
  const next: HistoryItem = { ...item, key, hashes: { ...(old?.hashes ?? {}), ...(item.hashes ?? {}) }, inspectedAt: new Date().toISOString() };
  await set(key, next, store());
  return next;
}

export async function recall(f: { name: string; size: number; lastModified: number }): Promise<HistoryItem | null> {
  return (await get<HistoryItem>(fileKey(f), store())) ?? null;
}

export async function listHistory(): Promise<HistoryItem[]> {
  return (await entries<string, HistoryItem>(store())).map(([, v]) => v).sort((a, b) => b.inspectedAt.localeCompare(a.inspectedAt));
}
export const forget = (key: string) => del(key, store());
export const forgetAll = () => clear(store());
