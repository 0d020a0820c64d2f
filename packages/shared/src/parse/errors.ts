/**
 * Typed errors of the parser. `NotAHeapDumpError` is thrown early, before any
 * columns are allocated, when the input is plainly something else (an HTML
 * page, a PNG, a V8 .heapsnapshot, an empty file); its message says what the
 * input looks like and what LeakPilot expected.
 */
export class NotAHeapDumpError extends Error {
  override readonly name = 'NotAHeapDumpError';
  constructor(
    /** what the input looks like, e.g. "an HTML page" */
    readonly lookedLike: string,
    message: string,
  ) {
    super(message);
  }
}

export class ParseCancelledError extends Error {
  override readonly name = 'ParseCancelledError';
  constructor() {
    super('parsing was cancelled');
  }
}

/**
 * The input ended before its own format said it would: a gzip stream cut off
 * (a dump copied or downloaded before it was complete) or damaged part way.
 * A source throws it from `next()`; the parser keeps every line read before
 * it, records a `truncated-input` problem and finishes the dump normally.
 */
export class TruncatedInputError extends Error {
  override readonly name = 'TruncatedInputError';
}
