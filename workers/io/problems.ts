import { FormatError, type Problem } from './format-error.ts';
import { BudgetExceeded, unlimited, type InspectionBudget } from './budget.ts';

export { FormatError, type Problem };

/**
 * Collects warnings (image still usable) and errors (a structure could not be
 * read) for one inspection, and carries its budget (budget.ts): every reader
 * that is handed the log spends from the same account.
 */
export class ProblemLog {
  readonly warnings: Problem[] = [];
  readonly errors: Problem[] = [];
  budget: InspectionBudget = unlimited();
  private budgetReported = false;
  /** A hard cap so that a hostile image cannot grow the log without bound. */
  static readonly MAX = 500;

  /** Problems kept per code: a thousand copies of one warning say no more than fifty and a count. */
  static readonly MAX_PER_CODE = 50;
  private readonly perCode = new Map<string, number>();
  /** Problems left out by the caps, by code (summarised by `close`). */
  readonly omitted = new Map<string, number>();

  private keep(list: Problem[], p: Problem): void {
    const n = (this.perCode.get(p.code) ?? 0) + 1;
    this.perCode.set(p.code, n);
    // The budget's warning always stands: it says where the inspection stopped.
    if (p.code.startsWith('BUDGET_') || (n <= ProblemLog.MAX_PER_CODE && list.length < ProblemLog.MAX)) list.push(p);
    else this.omitted.set(p.code, (this.omitted.get(p.code) ?? 0) + 1);
  }
  warn(code: string, message: string, structure: string, offset: number | null): void {
    this.keep(this.warnings, { code, message, structure, offset });
  }
  error(code: string, message: string, structure: string, offset: number | null): void {
    this.keep(this.errors, { code, message, structure, offset });
  }
  /** Hand every problem logged here to `other` (a first pass whose findings stand after all). */
  replayInto(other: ProblemLog): void {
    for (const w of this.warnings) other.warn(w.code, w.message, w.structure, w.offset);
    for (const e of this.errors) other.error(e.code, e.message, e.structure, e.offset);
  }

  /** Sort the problems by where they are in the image, and add one warning per code whose problems were left out, so the report says how many there were. */
  close(): void {
    // Readers run side by side, so problems arrive in no fixed order: the report lists them by where they are in the image.
    const byPlace = (a: Problem, b: Problem) => (a.offset ?? Infinity) - (b.offset ?? Infinity) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
    this.errors.sort(byPlace);
    this.warnings.sort(byPlace);
    for (const [code, n] of this.omitted)
      this.warnings.push({
        code: 'PROBLEMS_OMITTED',
        message: `${n} more ${code} problem${n === 1 ? '' : 's'} not listed`,
        structure: 'problem list',
        offset: null,
      });
    this.omitted.clear();
  }
  /**
   * The same log for a reader working inside one file of the image (an
   * install.wim, setup.exe, a directory's data): it sees offsets in that file,
   * and `toImage` maps them to image offsets before they are kept, as every
   * problem's offset must be.
   */
  within(toImage: (offset: number) => number | null): ProblemLog {
    const parent: ProblemLog = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the child delegates to this log by name
    const map = (o: number | null) => (o === null ? null : toImage(o));
    const child = Object.create(parent) as ProblemLog;
    child.warn = (code, message, structure, offset) => parent.warn(code, message, structure, map(offset));
    child.error = (code, message, structure, offset) => parent.error(code, message, structure, map(offset));
    child.fail = (e, structure, offset) =>
      parent.fail(
        e instanceof FormatError && !(e instanceof BudgetExceeded) ? new FormatError(e.code, e.message, e.structure, map(e.offset)) : e,
        structure,
        map(offset),
      );
    child.within = (inner) =>
      parent.within((o) => {
        const mid = inner(o);
        return mid === null ? null : toImage(mid);
      });
    return child;
  }

  /** Record any thrown value as an error of `structure`; unknown exceptions become INTERNAL. */
  fail(e: unknown, structure: string, offset: number | null): void {
    if (e instanceof BudgetExceeded) {
      // One warning however many readers it stops: the report stays whole and says where it ended.
      if (!this.budgetReported) this.warn(e.code, `${e.message} (stopped in ${structure})`, 'inspection budget', offset);
      this.budgetReported = true;
    } else if (e instanceof FormatError) this.error(e.code, e.message, e.structure, e.offset);
    else if (e instanceof RangeError) this.error('READ_RANGE', e.message, structure, offset);
    else this.error('INTERNAL', `unexpected failure while reading ${structure}: ${String((e as Error)?.message ?? e)}`, structure, offset);
  }
}
