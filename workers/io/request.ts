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
}

export class Request {
  readonly log = new ProblemLog();
  readonly stats: ReadAccount = { reads: 0, bytesRead: 0 };

  /** `signal`: cancelling it stops this request at its next read or entry (BUDGET_CANCELLED), and only this one. */
  constructor(limits: BudgetLimits, signal?: AbortSignal) {
    this.log.budget = new InspectionBudget(limits, signal);
  }

  get budget(): InspectionBudget {
    return this.log.budget;
  }
}
