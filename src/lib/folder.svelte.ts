/**
 * A folder of images being identified: one entry per file, filled in as the
 * worker answers, a few files at a time. Each entry keeps a compact row
 * (report/row.ts), not the report: a thousand images stay a few hundred KiB,
 * and a row opened is read again (the worker keeps the disc it opened).
 */
import { IMAGE_NAME, type ReportRow } from '../../workers/report/row.ts';
import type { FolderRow } from '../../workers/isoscope.worker.ts';
import type { FolderFile } from './folder-files.ts';

/** Files read at once: three per worker (each read waits on the disk). */
const AT_ONCE = 6;
/**
 * The table is updated at most this often while results arrive: each update filters and sorts every row, renders
 * the page of rows and lays it out (a frame of tens of milliseconds on two cores), time the workers' answers wait
 * for; two and a half updates a second still show the scan moving.
 */
const PUBLISH_MS = 400;

export interface FolderEntry {
  path: string;
  file: File;
  status: 'queued' | 'done' | 'failed' | 'other';
  row: ReportRow | null;
  error: string | null;
  /** SHA-256 of the file's first and last 64 KiB (lib/file-identity.ts): equal ones are the same so far, not yet the same bytes. */
  fingerprint?: string | null;
}

/**
 * Whether a row is the same image as another: `duplicate` only for the same
 * bytes (equal SHA-256, both known); `same-so-far` for the same size and the
 * same first and last 64 KiB, until a hash tells.
 */
export type Sameness = 'duplicate' | 'same-so-far' | null;

