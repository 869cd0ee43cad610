/**
 * The file browser's state: the disc's flat list of paths as folders, the
 * folder shown (breadcrumbs), sorting, a search across the whole disc, and
 * which row has the keyboard (one Tab stop; arrows, Home/End, type-ahead).
 * The component renders it and forwards keys; nothing here touches bytes
 * (FileActions, what the page gives the component to do so, is declared here).
 */
import type { FileEntry } from '../../workers/report/types.ts';

/** What the file browser asks of the disc (the page gives it; a read-only view has none). */
export interface FileActions {
  /** Switch to another tree on the disc (or one inside a file: "udf|/sources/install.wim#2"); resolves to its entries. */
  switchTree(naming: string): Promise<FileEntry[]>;
  /** The images inside a file of a tree (install.wim's editions): each one's index and label. */
  images(naming: string, path: string): Promise<{ index: number; label: string }[]>;
  /** The first bytes of a file, for viewing in place. */
  head(naming: string, path: string): Promise<{ size: number; head: Uint8Array } | null>;
  /** Save a file out of the image. */
  save(naming: string, path: string): Promise<void>;
  /** Save files as one zip (made in the worker, streamed to disk); `onBytes` sees the files' bytes written so far. */
  saveZip(
    naming: string,
    zipName: string,
    files: { path: string; name: string; size: number; modified: string | null }[],
    onBytes: (n: number) => void,
    signal: AbortSignal,
  ): Promise<void>;
}

export type SortKey = 'name' | 'size' | 'modified';

export interface Row {
  /** The entry's full path on the disc ("/sources/install.wim"). */
  path: string;
  name: string;
  dir: boolean;
  size: number;
  modified: string | null;
  compressed: FileEntry['compressed'] | null;
  storedSize: number | null;
  /** A symbolic link's target, or null. */
  symlink: string | null;
  /** For a folder: how many entries it holds, and their bytes (all the way down). */
  count: number;
  /** A file that holds trees of its own (a WIM's images): it opens like a folder, and saves as the file it is. */
  container: boolean;
}

/** Files whose images open like folders: Windows imaging files (install.wim, boot.wim, install.esd, install.swm). */
export const CONTAINER_NAME = /\.(wim|esd|swm)$/i;

/** How long typed letters keep adding to one type-ahead search (the WAI-ARIA APG's listbox pattern uses about this). */
const TYPE_AHEAD_MS = 700;

