/**
 * Typed problems: every structural fault in an image becomes one of these,
 * never a raw exception. `offset` is the absolute byte offset in the image.
 */
export interface Problem {
  code: string;
  message: string;
  structure: string;
  offset: number | null;
}

/** Thrown by byte-level readers; caught by each format reader and turned into a Problem. */
export class FormatError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly structure: string,
    readonly offset: number | null,
  ) {
    super(message);
    this.name = 'FormatError';
  }
  toProblem(): Problem {
    return { code: this.code, message: this.message, structure: this.structure, offset: this.offset };
  }
}

/** Collects warnings (image still usable) and errors (a structure could not be read). */
export class ProblemLog {
  readonly warnings: Problem[] = [];
  readonly errors: Problem[] = [];
  /** A hard cap so that a hostile image cannot grow the log without bound. */
  static readonly MAX = 500;

  warn(code: string, message: string, structure: string, offset: number | null): void {
    if (this.warnings.length < ProblemLog.MAX) this.warnings.push({ code, message, structure, offset });
  }
  error(code: string, message: string, structure: string, offset: number | null): void {
    if (this.errors.length < ProblemLog.MAX) this.errors.push({ code, message, structure, offset });
  }
  /** Record any thrown value as an error of `structure`; unknown exceptions become INTERNAL. */
  fail(e: unknown, structure: string, offset: number | null): void {
    if (e instanceof FormatError) this.errors.push(e.toProblem());
    else if (e instanceof RangeError) this.error('READ_RANGE', e.message, structure, offset);
    else this.error('INTERNAL', `unexpected failure while reading ${structure}: ${String((e as Error)?.message ?? e)}`, structure, offset);
  }
}
