/**
 * One budget per inspection. Per-structure caps (a directory's size, a
 * continuation chain's length) do not stop attacks that multiply cost across
 * structures: thousands of records each following a capped chain, hundreds
 * of names for one expensive file. So the whole inspection spends from one
 * account — reads, bytes read, directory entries visited, characters of names
 * and paths kept, entries reported — and stops where it runs out, keeping
 * everything found so far, with one typed warning (BUDGET_*).
 *
 * The limits are far above what real media need: identifying a 6 GB
 * Windows image takes a few reads of a few hundred KiB at most (the bench's
 * rows: bench/RESULTS.md), and a --files walk of a full DVD lists a few
 * thousand entries from a few MB.
 */
import { FormatError } from './format-error.ts';

export interface BudgetLimits {
  /** Reads of the image. */
  reads: number;
  /** Bytes read from the image. */
  bytes: number;
  /** Directory records and entries visited, over every tree. */
  entries: number;
  /** Entries a report may list (files, images). */
  outputEntries: number;
  /** Longest name kept, in characters (longer ones are cut, with a warning). */
  nameChars: number;
  /** Longest path kept, in characters. */
  pathChars: number;
  /** Wall-clock time, the last line of defence. */
  ms: number;
}

/** Identification: the descriptors, the root and sources/ directories, the WIM's header and XML. */
export const QUICK_BUDGET: BudgetLimits = {
  reads: 20_000,
  bytes: 128 * 1024 * 1024,
  entries: 20_000,
  outputEntries: 10_000,
  nameChars: 1024,
  pathChars: 4096,
  ms: 15_000,
};
/** A whole-tree walk (--files, the file browser): every directory of the best tree. */
export const FILES_BUDGET: BudgetLimits = { ...QUICK_BUDGET, reads: 100_000, bytes: 128 * 1024 * 1024, entries: 60_000, outputEntries: 60_000, ms: 60_000 };

export class BudgetExceeded extends FormatError {
  constructor(code: string, message: string) {
    super(code, message, 'inspection budget', null);
    this.name = 'BudgetExceeded';
  }
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export class InspectionBudget {
  reads = 0;
  bytes = 0;
  entries = 0;
  private readonly t0 = now();
  /** The first limit reached: every later spend fails the same way. */
  exceeded: BudgetExceeded | null = null;

  /** `signal`: the request's cancel; once it fires, the next spend stops the request (BUDGET_CANCELLED). */
  constructor(
    readonly limits: BudgetLimits,
    private readonly signal?: AbortSignal,
  ) {}

  private stop(code: string, message: string): never {
    this.exceeded ??= new BudgetExceeded(code, message);
    throw this.exceeded;
  }
  /** Spends since the clock was last read. */
  private unclocked = 0;
  /**
   * The clock is read before every read of the image and at every 64th entry: a browser's performance.now() costs
   * a few hundred nanoseconds (Chromium clamps and jitters it), and a walk asks for thousands of entries; 64 entries
   * are parsed in microseconds, so the time limit is still kept to well within a millisecond.
   */
  private check(clock: boolean): void {
    if (this.exceeded) throw this.exceeded;
    if (this.signal?.aborted) this.stop('BUDGET_CANCELLED', 'the request was cancelled; what was found until then is shown');
    if (!clock && ++this.unclocked < 64) return;
    this.unclocked = 0;
    if (now() - this.t0 > this.limits.ms) this.stop('BUDGET_TIME', `the inspection stopped after ${this.limits.ms} ms; what was found until then is shown`);
  }

  /** Before a read of `length` bytes. */
  read(length: number): void {
    this.check(true);
    if (++this.reads > this.limits.reads)
      this.stop('BUDGET_READS', `the inspection stopped after ${this.limits.reads} reads of the image; what was found until then is shown`);
    this.bytes += length;
    if (this.bytes > this.limits.bytes)
      this.stop('BUDGET_BYTES', `the inspection stopped after reading ${this.limits.bytes} bytes; what was found until then is shown`);
  }

  /** For each directory record or tree entry visited. */
  entry(count = 1): void {
    this.check(false);
    this.entries += count;
    if (this.entries > this.limits.entries)
      this.stop('BUDGET_ENTRIES', `the inspection stopped after ${this.limits.entries} directory entries; what was found until then is shown`);
  }
}

/** Listing an image inside install.wim: a Windows edition holds 50 000 to 150 000 entries, listed from one metadata resource. */
export const WIM_BUDGET: BudgetLimits = { ...FILES_BUDGET, entries: 1_000_000, outputEntries: 500_000, ms: 120_000 };

/**
 * Reading a file's own bytes (saving it, checking a WIM): bounded by the
 * file's size, not by reads or time. Entries are those of the way there: a
 * path inside an image of install.wim lists directories of tens of thousands
 * (WinSxS), and checking every stream reads every image's entries (each
 * image's metadata has its own cap: formats/wim/metadata.ts).
 */
export const DATA_BUDGET: BudgetLimits = { ...QUICK_BUDGET, reads: Infinity, bytes: Infinity, ms: Infinity, entries: 2_000_000 };

/** A budget nothing runs out of (readers used outside an inspection, tests). */
export const unlimited = (): InspectionBudget =>
  new InspectionBudget({
    reads: Infinity,
    bytes: Infinity,
    entries: Infinity,
    outputEntries: Infinity,
    nameChars: Infinity,
    pathChars: Infinity,
    ms: Infinity,
  });
