/**
 * Walks over the trees of an inspection: naming the files that start at
 * given offsets (boot images, the boot catalog), listing every file into a
 * bounded list, finding the tree that shows a directory.
 */
import type { ProblemLog } from '../io/problems.ts';
import type { IsoDirRef } from '../formats/iso9660/tree.ts';
import { findEntry, walkTree, type TreeEntry, type TreeReader } from '../formats/tree.ts';
import type { FileEntry } from '../report/types.ts';
import { guard } from './context.ts';

/**
 * Walk `tree`, naming each wanted offset (absolute offset of a file's first
 * byte) with the path of the file that starts there; `budget` caps the
 * directory bytes of an ISO 9660 walk (null: no cap). `each` sees every entry.
 */
export async function walkForPaths(
  tree: TreeReader<unknown>,
  wanted: Map<number, string | null>,
  budget: number | null,
  log: ProblemLog,
  each?: (f: FileEntry) => void,
): Promise<void> {
  let unresolved = [...wanted.values()].filter((v) => v === null).length;
  if (!each && unresolved === 0) return;
  let spent = 0;
  await guard(
    log,
    `${tree.naming} directory tree`,
    null,
    async () => {
      await walkTree(
        tree,
        log,
        (f) => {
          const entry: FileEntry = { path: f.path, size: f.stat.size, dir: f.dir, modified: f.stat.modified };
          if (f.stat.symlink !== undefined) entry.symlink = f.stat.symlink;
          if (f.stat.details) entry.details = f.stat.details;
          if (f.stat.compression) {
            entry.compressed = f.stat.compression.method;
            entry.storedSize = f.stat.compression.storedSize;
          }
          each?.(entry);
          const first = f.stat.extents[0]?.offset;
          if (first != null && wanted.get(first) === null) {
            wanted.set(first, f.path);
            unresolved--;
          }
          return !each && unresolved === 0;
        },
        { shouldContinue: budget === null ? undefined : (dir: TreeEntry<unknown>) => (spent += (dir.ref as IsoDirRef).length) <= budget },
      );
    },
    undefined,
  );
}

/** Every entry of `tree`, sorted by path, stopping at the budget's output limit. */
export async function listFiles(tree: TreeReader<unknown>, log: ProblemLog, wanted = new Map<number, string | null>()): Promise<FileEntry[]> {
  const files: FileEntry[] = [];
  await walkForPaths(tree, wanted, null, log, boundedPush(files, log));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A file list that stops growing at the budget's output limit, saying so once (the walk goes on for boot paths). */
function boundedPush(files: FileEntry[], log: ProblemLog): (f: FileEntry) => void {
  const max = log.budget.limits.outputEntries;
  let said = false;
  return (f) => {
    if (files.length < max) files.push(f);
    else if (!said) {
      log.warn('TOO_MANY_FILES', `the file list stops at ${max} entries; the tree holds more`, 'file list', null);
      said = true;
    }
  };
}

/** The best tree whose root can be listed; the next one when damage stops the best at its root (TREE_FALLBACK). */
export async function firstReadableTree(trees: TreeReader<unknown>[], log: ProblemLog): Promise<TreeReader<unknown> | null> {
  for (const [i, tree] of trees.entries()) {
    try {
      await tree.list(tree.root, log);
      if (i > 0)
        log.warn(
          'TREE_FALLBACK',
          `the ${trees[0]!.naming} tree cannot be read at its root; files come from the ${tree.naming} tree`,
          `${trees[0]!.naming} root directory`,
          trees[0]!.root.key,
        );
      return tree;
    } catch (e) {
      log.fail(e, `${tree.naming} root directory`, tree.root.key);
    }
  }
  return trees[0] ?? null;
}

/** The first tree (best first) holding directory `path` (listings are memoised: this costs nothing more). */
export async function treeWith(trees: TreeReader<unknown>[], path: string, log: ProblemLog): Promise<TreeReader<unknown> | null> {
  for (const tree of trees) {
    try {
      if ((await findEntry(tree, path, log))?.dir) return tree;
    } catch {
      // This tree cannot show it; the next may.
    }
  }
  return null;
}
