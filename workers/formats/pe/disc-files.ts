/**
 * The signatures of a Windows disc's own executables, verified during the
 * normal inspection within a small read budget: the boot manager
 * (/bootmgr.efi), the EFI loaders (/efi/boot/*.efi), setup.exe and
 * sources/*.exe|*.dll, with the catalogs in sources/ (*.cat) where the disc
 * has them. Each file is read whole once (file-check.ts) and its own
 * signatures verified; a file without one is looked up in those catalogs.
 *
 * The budget (DISC_SIGNATURE_BUDGET): 32 MiB of file data and 64 files,
 * spent in this order: sources/ catalogs, bootmgr.efi, the EFI loaders,
 * setup.exe and sources/setup.exe, then sources/*.exe and sources/*.dll,
 * each group smallest first. A file that does not fit in what is left is
 * listed as not checked, and smaller ones after it still are. The EFI
 * loaders are the ones the loaders stage also verifies, under firmware's
 * date rule; here they are checked as Windows checks code (dates at the
 * signing time), like every other file of the list.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { BudgetExceeded } from '../../io/budget.ts';
import { FormatError } from '../../io/format-error.ts';
import type { ProblemLog } from '../../io/problems.ts';
import type { HasherFactory } from '../../hash/hashers.ts';
import { fileData } from '../file-data.ts';
import { listDirectory, type TreeEntry, type TreeReader } from '../tree.ts';
import { CatalogIndex, checkCatalog, countingSource, examineFile, judgeFile, type CatalogInfo, type FileJudgement } from './file-check.ts';
import type { VerifyOptions } from './verify.ts';

export type DiscFileRole = 'boot-manager' | 'efi-loader' | 'setup' | 'sources';

export interface DiscSignatureBudget {
  /** Bytes of file data read, catalogs included. */
  bytes: number;
  /** Files read, catalogs included. */
  files: number;
}

export const DISC_SIGNATURE_BUDGET: DiscSignatureBudget = { bytes: 32 * 1024 * 1024, files: 64 };

export interface DiscFileCheck {
  path: string;
  size: number;
  role: DiscFileRole;
  /** The verdict, or null when the file was not read (past the budget). */
  judgement: FileJudgement | null;
}

export interface DiscFilesResult {
  files: DiscFileCheck[];
  catalogs: CatalogInfo[];
  budget: DiscSignatureBudget;
  /** What was read for this (file data and catalogs, through the disc's files), and how long it took. */
  bytesRead: number;
  reads: number;
  ms: number;
  /** Why it stopped before the end of its list (the inspection's budget ran out, or it was cancelled), or null. */
  stopped: string | null;
}

export interface DiscFilesOptions {
  hashers: HasherFactory;
  budget?: DiscSignatureBudget;
  verify?: VerifyOptions;
  signal?: AbortSignal;
}

interface Candidate {
  entry: TreeEntry<unknown>;
  role: DiscFileRole | 'catalog';
  size: number;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** The files to check, in the order the budget is spent on them. */
async function candidates(tree: TreeReader<unknown>, log: ProblemLog): Promise<Candidate[]> {
  const sized = async (entries: TreeEntry<unknown>[] | null, pick: (name: string) => DiscFileRole | 'catalog' | null): Promise<Candidate[]> => {
    const out: Candidate[] = [];
    for (const entry of entries ?? []) {
      if (entry.dir) continue;
      const role = pick(entry.name.toLowerCase());
      if (!role) continue;
      const stat = entry.stat ?? (await tree.stat(entry, log));
      out.push({ entry: { ...entry, stat }, role, size: stat.size });
    }
    return out.sort((a, b) => a.size - b.size || (a.entry.path < b.entry.path ? -1 : 1));
  };
  const root = await tree.list(tree.root, log);
  const sources = await listDirectory(tree, 'sources', log).catch((e: unknown) => {
    if (e instanceof FormatError && !(e instanceof BudgetExceeded)) return null;
    throw e;
  });
  const efi = await listDirectory(tree, 'efi/boot', log).catch((e: unknown) => {
    if (e instanceof FormatError && !(e instanceof BudgetExceeded)) return null;
    throw e;
  });
  const catalogs = await sized(sources, (n) => (n.endsWith('.cat') ? 'catalog' : null));
  const bootmgr = await sized(root, (n) => (n === 'bootmgr.efi' ? 'boot-manager' : null));
  const loaders = await sized(efi, (n) => (n.endsWith('.efi') ? 'efi-loader' : null));
  const setup = [...(await sized(root, (n) => (n === 'setup.exe' ? 'setup' : null))), ...(await sized(sources, (n) => (n === 'setup.exe' ? 'setup' : null)))];
  const exes = await sized(sources, (n) => (n.endsWith('.exe') && n !== 'setup.exe' ? 'sources' : null));
  const dlls = await sized(sources, (n) => (n.endsWith('.dll') ? 'sources' : null));
  return [...catalogs, ...bootmgr, ...loaders, ...setup, ...exes, ...dlls];
}

/**
 * Verify the disc's own executables (see the top of this file) through
 * `src`, the image as the inspection reads it. Null when the disc has none
 * of them.
 */
export async function verifyDiscFiles(src: ByteSource, tree: TreeReader<unknown>, log: ProblemLog, options: DiscFilesOptions): Promise<DiscFilesResult | null> {
  const t0 = now();
  const budget = options.budget ?? DISC_SIGNATURE_BUDGET;
  const list = await candidates(tree, log);
  if (!list.some((c) => c.role !== 'catalog')) return null;
  const counted = countingSource(src);
  const index = new CatalogIndex();
  const verify = { ...options.verify, signal: options.signal };
  let bytesLeft = budget.bytes;
  let filesLeft = budget.files;
  let stopped: string | null = null;
  const files: DiscFileCheck[] = [];
  const fits = (c: Candidate) => !stopped && c.size <= bytesLeft && filesLeft > 0;
  const spend = (c: Candidate) => {
    bytesLeft -= c.size;
    filesLeft--;
  };
  const stop = (e: unknown): void => {
    if (e instanceof BudgetExceeded) stopped = e.message;
    else if (e instanceof DOMException && e.name === 'AbortError') stopped = 'cancelled';
    else throw e;
  };
  for (const c of list.filter((c) => c.role === 'catalog')) {
    if (!fits(c)) continue;
    spend(c);
    try {
      const { info, catalog } = await checkCatalog(fileData(counted, c.entry.stat!, c.entry.name), c.entry.path, verify);
      index.add(info, catalog);
    } catch (e) {
      stop(e);
    }
  }
  for (const c of list) {
    if (c.role === 'catalog') continue;
    const file: DiscFileCheck = { path: c.entry.path, size: c.size, role: c.role, judgement: null };
    files.push(file);
    if (!fits(c)) continue;
    spend(c);
    try {
      const ex = await examineFile(fileData(counted, c.entry.stat!, c.entry.name), {
        hashers: options.hashers,
        algorithms: index.algorithms,
        verify,
        signal: options.signal,
      });
      file.judgement = judgeFile(c.entry.name, ex, index);
    } catch (e) {
      if (e instanceof FormatError && !(e instanceof BudgetExceeded)) file.judgement = judgeFile(c.entry.name, null, index, e.message);
      else stop(e);
    }
  }
  return {
    files,
    catalogs: index.catalogs,
    budget,
    bytesRead: counted.bytesRead,
    reads: counted.reads,
    ms: Math.round((now() - t0) * 100) / 100,
    stopped,
  };
}
