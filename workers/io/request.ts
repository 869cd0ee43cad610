/**
 * One request on an open image, as a value: its own problem log, budget and
 * read counts. The opening of a disc is one; each later question asked of it
 * (a tree for the file browser, a file's bytes, the WIM check) is another.
 * Requests on one image share its block cache (shared-image.ts) and nothing
 * else: no budget, counter or cursor of one is ever seen or replaced by
 * another, so two in flight cannot stop or miscount each other.
 */
import { InspectionBudget, type BudgetLimits } from './budget.ts';
import { ProblemLog } from './problems.ts';

/** Reads of the image itself (not those answered from the cache) that one request caused. */
export interface ReadAccount {
  reads: number;
  bytesRead: number;
  /** Where they were: [offset, length] pairs in file order, touching ones joined (at most MAX_RANGES; set by Request). */
  ranges?: [number, number][];
}

/** Ranges kept per request: identification reads a few dozen; a walk that reads more keeps its first ones. */
const MAX_RANGES = 2048;

/** Add a read to `ranges` (sorted, disjoint), joining it with the ranges it touches. */
export function addRange(ranges: [number, number][], offset: number, length: number): void {
  if (length <= 0) return;
  let lo = 0,
    hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]![0] + ranges[mid]![1] < offset) lo = mid + 1;
    else hi = mid;
  }
  let start = offset,
    end = offset + length,
    n = 0;
  for (let i = lo; i < ranges.length && ranges[i]![0] <= end; i++, n++) {
    start = Math.min(start, ranges[i]![0]);
    end = Math.max(end, ranges[i]![0] + ranges[i]![1]);
  }
  if (n === 0 && ranges.length >= MAX_RANGES) return;
  ranges.splice(lo, n, [start, end - start]);
}

export class Request {
  readonly log = new ProblemLog();
  readonly stats: ReadAccount = { reads: 0, bytesRead: 0, ranges: [] };

  /** `signal`: cancelling it stops this request at its next read or entry (BUDGET_CANCELLED), and only this one. */
  constructor(limits: BudgetLimits, signal?: AbortSignal) {
    this.log.budget = new InspectionBudget(limits, signal);
  }

  get budget(): InspectionBudget {
    return this.log.budget;
  }
}
