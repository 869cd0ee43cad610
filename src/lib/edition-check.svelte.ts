/**
 * "Check the signatures of every system file of edition N" as state: one run
 * at a time (in the jobs worker, core/signatures.ts verifyEditionSignatures),
 * its progress and time left, each edition's result once checked, and what a
 * cancel or a failure said. A run is a request of its own in the worker:
 * cancelling it settles only it.
 */
import { AbortedError } from './bridge.ts';
import { fmtBytes, fmtDuration } from './format.ts';
import type { EditionProgress } from '../../workers/core/signatures.ts';
import type { EditionSignatures } from '../../workers/report/signatures.ts';

/** Runs the check of image `image` (the bridge's verifyEditionSignatures, bound to the open file). */
export type EditionRunner = (image: number, onProgress: (p: EditionProgress) => void, signal: AbortSignal) => Promise<EditionSignatures>;

/** What the report view needs to offer the check: the file it is for (a new file starts afresh), and the runner. */
export interface EditionCheckAction {
  file: File;
  run: EditionRunner;
}

const count = (n: number) => n.toLocaleString('en-US');

export class EditionCheck {
  /** The edition being checked, or null. */
  running = $state<number | null>(null);
  progress = $state.raw<EditionProgress | null>(null);
  /** Each edition's result, by image number. */
  results = $state.raw<Record<number, EditionSignatures>>({});
  /** What stopped the last run early (cancelled, or failed), for that edition. */
  stopped = $state.raw<{ image: number; text: string; failed: boolean } | null>(null);
  private ctl: AbortController | null = null;

  constructor(private readonly runner: EditionRunner) {}

  /** The progress in words: files, bytes, speed, time left. */
  readonly progressText = $derived.by(() => {
    const p = this.progress;
    if (this.running === null) return '';
    if (!p) return `Checking the signatures of edition ${this.running}: listing its files…`;
    if (p.phase === 'catalogs') return `Checking edition ${this.running}: reading its catalogs (${count(p.filesDone)} of ${count(p.filesTotal)} files)…`;
    const speed = p.bytesPerSecond ? ` · ${fmtBytes(p.bytesPerSecond)}/s` : '';
    const left = p.msLeft === null ? ' · estimating the time left' : ` · about ${fmtDuration(p.msLeft / 1000)} left`;
    return `Checking edition ${this.running}: ${count(p.filesDone)} of ${count(p.filesTotal)} files, ${fmtBytes(p.bytesDone)} of ${fmtBytes(p.bytesTotal)}${speed}${left}`;
  });

  /** For screen readers, in steps of 10 % (the bar itself moves several times a second). */
  readonly spoken = $derived(
    this.running !== null && this.progress
      ? `Checking signatures: ${Math.floor((10 * this.progress.bytesDone) / Math.max(this.progress.bytesTotal, 1)) * 10} %`
      : '',
  );

  async start(image: number): Promise<void> {
    if (this.running !== null) return;
    const ctl = (this.ctl = new AbortController());
    this.running = image;
    this.progress = null;
    this.stopped = null;
    try {
      const result = await this.runner(image, (p) => void (this.ctl === ctl && (this.progress = p)), ctl.signal);
      this.results = { ...this.results, [image]: result };
    } catch (e) {
      // Set by the progress callback meanwhile (TypeScript sees only the null above).
      const p = this.progress as EditionProgress | null;
      if (e instanceof AbortedError)
        this.stopped = {
          image,
          failed: false,
          text: `Signature check of edition ${image} cancelled${p ? ` after ${count(p.filesDone)} of ${count(p.filesTotal)} files` : ''}: nothing is said of this edition.`,
        };
      else this.stopped = { image, failed: true, text: `The signatures of edition ${image} could not be checked: ${(e as Error).message}` };
    } finally {
      if (this.ctl === ctl) {
        this.ctl = null;
        this.running = null;
        this.progress = null;
      }
    }
  }

  cancel(): void {
    this.ctl?.abort();
  }
}
