/**
 * What the stages of one inspection share (inspect.ts runs them): the
 * options, the opening request (its log and budget), the image as that
 * request reads it, the report being filled in, and the structures one stage
 * finds for the next (descriptors, partitions, trees). Each stage reads what
 * it needs from here and writes what it found; nothing else is passed
 * between them.
 */
import type { ByteSource } from '../io/byte-source.ts';
import type { ProblemLog } from '../io/problems.ts';
import type { Request } from '../io/request.ts';
import type { SharedImage } from '../io/shared-image.ts';
import type { CueSheet } from '../formats/disk/cue.ts';
import type { PartitionInfo } from '../formats/disk/partitions.ts';
import type { VolumeDescriptorSet } from '../formats/iso9660/descriptors.ts';
import type { TreeReader } from '../formats/tree.ts';
import type { ProbedVolume } from '../formats/volumes/probe.ts';
import type { BudgetLimits } from '../io/budget.ts';
import type { Report } from '../report/types.ts';

export interface InspectOptions {
  /** List every file of the best tree (reads every directory). */
  files?: boolean;
  /** Bytes of ISO 9660 directories a quick inspection may read to name boot images. */
  quickDirectoryBudget?: number;
  /** The inspection's limits (io/budget.ts); by default QUICK_BUDGET, or FILES_BUDGET with `files`. */
  budget?: BudgetLimits;
  /** The CUE sheet the image (the file of its first data track) was opened from. */
  cue?: CueSheet;
  /** The same as text (the page passes the sheet's text; it is parsed here, in the worker). */
  cueText?: string;
  /** Which session of a multi-session disc to read (1-based); by default the last. */
  session?: number;
  /** Today's date (YYYY-MM-DD) for support-status statements; defaults to the clock. */
  today?: string;
  /** Cancels the inspection (its reads stop at the next one; what was found is kept). */
  signal?: AbortSignal;
  /**
   * Verify signatures as part of the inspection (default): the UEFI loaders'
   * and, on a Windows disc, its own executables' (setup.exe, bootmgr.efi,
   * sources/*.exe|*.dll, within 32 MiB). False: loaders are named, not
   * verified, and the disc's files are not read (a folder's table).
   */
  verifySignatures?: boolean;
  /**
   * Ranges of the file read at once when it is opened (default
   * PREFETCH_RANGES; []: none): where a disc keeps its descriptors, anchors
   * and first directories, fetched in a read each, side by side, instead of a
   * chain of small ones.
   */
  prefetch?: readonly [offset: number, length: number][];
  /**
   * Called with the report so far after each stage that completes an answer
   * (disc facts; Windows), so a page can show results as they arrive. The
   * report keeps growing after the call: a worker passes it on by structured
   * clone, which is a snapshot.
   */
  onSection?: (partial: Report) => void;
  /**
   * How long the disc's facts wait for the Windows answer before they are handed over on their own (default
   * DISC_ANSWER_WAIT_MS, inspect.ts; 0: at once).
   */
  discAnswerWaitMs?: number;
}

/** A file system found on the disc, with the partition it lies in (null: the image itself). */
export interface FoundVolume {
  volume: ProbedVolume;
  partition: number | null;
}

export interface InspectionContext {
  readonly options: InspectOptions;
  readonly today: string;
  /** The opening request: its log collects the report's problems, its budget bounds the whole inspection. */
  readonly request: Request;
  readonly log: ProblemLog;
  /** The image shared with every later request; replaced once when the file turns out to store raw sectors. */
  image: SharedImage;
  /** The image as the opening request reads it (image.view(request)). */
  src: ByteSource;
  readonly report: Report;
  /** Set by a stage after which nothing more can be read (an empty file, an audio CD). */
  stopped: boolean;
  /** The disc's facts, handed over unless the Windows answer comes first (inspect.ts). */
  discAnswer?: ReturnType<typeof setTimeout>;

  partitions: PartitionInfo;
  vds: VolumeDescriptorSet | null;
  /** The sector the chosen session starts at (0 for a single-session disc). */
  sessionStart: number;
  /** Bare volumes and partitions' file systems (empty for a disc). */
  volumes: FoundVolume[];
  /** Every tree on the disc, best first (tree-formats.ts), and the best one whose root can be read. */
  trees: TreeReader<unknown>[];
  tree: TreeReader<unknown> | null;
}

/** Run one reader; a throw becomes a typed error and the fallback value, so the rest still shows. */
export async function guard<T>(log: ProblemLog, structure: string, offset: number | null, fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    log.fail(e, structure, offset);
    return fallback;
  }
}
