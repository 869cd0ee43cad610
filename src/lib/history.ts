/**
 * History on this device only (IndexedDB through idb-keyval): what was
 * inspected, and hashes once computed. Nothing else is stored; a setting
 * turns it off. Every entry is filed under the full identity of the file it
 * came from (file-identity.ts), so a result can never land on another file.
 */
import { createStore, del, entries, get, getMany, set, setMany, clear } from 'idb-keyval';
import { identityKey, type FileIdentity } from './file-identity.ts';
import type { Report } from '../../workers/report/types.ts';

export interface HistoryItem extends FileIdentity {
  key: string;
  label: string | null;
  summary: string | null;
  hashes: Record<string, string>;
  inspectedAt: string;
  /** The report as it was read, without its file list (reopened from history without the file). */
  report?: Report;
}

export type HistoryUpdate = FileIdentity & { label?: string | null; summary?: string | null; hashes?: Record<string, string>; report?: Report };

/** What history keeps of a report: all of it but the file list (thousands of entries; the file browser needs the file anyway). */
export function reportToKeep(r: Report): Report {
  const { files: _files, ...rest } = r;
  return rest;
}

/** Each database opened once per page: createStore opens it anew on every call (a folder of 1,000 images opened it thousands of times). */
const once = <T>(make: () => T): (() => T) => {
  let made: T | undefined;
  return () => (made ??= make());
};
const store = once(() => createStore('isoscope', 'history'));
const settings = once(() => createStore('isoscope-settings', 'settings'));

export async function historyEnabled(): Promise<boolean> {
  return (await get<boolean>('historyEnabled', settings())) ?? true;
}
export async function setHistoryEnabled(on: boolean): Promise<void> {
  await set('historyEnabled', on, settings());
  if (!on) await clear(store());
}

/** Add to (or update) the entry of the file `item` identifies; fields not given keep their stored values. */
export async function remember(item: HistoryUpdate): Promise<HistoryItem | null> {
  return (await rememberMany([item]))[0] ?? null;
}

/** remember() for many files in one read and one write of the store (a folder's images, a batch at a time). */
export async function rememberMany(items: readonly HistoryUpdate[]): Promise<HistoryItem[]> {
  if (!items.length || !(await historyEnabled())) return [];
  const keys = items.map((i) => identityKey(i));
  const olds = await getMany<HistoryItem | undefined>(keys, store());
  const next = items.map((item, i) => merged(item, keys[i]!, olds[i]));
  await setMany(
    next.map((n) => [n.key, n]),
    store(),
  );
  return next;
}

function merged(item: HistoryUpdate, key: string, old: HistoryItem | undefined): HistoryItem {
  return {
    name: item.name,
    size: item.size,
    lastModified: item.lastModified,
    fingerprint: item.fingerprint,
    key,
    label: item.label !== undefined ? item.label : (old?.label ?? null),
    summary: item.summary !== undefined ? item.summary : (old?.summary ?? null),
    hashes: { ...(old?.hashes ?? {}), ...(item.hashes ?? {}) },
    inspectedAt: new Date().toISOString(),
    ...((item.report ?? old?.report) ? { report: item.report ?? old?.report } : {}),
  };
}

export async function recall(id: FileIdentity): Promise<HistoryItem | null> {
  return (await get<HistoryItem>(identityKey(id), store())) ?? null;
}

/** The order history is listed in: the most recently inspected first. */
export const newestFirst = (items: HistoryItem[]): HistoryItem[] => items.sort((a, b) => b.inspectedAt.localeCompare(a.inspectedAt));

export async function listHistory(): Promise<HistoryItem[]> {
  return newestFirst(
    (await entries<string, HistoryItem>(store()))
      .map(([, v]) => v)
      // Entries from before identities carried a fingerprint cannot be told apart from other files: not shown, not used.
      .filter((v) => typeof v.fingerprint === 'string'),
  );
}
export const forget = (key: string) => del(key, store());
export const forgetAll = () => clear(store());