/** Words a filter word can match, as prefixes: each field's words, whole ("de-de", "win7-pro-x64.iso") and in their parts. */
function fieldWords(e: FolderEntry): string[] {
  const r = e.row;
  const fields = [e.path, r?.product, r?.editions, r?.what, r?.arch, r?.languages, r?.label];
  return fields.flatMap((f) => {
    if (!f) return [];
    const text = f.toLowerCase();
    return [...text.split(/[\s,;:()[\]/\\|"“”]+/), ...text.split(/[^\p{L}\p{N}]+/u)].filter(Boolean);
  });
}

/** Every word of the filter starts a word of the row's fields (product, editions, arch, languages, label, name, what it is). */
export function matchesFilter(e: FolderEntry, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const have = fieldWords(e);
  return words.every((q) => have.some((w) => w.startsWith(q)));
}

/** One collator for every comparison (localeCompare with options builds one per call: a thousand-row sort makes ten thousand). */
const collator = new Intl.Collator(undefined, { numeric: true });

/** The order a folder is read in, and listed in until the user sorts: by path, numbers by value ("image-9" before "image-10"). */
export const byPath = (a: { path: string }, b: { path: string }): number => collator.compare(a.path, b.path);

export type SortKey = 'path' | 'size' | 'what' | 'arch' | 'languages' | 'build' | 'label' | 'boot' | 'genuine';

export class FolderScan {
  name = $state('');
  entries = $state.raw<FolderEntry[]>([]);
  running = $state(false);
  filter = $state('');
  onlyRebuilt = $state(false);
  onlyDuplicates = $state(false);
  sort = $state<{ key: SortKey; descending: boolean }>({ key: 'path', descending: false });
  /** Rows ticked for hashing, by path. */
  selected = $state<Record<string, boolean>>({});
  /** The batch hash run: which image of how many, and that image's bytes. */
  hashing = $state<{ index: number; total: number; path: string; bytesDone: number; bytesTotal: number } | null>(null);
  private hashController: AbortController | null = null;
  private controller: AbortController | null = null;

  readonly finished = $derived(this.entries.filter((e) => e.status !== 'queued').length);
  readonly images = $derived(this.entries.filter((e) => e.status === 'done' || e.status === 'failed'));
  readonly passedOver = $derived(this.entries.filter((e) => e.status === 'other').length);
  /** Each image's sameness with the others (by path): same bytes by hash, else the same so far by size and fingerprint. Counted, not compared pairwise: a folder of a thousand copies of one size stays linear. */
  private readonly sameness = $derived.by(() => {
    const bySize = Object.create(null) as Record<number, FolderEntry[]>;
    for (const e of this.images) if (e.row) (bySize[e.file.size] ??= []).push(e);
    const out = Object.create(null) as Record<string, Sameness>;
    for (const group of Object.values(bySize)) {
      if (group.length < 2) continue;
      const bySha = Object.create(null) as Record<string, number>;
      const byPrint = Object.create(null) as Record<string, number>;
      const byPrintUnhashed = Object.create(null) as Record<string, number>;
      for (const e of group) {
        const h = e.row!.sha256;
        if (h) bySha[h] = (bySha[h] ?? 0) + 1;
        if (e.fingerprint) {
          byPrint[e.fingerprint] = (byPrint[e.fingerprint] ?? 0) + 1;
          if (!h) byPrintUnhashed[e.fingerprint] = (byPrintUnhashed[e.fingerprint] ?? 0) + 1;
        }
      }
      for (const e of group) {
        const h = e.row!.sha256;
        const fp = e.fingerprint;
        if (h && bySha[h]! > 1) out[e.path] = 'duplicate';
        // The same so far: another of this size and fingerprint, unless both are hashed (then the hashes have said).
        else if (fp && (h ? (byPrintUnhashed[fp] ?? 0) > 0 : byPrint[fp]! > 1)) out[e.path] = 'same-so-far';
      }
    }
    return out;
  });
  /** The images as the table shows them: filtered (every word must start a word of a field), then sorted. */
  readonly shown = $derived.by(() => {
    const { key, descending } = this.sort;
    const value = (e: FolderEntry): string | number => (key === 'path' ? e.path : key === 'size' ? e.file.size : (e.row?.[key] ?? ''));
    return this.images
      .filter((e) => matchesFilter(e, this.filter))
      .filter((e) => !this.onlyRebuilt || e.row?.rebuilt)
      .filter((e) => !this.onlyDuplicates || this.sameness[e.path])
      .sort((a, b) => {
        const x = value(a);
        const y = value(b);
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
        return descending ? -c : c;
      });
  });

  samenessOf(e: FolderEntry): Sameness {
    return this.sameness[e.path] ?? null;
  }

  sortBy(key: SortKey): void {
    this.sort = { key, descending: this.sort.key === key ? !this.sort.descending : false };
  }

  /**
   * Identify every file of `files`; `inspect` is the worker call (the image's compact row and fingerprint: the
   * report stays in the worker), `remember` files each result in history and says what it already knew.
   */
  async start(
    name: string,
    files: FolderFile[],
    inspect: (file: File, path: string, signal: AbortSignal) => Promise<FolderRow>,
    remember: (file: File, result: FolderRow) => Promise<{ hashes: Record<string, string> } | void>,
  ): Promise<void> {
    this.cancel();
    const controller = new AbortController();
    this.controller = controller;
    this.name = name;
    const work: FolderEntry[] = files
      .slice()
      .sort(byPath)
      .map((f) => ({ path: f.path, file: f.file, status: 'queued', row: null, error: null }));
    this.entries = work;
    this.running = true;
    let dirty = false;
    const publish = () => {
      if (dirty && this.controller === controller) this.entries = [...work];
      dirty = false;
    };
    const timer = setInterval(publish, PUBLISH_MS);
    // The table appears first (one task), the worker is asked next (another).
    await new Promise((r) => setTimeout(r, 0));
    let next = 0;
    /** History's answers still on their way: the scan ends when they are in the rows. */
    const recalls: Promise<void>[] = [];
    const one = async () => {
      while (next < work.length && !controller.signal.aborted) {
        const i = next++;
        const e = work[i]!;
        try {
          const got = await inspect(e.file, e.path, controller.signal);
          const imageLike = got.recognised || IMAGE_NAME.test(e.path);
          const row = got.row;
          // The hashes history already holds of this file (a duplicate is decided on them and the fingerprint) land in
          // the row when history answers; the next image is not kept waiting for it.
          if (got.recognised)
            recalls.push(
              remember(e.file, got)
                .catch(() => null)
                .then((known) => {
                  const sha256 = known?.hashes.sha256;
                  if (!sha256 || this.controller !== controller || work[i]?.row !== row) return;
                  work[i] = { ...work[i], row: { ...row, sha256 } };
                  dirty = true;
                }),
            );
          work[i] = {
            ...e,
            status: !imageLike ? 'other' : got.recognised ? 'done' : 'failed',
            row,
            error: got.error,
            fingerprint: got.recognised ? got.fingerprint : null,
          };
        } catch (err) {
          if (controller.signal.aborted) return;
          work[i] = { ...e, status: IMAGE_NAME.test(e.path) ? 'failed' : 'other', error: (err as Error).message };
        }
        dirty = true;
      }
    };
    try {
      await Promise.all(Array.from({ length: AT_ONCE }, one));
      await Promise.all(recalls);
    } finally {
      clearInterval(timer);
      dirty = true;
      publish();
      if (this.controller === controller) this.running = false;
    }
  }

  /**
   * Hash the ticked images one after another with SHA-256 (each run uses every core already); each digest lands in
   * its row (and so in the CSV/JSON export) and is filed in history under that file.
   */
  async hashSelected(
    hash: (file: File, onProgress: (p: { bytesDone: number; bytesTotal: number }) => void, signal: AbortSignal) => Promise<Record<string, string>>,
    remember: (file: File, hashes: Record<string, string>) => Promise<void>,
  ): Promise<void> {
    const controller = (this.hashController = new AbortController());
    const paths = this.images.filter((e) => this.selected[e.path] && e.row).map((e) => e.path);
    try {
      for (const [index, path] of paths.entries()) {
        const entry = this.entries.find((e) => e.path === path);
        if (!entry?.row || controller.signal.aborted) break;
        this.hashing = { index: index + 1, total: paths.length, path, bytesDone: 0, bytesTotal: entry.file.size };
        const digests = await hash(entry.file, (p) => (this.hashing = { index: index + 1, total: paths.length, path, ...p }), controller.signal);
        this.entries = this.entries.map((e) => (e.path === path && e.row ? { ...e, row: { ...e.row, sha256: digests.sha256 ?? null } } : e));
        await remember(entry.file, digests).catch(() => null);
      }
    } catch {
      // Cancelled (or the file went away): the digests found so far stay in their rows.
    } finally {
      if (this.hashController === controller) {
        this.hashing = null;
        this.hashController = null;
      }
    }
  }

  cancelHashing(): void {
    this.hashController?.abort();
  }

  cancel(): void {
    this.hashController?.abort();
    this.controller?.abort();
    this.controller = null;
    this.running = false;
  }

  close(): void {
    this.cancel();
    this.entries = [];
    this.name = '';
  }
}
