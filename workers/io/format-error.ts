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
