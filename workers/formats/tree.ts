/**
 * One walker for every directory tree on a disc (ISO 9660 under its three
 * namings, UDF). A format supplies a TreeReader: how to list one directory
 * and how to stat one entry. The walk is breadth-first and bounded.
 */
import type { ByteSource } from '../io/byte-source.ts';
import type { ProblemLog } from '../io/problems.ts';

/** A disc's own trees, by the naming they carry (docs/report.md lists the same: tests/node/report-doc.test.ts). */
export type TreeNaming = 'udf' | 'rockridge' | 'joliet' | 'iso9660' | 'fat';

/**
 * A tree by the path of readers that leads to it: a disc's own tree by its
 * naming, or a tree inside a file of another tree, `<tree>|<file path>#<n>`
 * ("udf|/sources/install.wim#2": image 2 of install.wim in the UDF tree).
 */
export type TreeId = TreeNaming | (string & {});

/** Split a nested tree's id into the tree holding the file, the file's path and the image; null for a disc's own tree. */
export function parseTreeId(id: TreeId): { parent: TreeId; path: string; index: number } | null {
  const bar = id.lastIndexOf('|'),
    hash = id.lastIndexOf('#');
  if (bar < 0 || hash < bar) return null;
  const index = Number(id.slice(hash + 1));
  if (!Number.isSafeInteger(index) || index < 1) return null;
  return { parent: id.slice(0, bar), path: id.slice(bar + 1, hash), index };
}

/** The id of image `index` inside the file at `path` of tree `parent`. */
export const nestedTreeId = (parent: TreeId, path: string, index: number): TreeId => `${parent}|${path}#${index}`;

export interface Extent {
  /** Absolute byte offset in the image, or null for a sparse (unrecorded) run of zeros. */
  offset: number | null;
  length: number;
}

export interface FileStat {
  size: number;
  modified: string | null;
  /** Where the bytes are, in file order. */
  extents: readonly Extent[];
  /** Data embedded in the descriptor itself (UDF in-ICB files). */
  embedded?: Uint8Array;
  /** Where the embedded data lies in the image. */
  embeddedAt?: number;
  /**
   * The extents hold the file compressed (Rock Ridge ZF, zisofs): `size` is
   * the uncompressed size, `storedSize` what the extents hold. Read through
   * formats/iso9660/zisofs.ts.
   */
  compression?: { method: 'zisofs'; storedSize: number; headerSize: number; blockLog2: number };
  /**
   * The file is a stream inside another file of the disc (a WIM's blob):
   * `container` is that file's stat, and `open` turns the container's bytes
   * into this file's (decompressing only the chunks a read needs). Read
   * through file-data.ts like every other file.
   */
  inside?: { container: FileStat; containerName: string; open(container: ByteSource): ByteSource };
  symlink?: string;
  /** What a WIM records of a file beyond name, size and time (formats/wim/metadata.ts). */
  details?: FileDetails;
}

/** A file's NTFS-like facts as a WIM records them (wimlib-imagex dir --detailed shows the same). */
export interface FileDetails {
  /** FILE_ATTRIBUTE_* bits. */
  attributes: number;
  created: string | null;
  accessed: string | null;
  /** Lowercase hex SHA-1 of the file's data (null: empty or a directory). */
  sha1: string | null;
  /** The 8.3 name, when one is recorded. */
  shortName?: string;
  /** Alternate data streams: name, SHA-1 and size. */
  streams?: { name: string; sha1: string | null; size: number | null }[];
  /** A reparse point's tag (0xA000000C a symbolic link, 0xA0000003 a junction). */
  reparseTag?: number;
  /** Hard-link group, when the file has other names. */
  linkGroup?: string;
  /** Index of its security descriptor, or −1 for none. */
  securityId: number;
}

export interface TreeEntry<R> {
  name: string;
  path: string;
  dir: boolean;
  /** Identity for cycle detection (e.g. absolute offset of the directory's data or ICB). */
  key: number;
  ref: R;
  /** Present when listing already knew it (ISO 9660); otherwise TreeReader.stat reads it. */
  stat?: FileStat;
}

export interface TreeReader<R> {
  naming: TreeId;
  root: TreeEntry<R>;
  list(dir: TreeEntry<R>, log: ProblemLog): Promise<TreeEntry<R>[]>;
  stat(entry: TreeEntry<R>, log: ProblemLog): Promise<FileStat>;
  /**
   * The same tree read through `image`: another request's view of the same
   * image (io/request.ts). What the tree has learnt for good (descriptors,
   * settled listings) is shared; reads, budgets and work in flight are that
   * request's own.
   */
  on(image: ByteSource): TreeReader<R>;
  /**
   * Where an entry's problems are placed in the image, when its `key` is not
   * an image offset (a WIM's entries are numbered: they lie in a compressed
   * metadata resource, placed at that resource).
   */
  offsetOf?(entry: TreeEntry<R>): number | null;
}

/** The image offset a walk's problem about `entry` names. */
const placeOf = <R>(tree: TreeReader<R>, entry: TreeEntry<R>): number | null => (tree.offsetOf ? tree.offsetOf(entry) : entry.key);

export interface WalkLimits {
  maxEntries: number;
  maxDirectories: number;
  maxDepth: number;
}
const DEFAULT_LIMITS: WalkLimits = { maxEntries: 1_000_000, maxDirectories: 100_000, maxDepth: 64 };

export interface WalkedFile {
  path: string;
  dir: boolean;
  stat: FileStat;
}