/** Folders from a flat, sorted or unsorted, list of paths (parents that are not listed are made up from the paths). */
function indexFolders(entries: readonly FileEntry[]): Map<string, Row[]> {
  // Built whole inside a $derived and never changed after: plain Maps (a SvelteMap would track every set for nothing).
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const folders = new Map<string, Row[]>([['', []]]);
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const rows = new Map<string, Row>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const containers = new Map<string, Row>();
  const ensureDir = (path: string): void => {
    if (path === '' || rows.has(path)) return;
    // What is listed inside an opened container (its images and their files) is filed under the container's row.
    if (containers.has(path)) {
      if (!folders.has(path)) folders.set(path, []);
      return;
    }
    const parent = path.slice(0, path.lastIndexOf('/'));
    ensureDir(parent);
    const row: Row = {
      path,
      name: path.slice(path.lastIndexOf('/') + 1),
      dir: true,
      size: 0,
      modified: null,
      compressed: null,
      storedSize: null,
      symlink: null,
      count: 0,
      container: false,
    };
    rows.set(path, row);
    folders.get(parent)!.push(row);
    folders.set(path, []);
  };
  for (const e of entries) {
    const path = e.path.startsWith('/') ? e.path.replace(/\/+$/, '') : `/${e.path.replace(/\/+$/, '')}`;
    if (path === '/' || path === '') continue;
    const parent = path.slice(0, path.lastIndexOf('/'));
    ensureDir(parent);
    if (e.dir) {
      ensureDir(path);
      const row = rows.get(path)!;
      row.modified = e.modified ?? null;
      continue;
    }
    const row: Row = {
      path,
      name: path.slice(path.lastIndexOf('/') + 1),
      dir: false,
      size: e.size,
      modified: e.modified ?? null,
      compressed: e.compressed ?? null,
      storedSize: e.storedSize ?? null,
      symlink: e.symlink ?? null,
      count: 0,
      container: CONTAINER_NAME.test(path),
    };
    if (row.container) containers.set(path, row);
    folders.get(parent)!.push(row);
    // A folder's size and count include everything under it: what "Save folder" will write. Inside a container
    // they stop at it: the container is saved as the file it is, its images are not files of the disc.
    for (let p = parent; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
      if (containers.has(p)) break;
      const d = rows.get(p)!;
      d.size += e.size;
      d.count += 1;
    }
  }
  return folders;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export class FileTree {
  /** The folder shown, "" for the root. */
  cwd = $state('');
  sortKey = $state<SortKey>('name');
  descending = $state(false);
  /** A search across every folder: rows from anywhere whose path contains it. */
  query = $state('');
  /** Index of the row that has the keyboard (roving tabindex) in `rows`. */
  active = $state(0);
  private typed = '';
  private typedAt = 0;

  constructor(private readonly source: () => readonly FileEntry[]) {}

  readonly folders = $derived.by(() => indexFolders(this.source()));

  /** The breadcrumbs: the root, then each folder down to the one shown. */
  readonly crumbs = $derived.by(() => {
    const out = [{ path: '', name: '/' }];
    let at = '';
    for (const part of this.cwd.split('/').filter(Boolean)) {
      at += `/${part}`;
      out.push({ path: at, name: part });
    }
    return out;
  });

  /** Folders first, then files, each sorted by the chosen column; a search lists matches from every folder. */
  readonly rows = $derived.by((): Row[] => {
    const q = this.query.trim().toLowerCase();
    const base = q ? [...this.folders.values()].flat().filter((r) => r.path.toLowerCase().includes(q)) : (this.folders.get(this.cwd) ?? []);
    const dir = this.descending ? -1 : 1;
    const by: Record<SortKey, (a: Row, b: Row) => number> = {
      name: (a, b) => collator.compare(q ? a.path : a.name, q ? b.path : b.name),
      size: (a, b) => a.size - b.size || collator.compare(a.name, b.name),
      modified: (a, b) => (a.modified ?? '').localeCompare(b.modified ?? '') || collator.compare(a.name, b.name),
    };
    return [...base].sort((a, b) => (a.dir !== b.dir ? (a.dir ? -1 : 1) : dir * by[this.sortKey](a, b)));
  });

  /** Every file at or under a folder ("" for the whole disc): what "Save folder" / "Save all" put in a zip. */
  filesUnder(folder: string): Row[] {
    const out: Row[] = [];
    const walk = (p: string) => {
      for (const r of this.folders.get(p) ?? []) {
        if (r.dir) walk(r.path);
        else out.push(r);
      }
    };
    walk(folder);
    return out;
  }

  open(folder: string): void {
    if (!this.folders.has(folder)) return;
    this.endTypeAhead();
    // Going up keeps the folder we came from under the keyboard; going down starts at the top.
    const from = this.cwd;
    this.cwd = folder;
    this.query = '';
    const back = this.rows.findIndex((r) => r.path === from);
    this.active = back >= 0 ? back : 0;
  }

  up(): void {
    if (this.cwd) this.open(this.cwd.slice(0, this.cwd.lastIndexOf('/')));
  }

  sortBy(key: SortKey): void {
    this.endTypeAhead();
    const current = this.rows[this.active]?.path;
    if (this.sortKey === key) this.descending = !this.descending;
    else {
      this.sortKey = key;
      this.descending = key !== 'name'; // biggest and newest first are what people look for
    }
    const again = this.rows.findIndex((r) => r.path === current);
    this.active = Math.max(0, again);
  }

  /** Move the keyboard to row `i` (clamped). */
  focus(i: number): void {
    this.active = Math.max(0, Math.min(this.rows.length - 1, i));
  }

  /** Any other key (a move, Enter, going up) ends the letters typed so far. */
  endTypeAhead(): void {
    this.typed = '';
    this.typedAt = 0;
  }

  /**
   * Type-ahead: letters typed in quick succession find the next row whose
   * name starts with them (WAI-ARIA APG, "Keyboard Interaction" for
   * listboxes and grids); a repeated single letter cycles through its rows.
   */
  typeAhead(char: string, now: number): void {
    this.typed = now - this.typedAt > TYPE_AHEAD_MS ? char : this.typed + char;
    this.typedAt = now;
    const rows = this.rows;
    const want = this.typed.toLowerCase();
    const cycling = want.length > 1 && [...want].every((c) => c === want[0]);
    const prefix = cycling ? want[0]! : want;
    const start = cycling || want.length === 1 ? this.active + 1 : this.active;
    for (let k = 0; k < rows.length; k++) {
      const i = (start + k) % rows.length;
      if (rows[i]!.name.toLowerCase().startsWith(prefix)) {
        this.active = i;
        return;
      }
    }
  }
}