/**
 * Walk the whole tree, calling `visit` for every entry with its stat.
 * `visit` returns true to stop early. `shouldContinue` is asked before each
 * directory is listed, so a caller can stop on a budget.
 */
export async function walkTree<R>(
  tree: TreeReader<R>,
  log: ProblemLog,
  visit: (f: WalkedFile) => boolean | void,
  options: { limits?: Partial<WalkLimits>; shouldContinue?: (dir: TreeEntry<R>) => boolean } = {},
): Promise<{ complete: boolean }> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const queue: { entry: TreeEntry<R>; depth: number }[] = [{ entry: tree.root, depth: 0 }];
  const seen = new Set<number>();
  let entries = 0;
  let longPathSeen = false;
  for (let qi = 0; qi < queue.length; qi++) {
    const { entry: dir, depth } = queue[qi]!;
    if (options.shouldContinue && !options.shouldContinue(dir)) return { complete: false };
    if (seen.has(dir.key)) {
      log.warn('DIR_CYCLE', `directory ${dir.path || '/'} points back to one already walked`, `${tree.naming} directory`, placeOf(tree, dir));
      continue;
    }
    seen.add(dir.key);
    if (seen.size > limits.maxDirectories) {
      log.warn('TOO_MANY_DIRECTORIES', `stopped after ${limits.maxDirectories} directories`, `${tree.naming} directory`, placeOf(tree, dir));
      return { complete: false };
    }
    let children: TreeEntry<R>[];
    try {
      children = await tree.list(dir, log);
    } catch (e) {
      log.fail(e, `${tree.naming} directory ${dir.path || '/'}`, placeOf(tree, dir));
      continue;
    }
    for (const child of children) {
      if (child.path.length > log.budget.limits.pathChars) {
        if (!longPathSeen)
          log.warn(
            'PATH_TOO_LONG',
            `${dir.path.slice(0, 200)}…: paths longer than ${log.budget.limits.pathChars} characters are not listed or walked`,
            `${tree.naming} directory`,
            placeOf(tree, dir),
          );
        longPathSeen = true;
        continue;
      }
      if (++entries > limits.maxEntries) {
        log.warn('TOO_MANY_ENTRIES', `stopped after ${limits.maxEntries} entries`, `${tree.naming} directory`, placeOf(tree, dir));
        return { complete: false };
      }
      let stat: FileStat;
      try {
        stat = child.stat ?? (await tree.stat(child, log));
      } catch (e) {
        log.fail(e, `${tree.naming} entry ${child.path}`, placeOf(tree, child));
        continue;
      }
      if (visit({ path: child.path, dir: child.dir, stat })) return { complete: false };
      if (child.dir) {
        if (depth + 1 > limits.maxDepth)
          log.warn('TOO_DEEP', `${child.path} lies deeper than ${limits.maxDepth} levels; not walked`, `${tree.naming} directory`, placeOf(tree, child));
        else queue.push({ entry: child, depth: depth + 1 });
      }
    }
  }
  return { complete: true };
}

/** Find one entry by path, listing only the directories on the way (case-insensitive, as Windows Setup is). */
export async function findEntry<R>(tree: TreeReader<R>, path: string, log: ProblemLog): Promise<TreeEntry<R> | null> {
  let cur = tree.root;
  const parts = path.split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    if (!cur.dir) return null;
    const want = parts[i]!.toLowerCase();
    const children = await tree.list(cur, log);
    const next = children.find((c) => c.name.toLowerCase() === want);
    if (!next) return null;
    cur = next;
  }
  return cur;
}

/** List one directory by path (null when it is not there). */
export async function listDirectory<R>(tree: TreeReader<R>, path: string, log: ProblemLog): Promise<TreeEntry<R>[] | null> {
  const dir = await findEntry(tree, path, log);
  return dir?.dir ? tree.list(dir, log) : null;
}

/**
 * The same tree with directory listings kept: identification lists the root
 * and sources/ several times (boot paths, Windows, provenance), and each
 * listing is a read. Only the first `maxDirectories` listings are kept, so a
 * whole-tree walk does not hold every directory in memory. Listings in
 * flight are shared only within one request (one `on`); a listing is kept
 * for every request once it has settled whole — not when it failed, and not
 * when its request's budget ran out while making it (it may be cut short).
 */
export function memoTree<R>(tree: TreeReader<R>, maxDirectories = 64, settled = new Map<number, TreeEntry<R>[]>()): TreeReader<R> {
  // This request's own listings, in flight or done (a listing its budget cut short still serves it).
  const mine = new Map<number, Promise<TreeEntry<R>[]>>();
  return {
    naming: tree.naming,
    root: tree.root,
    stat: (entry, log) => tree.stat(entry, log),
    list(dir, log) {
      const kept = settled.get(dir.key);
      if (kept) return Promise.resolve(kept);
      const own = mine.get(dir.key);
      if (own) return own;
      const listing = tree.list(dir, log);
      if (mine.size < maxDirectories) mine.set(dir.key, listing);
      listing.then(
        (entries) => {
          if (settled.size < maxDirectories && !log.budget.exceeded) settled.set(dir.key, entries);
        },
        // A failed listing is not kept: the next caller gets the error again, from a fresh read.
        () => mine.delete(dir.key),
      );
      return listing;
    },
    on: (image) => memoTree(tree.on(image), maxDirectories, settled),
    ...(tree.offsetOf ? { offsetOf: (entry: TreeEntry<R>) => tree.offsetOf!(entry) } : {}),
  };
}
